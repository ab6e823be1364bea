import ArgumentParser
import FineTuning
import Foundation

/// `bench products`: GFLOP/s of each bf16 product a MiniLM-shaped training step runs, per layer
/// shape and kind (forward out = x·Wᵀ, backward dX = dY·W, backward dW = dYᵀ·X), with the
/// oneDNN implementation, beside the `bench peak` shapes: shows whether a kind or an operand
/// layout (transposed operands) runs below the kernel's peak.
struct BenchProducts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products",
        abstract: "GFLOP/s of the bf16 products of a MiniLM training step, by shape and kind (oneDNN).")
    @Option(help: "Tokens per batch (N = batch × seq).") var tokens = 4096
    @Option(help: "Threads.") var threads = 2
    @Option(help: "Seconds per product.") var seconds = 0.3

    func run() throws {
        Threads.count = threads
        let engine = try BF16Engine.shared()
        let n = tokens
        // (OC, C) of the fused QKV, attention output, FFN in and FFN out layers.
        let layers = [(1152, 384), (384, 384), (1536, 384), (384, 1536)]
        print("N = \(n), \(threads) threads; GFLOP/s of C (+)= op(A) · op(B), bf16 operands, fp32 output")
        print("layer OCxC    forward x·Wᵀ   dX = dY·W   dW += dYᵀ·X   forward x·W (W pre-transposed)")
        for (oc, c) in layers {
            let x = [UInt16](repeating: 0x3F00, count: n * c), w = [UInt16](repeating: 0x3E80, count: oc * c)
            let dy = [UInt16](repeating: 0x3E80, count: n * oc)
            var out = [Float](repeating: 0, count: n * max(oc, c)), dw = [Float](repeating: 0, count: oc * c)
            let bias = [Float](repeating: 0, count: oc)
            func rate(_ body: () -> Void) -> Double {
                body()
                var reps = 0
                let start = Date()
                while Date().timeIntervalSince(start) < seconds { body(); reps += 1 }
                return 2 * Double(n * oc * c) * Double(reps) / Date().timeIntervalSince(start) / 1e9
            }
            let fwd = rate { bf16Gemm(engine, transA: false, transB: true, m: n, n: oc, k: c, x, lda: c, w, ldb: c,
                                      bias: bias, &out, ldc: oc) }
            let dx = rate { bf16Gemm(engine, transA: false, transB: false, m: n, n: c, k: oc, dy, lda: oc, w, ldb: c,
                                     accumulate: true, &out, ldc: c) }
            let dwr = rate { bf16Gemm(engine, transA: true, transB: false, m: oc, n: c, k: n, dy, lda: oc, x, ldb: c,
                                      accumulate: true, &dw, ldc: c) }
            let fwdPlain = rate { bf16Gemm(engine, transA: false, transB: false, m: n, n: oc, k: c, x, lda: c, w, ldb: oc,
                                           bias: bias, &out, ldc: oc) }
            print(String(format: "%5d x %-5d %12.1f %11.1f %13.1f %14.1f", oc, c, fwd, dx, dwr, fwdPlain))
        }
        if let error = engine.takeError() { throw error }
        print(bf16EngineLine())
    }
}
