import CBLAS

// Linear layers in PyTorch's layout: weight [OC, C], so out = inp · weightᵀ + bias.
// All three GEMMs go through cblas_sgemm over the whole [N, C] token matrix.

/// out[N, OC] = inp[N, C] · weight[OC, C]ᵀ + bias[OC].
public func matmulForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                          _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                          n: Int, c: Int, oc: Int) {
    _ = Threads.count
    if let bias {
        // Seed every row with the bias so the GEMM accumulates onto it (beta = 1).
        parallelFor(n, costPerItem: oc) { rows in
            for r in rows { (out + r * oc).update(from: bias, count: oc) }
        }
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(oc), Int32(c),
                1, inp, Int32(c), weight, Int32(c), bias == nil ? 0 : 1, out, Int32(oc))
}

/// Backward of `matmulForward`. Gradients accumulate (+=) like PyTorch's `.grad`:
/// dinp[N, C] (+)= dout[N, OC] · weight[OC, C]   (overwritten when `accumulateInput` is false),
/// dweight[OC, C] += dout[N, OC]ᵀ · inp[N, C],   dbias[OC] += Σₙ dout[n, :].
public func matmulBackward(dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>?,
                           dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                           inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                           n: Int, c: Int, oc: Int, accumulateInput: Bool = false) {
    _ = Threads.count
    if let dinp {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(c), Int32(oc),
                    1, dout, Int32(oc), weight, Int32(c), accumulateInput ? 1 : 0, dinp, Int32(c))
    }
    if let dweight {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(oc), Int32(c), Int32(n),
                    1, dout, Int32(oc), inp, Int32(c), 1, dweight, Int32(c))
    }
    if let dbias {
        // Column sums, parallel over column blocks so each sum has one fixed order.
        let block = 16
        parallelFor((oc + block - 1) / block, costPerItem: n * block) { blocks in
            for b in blocks {
                let lo = b * block, hi = min(oc, lo + block)
                var acc = [Float](repeating: 0, count: hi - lo)
                for r in 0..<n {
                    let row = dout + r * oc
                    for j in lo..<hi { acc[j - lo] += row[j] }
                }
                for j in lo..<hi { dbias[j] += acc[j - lo] }
            }
        }
    }
}
