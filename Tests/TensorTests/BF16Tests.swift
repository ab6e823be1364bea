import Foundation
import Testing
@testable import Tensor

/// The bf16 conversion and oneDNN's bf16 products. Inputs that bf16 holds exactly (multiples of
/// 1/8 below 16, 7 significant bits at most) make the fp32-accumulated bf16 product exact, so it
/// must equal the fp32 product bit for bit; other inputs are checked against bf16's rounding.
@Suite struct BF16Tests {
    /// Values k/8 with |k| < 64: exact in bf16 (≤ 7 significant bits), and every product sum of
    /// them is exact in fp32 for these sizes.
    func exactArray(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(((($0 &* 2654435761) ^ seed) % 127) - 63) / 8 }
    }

    /// Loading oneDNN leaves OMP_WAIT_POLICY set (PASSIVE unless the environment had a value), so
    /// libgomp's workers sleep between products instead of spinning on the cores OpenBLAS and
    /// the GCD workers need next (cdnnl.c).
    @Test func loadingOneDNNMakesItsOpenMPThreadsWaitPassively() throws {
        let before = ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"]
        _ = try BF16Engine.shared()
        let after = getenv("OMP_WAIT_POLICY").map { String(cString: $0) }
        #expect(after == (before ?? "PASSIVE"))
    }

    @Test func conversionRoundsToNearestEvenAndKeepsSpecials() {
        let values: [Float] = [1, -2.5, 1.00390625, 1.01171875, 1.001953125, .infinity, -.infinity, 0, -0.0,
                               .greatestFiniteMagnitude, 3.0e-39]
        var bits = [UInt16](repeating: 0, count: values.count)
        convertToBF16(&bits, values, count: values.count)
        let back = bits.map(floatFromBF16)
        #expect(back[0] == 1 && back[1] == -2.5)
        #expect(back[2] == 1)            // halfway (1 + 2⁻⁸): ties to even, down to 1
        #expect(back[3] == 1.015625)     // halfway (1 + 3·2⁻⁸): ties to even, up to 1 + 2⁻⁶
        #expect(back[4] == 1)            // below halfway
        #expect(back[5] == .infinity && back[6] == -.infinity && back[7] == 0 && back[8].sign == .minus)
        #expect(back[9] == .infinity)    // beyond bf16's largest finite value it rounds to infinity
        #expect(abs(back[10] - 3.0e-39) < 5e-41) // subnormals are kept (bf16 spacing 2⁻¹³³), not flushed
        var nan = [UInt16](repeating: 0, count: 1)
        convertToBF16(&nan, [Float.nan], count: 1)
        #expect(floatFromBF16(nan[0]).isNaN)
        // The 16-lane path and the scalar tail agree.
        let long = (0..<100).map { Float($0) * 1.000_123 + 0.3 }
        var a = [UInt16](repeating: 0, count: 100)
        convertToBF16(&a, long, count: 100)
        #expect(a == long.map(bf16Bits))
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func exactInputsGiveTheFP32Product(transA: Bool, transB: Bool) throws {
        let engine = try BF16Engine.shared()
        for (m, n, k) in [(37, 20, 50), (64, 96, 33)] {
            let a = exactArray(m * k, seed: 1), b = exactArray(k * n, seed: 2), bias = exactArray(n, seed: 3)
            var a16 = [UInt16](repeating: 0, count: a.count), b16 = [UInt16](repeating: 0, count: b.count)
            convertToBF16(&a16, a, count: a.count)
            convertToBF16(&b16, b, count: b.count)
            let lda = transA ? m : k, ldb = transB ? k : n
            var want = [Float](repeating: 0, count: m * n), got = want
            gemm(transA: transA, transB: transB, m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, &want, ldc: n)
            bf16Gemm(engine, transA: transA, transB: transB, m: m, n: n, k: k, a16, lda: lda, b16, ldb: ldb, &got, ldc: n)
            #expect(engine.takeError() == nil)
            #expect(got == want, "\(m)×\(k)·\(k)×\(n) transA \(transA) transB \(transB)")
            // Bias, then accumulation onto what C holds (C += A·B).
            bf16Gemm(engine, transA: transA, transB: transB, m: m, n: n, k: k, a16, lda: lda, b16, ldb: ldb,
                     bias: bias, &got, ldc: n)
            #expect(got == (0..<(m * n)).map { want[$0] + bias[$0 % n] })
            bf16Gemm(engine, transA: transA, transB: transB, m: m, n: n, k: k, a16, lda: lda, b16, ldb: ldb,
                     accumulate: true, &got, ldc: n)
            #expect(got == (0..<(m * n)).map { 2 * want[$0] + bias[$0 % n] })
        }
        #expect(!engine.implementationsUsed.isEmpty)
    }

    /// A linear layer's forward and backward in bf16 against fp32: within bf16's rounding of the
    /// operands (relative 2⁻⁸ each), and bit-identical from one run to the next.
    @Test func linearLayerForwardAndBackwardStayWithinBF16Rounding() throws {
        let n = 48, c = 40, oc = 24
        let x = randomArray(n * c, seed: 1), w = randomArray(oc * c, seed: 2), b = randomArray(oc, seed: 3)
        let dout = randomArray(n * oc, seed: 4)
        let ctx = try BF16Context(), state = BF16Weight()
        func run(_ bf16: Bool) -> (out: [Float], dx: [Float], dw: [Float], db: [Float]) {
            var out = [Float](repeating: 0, count: n * oc), dx = [Float](repeating: 0, count: n * c)
            var dw = [Float](repeating: 0, count: oc * c), db = [Float](repeating: 0, count: oc)
            if bf16 {
                matmulForwardBF16(&out, x, w, b, n: n, c: c, oc: oc, state: state, context: ctx)
                matmulBackwardBF16(dinp: &dx, dweight: &dw, dbias: &db, dout: dout, inp: x, weight: w, n: n, c: c, oc: oc,
                                   state: state, context: ctx)
            } else {
                matmulForward(&out, x, w, b, n: n, c: c, oc: oc)
                matmulBackward(dinp: &dx, dweight: &dw, dbias: &db, dout: dout, inp: x, weight: w, n: n, c: c, oc: oc)
            }
            return (out, dx, dw, db)
        }
        let ref = run(false), got = run(true), again = run(true)
        #expect(ctx.engine.takeError() == nil)
        func relative(_ a: [Float], _ b: [Float]) -> Float {
            zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
        }
        // Sums of K products of operands each rounded by ≤ 2⁻⁹ relative: errors well below 1%.
        #expect(relative(got.out, ref.out) < 1e-2)
        #expect(relative(got.dx, ref.dx) < 1e-2)
        #expect(relative(got.dw, ref.dw) < 1e-2)
        #expect(got.db == ref.db) // the bias gradient stays an fp32 sum
        #expect(relative(got.out, ref.out) > 0) // and it really ran in bf16
        #expect(got.out == again.out && got.dx == again.dx && got.dw == again.dw)
    }
}
