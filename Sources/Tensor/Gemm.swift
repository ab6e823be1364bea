@_implementationOnly import CBLAS
import Foundation

/// C[M, N] = alpha · op(A)[M, K] · op(B)[K, N] + beta · C (row-major), split across
/// `Threads.count` threads by blocks of output rows or columns (whichever dimension is larger),
/// each block computed by single-threaded OpenBLAS.
///
/// Why not OpenBLAS's own threads: the attention runs many small per-head products inside
/// `concurrentPerform`, and OpenBLAS threads nested under those spin and serialise. With OpenBLAS
/// pinned to one thread, every product splits the same way for a given thread count, so results
/// stay bit-identical run to run.
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                 _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                 beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    Threads.ensureBLAS()
    let threads = Threads.kernelOverride ?? Threads.count
    let ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans
    func call(_ mm: Int, _ nn: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor, ta, tb, Int32(mm), Int32(nn), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
    let tile = 16
    let splitRows = m >= n
    let extent = splitRows ? m : n
    let parts = min(threads, extent / tile)
    if parts <= 1 || m * n * k < 1 << 18 {
        call(m, n, a, b, c)
        return
    }
    // Blocks are multiples of the tile so every block runs the kernel's full-width path.
    let block = ((extent + parts - 1) / parts + tile - 1) / tile * tile
    DispatchQueue.concurrentPerform(iterations: parts) { p in
        let lo = p * block, hi = min(extent, lo + block)
        guard lo < hi else { return }
        if splitRows {
            call(hi - lo, n, transA ? a + lo : a + lo * lda, b, c + lo * ldc)
        } else {
            call(m, hi - lo, a, transB ? b + lo * ldb : b + lo, c + lo)
        }
    }
}
