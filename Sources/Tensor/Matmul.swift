// Linear layers in PyTorch's layout: weight [OC, C], so out = inp · weightᵀ + bias.
// All three GEMMs run over the whole [N, C] token matrix through `gemm` (cblas_sgemm, split across threads).

/// out[N, OC] = inp[N, C] · weight[OC, C]ᵀ + bias[OC].
public func matmulForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                          _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                          n: Int, c: Int, oc: Int) {
    Threads.ensureBLAS()
    StepProfile.measure(.productForward) {
        if let bias {
            // Seed every row with the bias so the GEMM accumulates onto it (beta = 1).
            parallelFor(n, costPerItem: oc) { rows in
                for r in rows { (out + r * oc).update(from: bias, count: oc) }
            }
        }
        gemm(transA: false, transB: true, m: n, n: oc, k: c, inp, lda: c, weight, ldb: c,
             beta: bias == nil ? 0 : 1, out, ldc: oc)
    }
}

/// Backward of `matmulForward`. Gradients accumulate (+=) like PyTorch's `.grad`:
/// dinp[N, C] (+)= dout[N, OC] · weight[OC, C]   (overwritten when `accumulateInput` is false),
/// dweight[OC, C] += dout[N, OC]ᵀ · inp[N, C],   dbias[OC] += Σₙ dout[n, :].
public func matmulBackward(dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>?,
                           dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                           inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                           n: Int, c: Int, oc: Int, accumulateInput: Bool = false) {
    Threads.ensureBLAS()
    if let dinp {
        StepProfile.measure(.productBackwardData) {
            gemm(transA: false, transB: false, m: n, n: c, k: oc, dout, lda: oc, weight, ldb: c,
                 beta: accumulateInput ? 1 : 0, dinp, ldc: c)
        }
    }
    if let dweight {
        StepProfile.measure(.productBackwardWeight) {
            gemm(transA: true, transB: false, m: oc, n: c, k: n, dout, lda: oc, inp, ldb: c,
                 beta: 1, dweight, ldc: c)
        }
    }
    if let dbias {
        StepProfile.measure(.biasGradient) {
            chunkedColumnSums(dbias, width: oc, rows: n) { rows, acc in
                for r in rows { addLanes(acc, dout + r * oc, count: oc) }
            }
        }
    }
}
