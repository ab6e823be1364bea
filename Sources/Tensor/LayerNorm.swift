import Foundation

/// out[N, C] = (inp - mean) * rstd * weight + bias per row; saves mean[N] and rstd[N] for backward.
public func layerNormForward(_ out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                             rstd: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                             weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                             n: Int, c: Int, eps: Float) {
    parallelFor(n, costPerItem: 4 * c) { rows in
        for r in rows {
            let x = inp + r * c
            var m: Float = 0
            for i in 0..<c { m += x[i] }
            m /= Float(c)
            var v: Float = 0
            for i in 0..<c { let d = x[i] - m; v += d * d }
            v /= Float(c)
            let s = 1 / (v + eps).squareRoot()
            let o = out + r * c
            for i in 0..<c { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
            mean[r] = m
            rstd[r] = s
        }
    }
}

/// Backward of `layerNormForward`: dinp[N, C] is overwritten (or added to when `accumulate`);
/// dweight[C] and dbias[C] accumulate.
public func layerNormBackward(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                              dbias: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                              inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                              n: Int, c: Int, accumulate: Bool = false) {
    parallelFor(n, costPerItem: 6 * c) { rows in
        for r in rows {
            let x = inp + r * c, dy = dout + r * c, dx = dinp + r * c
            let m = mean[r], s = rstd[r]
            // dnorm = dy * weight; dx = s * (dnorm - mean(dnorm) - norm * mean(dnorm * norm))
            var sumD: Float = 0, sumDN: Float = 0
            for i in 0..<c {
                let norm = (x[i] - m) * s
                let dn = dy[i] * weight[i]
                sumD += dn
                sumDN += dn * norm
            }
            sumD /= Float(c)
            sumDN /= Float(c)
            for i in 0..<c {
                let norm = (x[i] - m) * s
                let g = s * (dy[i] * weight[i] - sumD - norm * sumDN)
                dx[i] = accumulate ? dx[i] + g : g
            }
        }
    }
    let block = 16
    parallelFor((c + block - 1) / block, costPerItem: 3 * n * block) { blocks in
        for b in blocks {
            let lo = b * block, hi = min(c, lo + block)
            var accW = [Float](repeating: 0, count: hi - lo), accB = accW
            for r in 0..<n {
                let x = inp + r * c, dy = dout + r * c
                let m = mean[r], s = rstd[r]
                for i in lo..<hi {
                    accW[i - lo] += dy[i] * (x[i] - m) * s
                    accB[i - lo] += dy[i]
                }
            }
            for i in lo..<hi { dweight[i] += accW[i - lo]; dbias[i] += accB[i - lo] }
        }
    }
}
