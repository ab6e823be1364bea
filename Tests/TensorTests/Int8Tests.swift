import Foundation
import CVector
@testable import Tensor
import Testing

/// The dynamic int8 product (`matmulForwardInt8` on oneDNN): the quantisation rules, the
/// product against exact integer arithmetic on the same quantised values, and shape errors.
@Suite struct Int8Tests {
    func values(_ count: Int, seed: UInt64, scale: Float = 1, offset: Float = 0) -> [Float] {
        let rng = CounterRandom(seed: seed)
        return (0..<count).map { (rng.uniform($0) * 2 - 1) * scale + offset }
    }

    /// u8 activations: 0 is exact (ONNX DynamicQuantizeLinear widens the range to include it),
    /// every value is within half a step of its quantised value, and a zero tensor stays zero.
    @Test func activationQuantizationKeepsZeroExactAndErrorsWithinHalfAStep() {
        var x = values(5000, seed: 3, scale: 2, offset: 0.7)
        x[17] = 0
        var q = [UInt8](repeating: 0, count: x.count)
        let (s, z) = quantizeU8(&q, x, count: x.count)
        #expect(abs(Float(q[17]) - z) == 0)
        var worst: Float = 0
        for i in x.indices { worst = max(worst, abs((Float(q[i]) - z) * s - x[i])) }
        #expect(worst <= s / 2 * 1.0001, "worst error \(worst), step \(s)")
        let zeros = [Float](repeating: 0, count: 100)
        let (s0, z0) = quantizeU8(&q, zeros, count: 100)
        #expect(s0 == 1 && z0 == 0 && q.prefix(100).allSatisfy { $0 == 0 })
    }

    /// Weights: symmetric per output row, scale = max|w|/127, so each row's largest value maps to ±127.
    /// The activation range (`course_minmax_f32`, four 16-float accumulators then a scalar tail)
    /// against a plain loop, at every length around its 64-value blocks, with NaN (skipped),
    /// ±∞ and −0 mixed in, and an all-NaN input (∞, −∞ as the plain loop gives).
    @Test func activationRangeMatchesAPlainLoopAtEveryLength() {
        let specials: [Float] = [.nan, .infinity, -.infinity, -0.0]
        for n in 1...200 {
            var x = values(n, seed: UInt64(n), scale: 50, offset: Float(n % 7) - 3)
            for (i, special) in specials.enumerated() where n > 3 * i + 4 { x[(n * (i + 3)) / 17 % n] = special }
            for input in [x, [Float](repeating: .nan, count: n)] {
                var lo: Float = 0, hi: Float = 0
                course_minmax_f32(input, n, &lo, &hi)
                var mn = Float.infinity, mx = -Float.infinity
                for v in input { if v < mn { mn = v }; if v > mx { mx = v } }
                #expect(lo == mn && hi == mx, "n \(n): got \(lo)...\(hi), want \(mn)...\(mx)")
            }
        }
    }

    @Test func weightQuantizationIsSymmetricPerRow() {
        let w = values(6 * 10, seed: 4, scale: 3)
        let q = w.withUnsafeBufferPointer { QuantizedWeight($0.baseAddress!, n: 6, k: 10) }
        for r in 0..<6 {
            let row = w[(r * 10)..<(r * 10 + 10)]
            let maxAbs = row.map(abs).max() ?? 0
            #expect(abs(q.scales[r] - maxAbs / 127) <= 1e-7 * maxAbs)
            #expect(q.values[(r * 10)..<(r * 10 + 10)].map { abs(Int($0)) }.max() == 127)
            #expect(q.columnSums[r] == q.values[(r * 10)..<(r * 10 + 10)].reduce(0) { $0 + Int32($1) })
        }
    }

    /// oneDNN's int8 matmul and its post-ops against the same arithmetic in Double on the same
    /// quantised values: sₐ·s_w[o]·Σ(q_a − z)·q_w + bias. The int32 sums are exact on both
    /// sides; the only difference is oneDNN's fp32 dequantisation (acc·scale + shift, with the
    /// zero point folded into the shift), so 1e-5 of the output's scale bounds it. Odd sizes
    /// exercise the kernels' tails; two thread counts must agree bit for bit (integer sums).
    @Test(arguments: [(37, 70, 19), (256, 384, 1536)])
    func productMatchesExactIntegerArithmetic(_ shape: (Int, Int, Int)) throws {
        let (m, k, n) = shape
        let ctx = try Int8Context()
        let x = try Tensor(shape: [m, k], values: values(m * k, seed: 5, scale: 1.5, offset: 0.4))
        let w = try Tensor(shape: [n, k], values: values(n * k, seed: 6, scale: 0.2))
        let bias = try Tensor(shape: [n], values: values(n, seed: 7))
        let qw = try QuantizedWeight(w)
        let out = try linearInt8(x, qw, bias: bias, context: ctx)
        var qa = [UInt8](repeating: 0, count: m * k)
        let (sa, z) = quantizeU8(&qa, x.data, count: m * k)
        var reference = [Float](repeating: 0, count: m * n), scale: Float = 0
        for i in 0..<m {
            for o in 0..<n {
                var acc = 0
                for c in 0..<k { acc += (Int(qa[i * k + c]) - Int(z)) * Int(qw.values[o * k + c]) }
                reference[i * n + o] = Float(Double(sa) * Double(qw.scales[o]) * Double(acc) + Double(bias.data[o]))
                scale = max(scale, abs(reference[i * n + o]))
            }
        }
        let diff = zip(out.scalars, reference).reduce(0) { max($0, abs($1.0 - $1.1)) }
        #expect(diff <= 1e-5 * scale, "max abs diff \(diff) on outputs of scale \(scale)")
        let one = try Threads.$kernelOverride.withValue(1) { try linearInt8(x, qw, bias: bias, context: ctx) }
        let two = try Threads.$kernelOverride.withValue(2) { try linearInt8(x, qw, bias: bias, context: ctx) }
        #expect(one.scalars == two.scalars)
    }

    @Test func wrongShapesThrowClearErrors() throws {
        let ctx = try Int8Context()
        let qw = try QuantizedWeight(Tensor(shape: [4, 8]))
        #expect(throws: TensorError.self) { _ = try linearInt8(Tensor(shape: [3, 7]), qw, context: ctx) }
        #expect(throws: TensorError.self) { _ = try linearInt8(Tensor(shape: [3, 8]), qw, bias: Tensor(shape: [5]), context: ctx) }
        #expect(throws: TensorError.self) { _ = try QuantizedWeight(Tensor(shape: [32])) }
        do {
            _ = try linearInt8(Tensor(shape: [2, 3, 7]), qw, context: ctx)
        } catch {
            #expect("\(error)".contains("takes 8 features"))
        }
        #expect(try linearInt8(Tensor(shape: [2, 3, 8]), qw, context: ctx).shape == [2, 3, 4])
    }
}
