@_implementationOnly import CBLAS
import Foundation

/// The number of threads used by the element-wise kernels and the GEMMs. Results are
/// bit-identical run to run for a fixed count: every output element is computed by exactly one
/// thread with a fixed summation order, and reductions over rows run per column block.
public enum Threads {
    nonisolated(unsafe) private static var _count: Int = {
        let env = ProcessInfo.processInfo.environment
        let n = Int(env["COURSE_THREADS"] ?? env["OPENBLAS_NUM_THREADS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
        return max(1, n)
    }()

    /// Tests vary the kernels' thread count inside `$kernelOverride.withValue(n) { ... }`; a task
    /// local, so concurrently running tests keep their own (and so their bit-exact results).
    @TaskLocal static var kernelOverride: Int?

    /// Threads for kernels and GEMMs. OpenBLAS itself is kept single-threaded: `gemm` splits
    /// products across these threads itself (see Gemm.swift for why).
    public static var count: Int {
        get { ensureBLAS(); return _count }
        set { ensureBLAS(); _count = max(1, newValue) }
    }

    /// The count the kernels run with now: a test's override, else `count`. Results are
    /// bit-identical for a fixed value, so anything that caches results keys on it.
    public static var inUse: Int { kernelOverride ?? count }

    /// The OpenBLAS kernel family in use (e.g. "SkylakeX", "Haswell"), for reports.
    public static var blasCore: String {
        ensureBLAS()
        return openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// Configures OpenBLAS exactly once, before any product runs (a thread-safe lazy global).
    @inline(__always) static func ensureBLAS() { _ = blasConfigured }

    private static let blasConfigured: Void = {
        selectBLASCore()
        openblas_set_num_threads(1)
    }()
}

/// OpenBLAS chooses its kernels by CPU model at load time. Virtual machines that report a generic
/// model ("Intel(R) Xeon(R) Processor") make it fall back to the Prescott (SSE3) kernels, about 5×
/// slower than the AVX-512 ones on the same CPU. When that happens and the user has not chosen a
/// core with OPENBLAS_CORETYPE, re-run OpenBLAS's own dynamic-arch selection with the core the CPU
/// flags support (SkylakeX for AVX-512, Haswell for AVX2 + FMA). Done once, before any BLAS call.
private func selectBLASCore() {
    let env = ProcessInfo.processInfo.environment
    guard env["OPENBLAS_CORETYPE"] == nil, env["COURSE_BLAS_CORE"] != "keep",
          let current = openblas_get_corename().map({ String(cString: $0).lowercased() }),
          ["prescott", "core2", "nehalem", "sandybridge", "unknown"].contains(current),
          let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    let core: String
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx2", "fma"]) {
        core = "SkylakeX"
    } else if flags.isSuperset(of: ["avx2", "fma"]) {
        core = "Haswell"
    } else {
        return
    }
    guard let handle = dlopen(nil, RTLD_NOW),
          let quit = dlsym(handle, "gotoblas_dynamic_quit"),
          let initialise = dlsym(handle, "gotoblas_dynamic_init") else { return }
    typealias Hook = @convention(c) () -> Void
    setenv("OPENBLAS_CORETYPE", core, 1)
    unsafeBitCast(quit, to: Hook.self)()
    unsafeBitCast(initialise, to: Hook.self)()
    unsetenv("OPENBLAS_CORETYPE") // leave child processes to make their own choice
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
