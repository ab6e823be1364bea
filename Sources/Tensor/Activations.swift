import Foundation

/// Exact GELU (erf form, Hugging Face's "gelu"): out[i] = 0.5 · x · (1 + erf(x / √2)). Any shape.
public func geluForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 20) { r in
        for i in r { let x = inp[i]; out[i] = 0.5 * x * (1 + erff(x * 0.70710678118654752)) }
    }
}

/// dinp[i] = dout[i] · (Φ(x) + x · φ(x)), overwriting dinp.
public func geluBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                         inp: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 30) { r in
        for i in r {
            let x = inp[i]
            let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
            let pdf = expf(-0.5 * x * x) * 0.39894228040143268
            dinp[i] = dout[i] * (cdf + x * pdf)
        }
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
