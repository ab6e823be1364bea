import ArgumentParser
import FineTuning
import Foundation

/// The best bf16 matmul rate (GFLOP/s; bf16 operands, fp32 accumulation, oneDNN) at the current
/// thread count on the same BERT-layer shapes as `sgemmPeak`: the limit of a bf16 run, as the
/// sgemm peak is of an fp32 one. Also returns the oneDNN implementation that ran (`impl_info`).
func bf16Peak() throws -> (gflops: Double, implementation: String) {
    let engine = try BF16Engine.shared()
    let shapes = [(1024, 1536, 384), (1024, 384, 1536), (1024, 384, 384)]
    var best = 0.0
    for (m, n, k) in shapes {
        let a = [UInt16](repeating: 0x3F00, count: m * k), b = [UInt16](repeating: 0x3E80, count: k * n) // 0.5, 0.25
        var c = [Float](repeating: 0, count: m * n)
        func run() { bf16Gemm(engine, transA: false, transB: false, m: m, n: n, k: k, a, lda: k, b, ldb: n, &c, ldc: n) }
        run()
        var reps = 0
        let start = Date()
        while Date().timeIntervalSince(start) < 0.3 { run(); reps += 1 }
        best = max(best, 2 * Double(m * n * k) * Double(reps) / Date().timeIntervalSince(start) / 1e9)
    }
    if let error = engine.takeError() { throw error }
    return (best, engine.implementationsUsed.first ?? "unknown")
}

/// The line `bench train|infer --bf16` prints about the engine: oneDNN's version, the
/// implementations its products used, and whether the CPU has native bf16.
func bf16EngineLine() -> String {
    let used = (try? BF16Engine.shared().implementationsUsed) ?? []
    return "oneDNN \(BF16Engine.version), bf16 matmul implementations: \(used.joined(separator: ", "))"
        + (BF16Engine.hasNativeBF16 ? "" : " (no AVX512-BF16/AMX on this CPU: emulated)")
}


/// `bench peak`: the matrix-product limits of both engines at each thread count, side by side.
struct BenchPeak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak",
        abstract: "Peak GFLOP/s of OpenBLAS sgemm and of oneDNN's bf16 matmul (fp32 accumulation) on BERT-layer shapes.")
    @Option(help: "Thread counts (comma-separated).") var threads = "1,2"

    func run() throws {
        let counts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--threads takes positive integers separated by commas, got '\(threads)'")
        }
        print("threads   sgemm GFLOP/s   bf16 GFLOP/s   ratio   (OpenBLAS core: \(Threads.blasCore))")
        for n in counts {
            Threads.count = n
            let s = sgemmPeak(), b = try bf16Peak()
            print(String(format: "%7d %15.1f %14.1f %7.2f", n, s, b.gflops, b.gflops / s))
        }
        print(bf16EngineLine())
    }
}
