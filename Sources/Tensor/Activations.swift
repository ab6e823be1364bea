import Foundation

/// Exact GELU (erf form, Hugging Face's "gelu"): out[i] = 0.5 · x · (1 + erf(x / √2)). Any shape;
/// may run in place.
public func geluForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 4) { r in
        // Written out rather than passed as a closure: a closure taking 16 lanes is not inlined
        // and its argument is split into four 4-lane pieces, a quarter of the vector width.
        let w = FloatLanes.scalarCount
        var i = r.lowerBound
        while i + w <= r.upperBound { storeLanes(geluLanes(loadLanes(inp + i)), out + i); i += w }
        // The tail goes through the same lanes, so every element's bits are the same wherever a
        // thread's range starts.
        if i < r.upperBound {
            let k = r.upperBound - i
            storeLanes(geluLanes(loadLanes(inp + i, count: k)), out + i, count: k)
        }
    }
}

/// out[i] = bf16(gelu(inp[i])): `geluForward` writing the bf16 input of the next product directly
/// (its fp32 value is not needed: it feeds only that product and its weight gradient), rounded to
/// nearest even like `convertToBF16`. Any shape.
public func geluForwardBF16(_ out: UnsafeMutablePointer<UInt16>, _ inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 4) { r in
        let w = FloatLanes.scalarCount
        var i = r.lowerBound
        while i + w <= r.upperBound {
            storeBF16Lanes(geluLanes(loadLanes(inp + i)), out + i)
            i += w
        }
        if i < r.upperBound {
            // The same lanes as the body, so the bits do not depend on where a range starts.
            let k = r.upperBound - i
            let g = geluLanes(loadLanes(inp + i, count: k))
            for j in 0..<k { out[i + j] = bf16Bits(g[j]) }
        }
    }
}

/// dinp[i] = dout[i] · (Φ(x) + x · φ(x)), overwriting dinp.
public func geluBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                         inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 6) { r in
        let w = FloatLanes.scalarCount
        var i = r.lowerBound
        while i + w <= r.upperBound {
            storeLanes(geluGradLanes(loadLanes(inp + i)) * loadLanes(dout + i), dinp + i)
            i += w
        }
        if i < r.upperBound {
            let k = r.upperBound - i
            storeLanes(geluGradLanes(loadLanes(inp + i, count: k)) * loadLanes(dout + i, count: k), dinp + i, count: k)
        }
    }
}

@_transparent
func geluLanes(_ x: FloatLanes) -> FloatLanes { 0.5 * x * (1 + vectorErf(x * 0.70710678118654752)) }

/// d gelu(x) / dx = Φ(x) + x · φ(x).
@_transparent
func geluGradLanes(_ x: FloatLanes) -> FloatLanes {
    let cdf = 0.5 * (1 + vectorErf(x * 0.70710678118654752))
    let pdf = vectorExpNonPositive(-0.5 * x * x) * 0.39894228040143268
    return mulAdd(x, pdf, cdf)
}

/// out = tanh(inp) (the pooler's activation). Any shape; may run in place.
public func tanhForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 20) { r in for i in r { out[i] = tanhf(inp[i]) } }
}

/// out = max(0, inp) (`nn.ReLU`); `out` may alias `inp`.
public func reluForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 2) { r in for i in r { out[i] = max(0, inp[i]) } }
}

/// dinp = dout where out > 0, else 0, from the saved output; overwrites dinp.
public func reluBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                         out: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 2) { r in for i in r { dinp[i] = out[i] > 0 ? dout[i] : 0 } }
}

/// dinp = dout · (1 - out²), from the saved output; overwrites dinp.
public func tanhBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                         out: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 4) { r in for i in r { dinp[i] = dout[i] * (1 - out[i] * out[i]) } }
}

/// out = a + b element-wise (residual connections); `out` may alias `a`.
public func addForward(_ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                       _ b: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 2) { r in for i in r { out[i] = a[i] + b[i] } }
}

/// Dropout with a regenerable mask: keeps each element with probability 1 - p and scales kept
/// ones by 1 / (1 - p). `rng` decides the mask; the backward pass passes the same `rng` and so
/// applies the same mask. In place is allowed. No-op when p == 0.
public func dropoutForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                           count: Int, p: Float, rng: CounterRandom) {
    if p <= 0 {
        if UnsafePointer(out) != inp { out.update(from: inp, count: count) }
        return
    }
    let scale = 1 / (1 - p)
    parallelFor(count, costPerItem: 8) { r in
        for i in r { out[i] = rng.uniform(i) < p ? 0 : inp[i] * scale }
    }
}

/// Backward of `dropoutForward` with the same `rng`: dinp = dout · mask / (1 - p). In place allowed.
public func dropoutBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                            count: Int, p: Float, rng: CounterRandom) {
    dropoutForward(dinp, dout, count: count, p: p, rng: rng)
}
