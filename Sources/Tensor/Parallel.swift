import CBLAS
import Foundation

/// The number of threads used by the element-wise kernels and by OpenBLAS. Results are
/// bit-identical run to run for a fixed count: every output element is computed by exactly one
/// thread with a fixed summation order, and reductions over rows run per column block.
public enum Threads {
    nonisolated(unsafe) private static var _count: Int = {
        let env = ProcessInfo.processInfo.environment
        let n = Int(env["COURSE_THREADS"] ?? env["OPENBLAS_NUM_THREADS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
        return max(1, n)
    }()
    nonisolated(unsafe) private static var configured = false

    /// Tests vary the kernels' thread count inside `$kernelOverride.withValue(n) { ... }`; a task
    /// local, so concurrently running tests keep their own (and so their bit-exact results).
    @TaskLocal static var kernelOverride: Int?

    /// Threads for kernels and GEMMs. OpenBLAS itself is kept single-threaded: `gemm` splits
    /// products across these threads itself (see Gemm.swift for why).
    public static var count: Int {
        get {
            if !configured { configured = true; openblas_set_num_threads(1) }
            return _count
        }
        set {
            _count = max(1, newValue)
            if !configured { configured = true; openblas_set_num_threads(1) }
        }
    }
}

/// Runs `body` over `0..<n` split into contiguous ranges, in parallel when the work is large
/// enough (`n * costPerItem` elementary operations) to pay for the dispatch.
@inline(__always)
public func parallelFor(_ n: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = Threads.kernelOverride ?? Threads.count
    if threads <= 1 || n < 2 || n * costPerItem < 32_768 {
        if n > 0 { body(0..<n) }
        return
    }
    // A few chunks per thread balance uneven cores; chunking never changes results because
    // each item's arithmetic does not depend on which chunk it lands in.
    let chunks = min(n, threads * 4)
    let size = (n + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = c * size
        let hi = min(n, lo + size)
        if lo < hi { body(lo..<hi) }
    }
}
