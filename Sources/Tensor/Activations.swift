import Foundation

/// Exact GELU (erf form, Hugging Face's "gelu"): out[i] = 0.5 · x · (1 + erf(x / √2)). Any shape.
public func geluForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 4) { r in
        forEachLanes(r, out, inp) { x in 0.5 * x * (1 + vectorErf(x * 0.70710678118654752)) }
    }
}

/// dinp[i] = dout[i] · (Φ(x) + x · φ(x)), overwriting dinp.
public func geluBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                         inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 6) { r in
        forEachLanes(r, dinp, inp, dout) { x, g in
            let cdf = 0.5 * (1 + vectorErf(x * 0.70710678118654752))
            let pdf = vectorExpNonPositive(-0.5 * x * x) * 0.39894228040143268
            return g * (cdf + x * pdf)
        }
    }
}

/// out[i] = f(a[i]) over `range`, 16 lanes at a time; the tail goes through the same vector
/// function (padded), so every element's bits are the same wherever a thread's range starts.
@inline(__always)
func forEachLanes(_ range: Range<Int>, _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                  _ f: (FloatLanes) -> FloatLanes) {
    let w = FloatLanes.scalarCount
    var i = range.lowerBound
    while i + w <= range.upperBound {
        UnsafeMutableRawPointer(out + i).storeBytes(of: f(UnsafeRawPointer(a + i).loadUnaligned(as: FloatLanes.self)),
                                                    as: FloatLanes.self)
        i += w
    }
    if i < range.upperBound {
        var x = FloatLanes(repeating: 0)
        for j in i..<range.upperBound { x[j - i] = a[j] }
        let y = f(x)
        for j in i..<range.upperBound { out[j] = y[j - i] }
    }
}

/// out[i] = f(a[i], b[i]) over `range`, as `forEachLanes(_:_:_:_:)`.
@inline(__always)
func forEachLanes(_ range: Range<Int>, _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                  _ b: UnsafePointer<Float>, _ f: (FloatLanes, FloatLanes) -> FloatLanes) {
    let w = FloatLanes.scalarCount
    var i = range.lowerBound
    while i + w <= range.upperBound {
        let y = f(UnsafeRawPointer(a + i).loadUnaligned(as: FloatLanes.self),
                  UnsafeRawPointer(b + i).loadUnaligned(as: FloatLanes.self))
        UnsafeMutableRawPointer(out + i).storeBytes(of: y, as: FloatLanes.self)
        i += w
    }
    if i < range.upperBound {
        var x = FloatLanes(repeating: 0), z = FloatLanes(repeating: 0)
        for j in i..<range.upperBound { x[j - i] = a[j]; z[j - i] = b[j] }
        let y = f(x, z)
        for j in i..<range.upperBound { out[j] = y[j - i] }
    }
}

/// out = tanh(inp) (the pooler's activation). Any shape; may run in place.
public func tanhForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 20) { r in for i in r { out[i] = tanhf(inp[i]) } }
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
