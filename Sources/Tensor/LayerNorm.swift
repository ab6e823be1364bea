import Foundation

/// out[N, C] = (inp - mean) * rstd * weight + bias per row; saves mean[N] and rstd[N] for backward.
public func layerNormForward(_ out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                             rstd: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                             weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                             n: Int, c: Int, eps: Float) {
    parallelFor(n, costPerItem: 4 * c) { rows in
        for r in rows {
            (mean[r], rstd[r]) = layerNormRow(out + r * c, inp + r * c, weight: weight, bias: bias, c: c, eps: eps)
        }
    }
}

/// The residual connection and LayerNorm of a BERT sublayer in one pass over each row:
/// sum[N, C] = dropout(a) + b (saved for backward), out = LayerNorm(sum). `rng` draws the same
/// mask as `dropoutForward(count: N·C)` would, so `dropoutBackward` with it undoes this one.
/// `sum` may be `a` (the sublayer output is then replaced by the residual sum).
public func residualLayerNormForward(_ out: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Float>,
                                     mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
                                     a: UnsafePointer<Float>, b: UnsafePointer<Float>, dropout p: Float,
                                     rng: CounterRandom, weight: UnsafePointer<Float>,
                                     bias: UnsafePointer<Float>, n: Int, c: Int, eps: Float) {
    let keepScale = 1 / (1 - p)
    parallelFor(n, costPerItem: 6 * c) { rows in
        for r in rows {
            let s = sum + r * c, x = a + r * c, y = b + r * c
            if p > 0 {
                for i in 0..<c { s[i] = (rng.uniform(r * c + i) < p ? 0 : x[i] * keepScale) + y[i] }
            } else {
                for i in 0..<c { s[i] = x[i] + y[i] }
            }
            (mean[r], rstd[r]) = layerNormRow(out + r * c, s, weight: weight, bias: bias, c: c, eps: eps)
        }
    }
}

/// One row of LayerNorm, 16 lanes at a time; returns (mean, rstd).
@inline(__always)
func layerNormRow(_ o: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                  bias: UnsafePointer<Float>, c: Int, eps: Float) -> (Float, Float) {
    let w = FloatLanes.scalarCount, tail = c % w, body = c - tail
    let m = laneSum(x, count: c) / Float(c)
    var acc = FloatLanes(repeating: 0)
    var i = 0
    while i < body { let d = loadLanes(x + i) - m; acc += d * d; i += w }
    // Missing tail lanes read the mean: they add 0.
    if tail > 0 { let d = loadLanes(x + i, count: tail, fill: m) - m; acc += d * d }
    let s = 1 / (acc.sum() / Float(c) + eps).squareRoot()
    i = 0
    while i < body {
        storeLanes((loadLanes(x + i) - m) * s * loadLanes(weight + i) + loadLanes(bias + i), o + i)
        i += w
    }
    if tail > 0 {
        let y = (loadLanes(x + i, count: tail) - m) * s * loadLanes(weight + i, count: tail)
            + loadLanes(bias + i, count: tail)
        storeLanes(y, o + i, count: tail)
    }
    return (m, s)
}

/// Backward of `layerNormForward`: dinp[N, C] is overwritten (or added to when `accumulate`);
/// dweight[C] and dbias[C] accumulate.
public func layerNormBackward(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                              dbias: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                              inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                              n: Int, c: Int, accumulate: Bool = false) {
    let w = FloatLanes.scalarCount, tail = c % w, body = c - tail
    parallelFor(n, costPerItem: 6 * c) { rows in
        for r in rows {
            let x = inp + r * c, dy = dout + r * c, dx = dinp + r * c
            let m = mean[r], s = rstd[r]
            // dnorm = dy * weight; dx = s * (dnorm - mean(dnorm) - norm * mean(dnorm * norm))
            var accD = FloatLanes(repeating: 0), accDN = FloatLanes(repeating: 0)
            var i = 0
            while i < body {
                let dn = loadLanes(dy + i) * loadLanes(weight + i)
                accD += dn
                accDN += dn * ((loadLanes(x + i) - m) * s)
                i += w
            }
            if tail > 0 {
                let dn = loadLanes(dy + i, count: tail) * loadLanes(weight + i, count: tail)
                accD += dn
                accDN += dn * ((loadLanes(x + i, count: tail, fill: m) - m) * s)
            }
            let sumD = accD.sum() / Float(c), sumDN = accDN.sum() / Float(c)
            @inline(__always) func grad(_ i: Int, _ count: Int) -> FloatLanes {
                let norm = (loadLanes(x + i, count: count) - m) * s
                let g = s * (loadLanes(dy + i, count: count) * loadLanes(weight + i, count: count) - sumD - norm * sumDN)
                return accumulate ? loadLanes(dx + i, count: count) + g : g
            }
            i = 0
            while i < body {
                let norm = (loadLanes(x + i) - m) * s
                let g = s * (loadLanes(dy + i) * loadLanes(weight + i) - sumD - norm * sumDN)
                storeLanes(accumulate ? loadLanes(dx + i) + g : g, dx + i)
                i += w
            }
            if tail > 0 { storeLanes(grad(i, tail), dx + i, count: tail) }
        }
    }
    // dweight and dbias: column sums of dy · norm and dy, as one [2C] sum (weights, then biases).
    let sums = UnsafeMutablePointer<Float>.allocate(capacity: 2 * c)
    defer { sums.deallocate() }
    sums.initialize(repeating: 0, count: 2 * c)
    chunkedColumnSums(sums, width: 2 * c, rows: n) { rows, acc in
        for r in rows {
            let x = inp + r * c, dy = dout + r * c, m = mean[r], s = rstd[r]
            var i = 0
            while i < c {
                let k = min(w, c - i)
                let g = loadLanes(dy + i, count: k)
                storeLanes(mulAdd(g, (loadLanes(x + i, count: k) - m) * s, loadLanes(acc + i, count: k)), acc + i, count: k)
                i += w
            }
            addLanes(acc + c, dy, count: c)
        }
    }
    for i in 0..<c { dweight[i] += sums[i]; dbias[i] += sums[c + i] }
}
