import Foundation
import Testing
@testable import Tensor

/// The batched bf16 product (`bf16BatchedGemm`) and attention's bf16 forward and backward
/// (`attentionForwardBF16`, `attentionBackwardBF16`) against the fp32 functions.
@Suite struct BF16AttentionTests {
    /// Values k/8 with |k| < 64: exact in bf16, and their product sums are exact in fp32 here.
    func exactArray(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(((($0 &* 2654435761) ^ seed) % 127) - 63) / 8 }
    }

    /// Every operand layout attention uses (dense, transposed, a head's column block of wider
    /// rows, strided fp32 output) and a power-of-two scale: exact inputs give the exact product.
    @Test func batchedProductMatchesTheDoubleReferenceForEveryLayout() throws {
        let engine = try BF16Engine.shared()
        let b = 2, h = 3, m = 19, n = 8, k = 21
        typealias Case = (name: String, a: BatchedLayout, aCount: Int, b: BatchedLayout, bCount: Int,
                          c: BatchedLayout, cCount: Int)
        let cases: [Case] = [
            ("dense", .dense(heads: h, rows: m, cols: k), b * h * m * k, .dense(heads: h, rows: k, cols: n), b * h * k * n,
             .dense(heads: h, rows: m, cols: n), b * h * m * n),
            ("transposed", .denseTransposed(heads: h, rows: m, cols: k), b * h * m * k,
             .denseTransposed(heads: h, rows: k, cols: n), b * h * k * n,
             // C as head column blocks of [B, M, H·N] rows, 5 floats of padding per row.
             BatchedLayout(batch: m * (h * n + 5), head: n, row: h * n + 5, col: 1), b * m * (h * n + 5)),
            ("strided", BatchedLayout(batch: m * 3 * h * k, head: k, row: 3 * h * k, col: 1), b * m * 3 * h * k,
             .dense(heads: h, rows: k, cols: n), b * h * k * n, .dense(heads: h, rows: m, cols: n), b * h * m * n),
        ]
        for cs in cases {
            let a = exactArray(cs.aCount, seed: 1), bm = exactArray(cs.bCount, seed: 2)
            var a16 = [UInt16](repeating: 0, count: a.count), b16 = [UInt16](repeating: 0, count: bm.count)
            convertToBF16(&a16, a, count: a.count)
            convertToBF16(&b16, bm, count: bm.count)
            var got = [Float](repeating: -1, count: cs.cCount)
            bf16BatchedGemm(engine, batch: b, heads: h, m: m, n: n, k: k, a16, cs.a, b16, cs.b, alpha: 0.25, &got, cs.c)
            #expect(engine.takeError() == nil)
            var want = [Float](repeating: -1, count: cs.cCount)
            for bi in 0..<b {
                for hi in 0..<h {
                    for i in 0..<m {
                        for j in 0..<n {
                            var s = 0.0
                            for l in 0..<k {
                                s += Double(a[bi * cs.a.batch + hi * cs.a.head + i * cs.a.row + l * cs.a.col])
                                    * Double(bm[bi * cs.b.batch + hi * cs.b.head + l * cs.b.row + j * cs.b.col])
                            }
                            want[bi * cs.c.batch + hi * cs.c.head + i * cs.c.row + j * cs.c.col] = Float(s * 0.25)
                        }
                    }
                }
            }
            #expect(got == want, "\(cs.name)") // the padding between C's blocks is left alone too
        }
    }

    /// Attention over the fused [B, T, 3C] layout (q, k, v column blocks, as the model calls it),
    /// with a padding mask, with and without dropout, T not a multiple of 16 and D = 16 or 8 (the
    /// conversions' vector and scalar paths): bf16 against fp32.
    ///
    /// Tolerances: each product's operands are rounded to bf16 (relative ≤ 2⁻⁹ each), sums in
    /// fp32. Scores of unit-scale inputs move by ~1e-2 at most, probabilities by about as much
    /// times their size; the outputs and gradients are sums of T or D such terms, several of
    /// them cancelling (the softmax backward subtracts Σ attd·datt), so they stay within 1.5% of
    /// their largest magnitude (measured worst 0.6%: see the printed line). The dropout mask is
    /// the same counter-based draw, so dropped entries match exactly.
    @Test(arguments: [(Float(0), 16), (0.2, 16), (0, 8), (0.2, 8)])
    func attentionInBF16StaysWithinRoundingOfFP32(dropout: Float, d: Int) throws {
        let ctx = try BF16Context()
        let b = 3, t = 19, h = 3, c = h * d, ld = 3 * c
        let qkv = randomArray(b * t * ld, seed: 31, scale: 2)
        var mask = [Float](repeating: 1, count: b * t)
        for j in 15..<t { mask[t + j] = 0 } // sequence 1 has 4 padding keys
        let dout = randomArray(b * t * c, seed: 32)
        let rng = CounterRandom(seed: 7, stream: 3)
        typealias Run = (out: [Float], att: [Float], attd: [Float], dqkv: [Float])
        // fp32Attd false: the probabilities after dropout stay in bf16 only (in `saved`), as in training.
        func run(_ bf16: Bool, saved: BF16AttentionSaved? = nil, fp32Attd: Bool = true) -> Run {
            var out = [Float](repeating: 0, count: b * t * c), att = [Float](repeating: 0, count: b * h * t * t)
            var attd = att, scratch = att, dqkv = [Float](repeating: 0, count: b * t * ld)
            qkv.withUnsafeBufferPointer { x in
                let q = x.baseAddress!, k = q + c, v = q + 2 * c
                if bf16 {
                    attd.withUnsafeMutableBufferPointer { ad in
                        attentionForwardBF16(out: &out, att: &att, attd: fp32Attd ? ad.baseAddress : nil, q: q, k: k, v: v,
                                             mask: mask, b: b, t: t, c: c, h: h, ld: ld, dropout: dropout, rng: rng,
                                             context: ctx, saving: saved)
                    }
                } else {
                    attentionForward(out: &out, att: &att, attd: &attd, q: q, k: k, v: v, mask: mask, b: b, t: t,
                                     c: c, h: h, ld: ld, dropout: dropout, rng: rng)
                }
                dqkv.withUnsafeMutableBufferPointer { g in
                    let dq = g.baseAddress!, dk = dq + c, dv = dq + 2 * c
                    if bf16 {
                        attd.withUnsafeBufferPointer { ad in
                            attentionBackwardBF16(dq: dq, dk: dk, dv: dv, scratch: &scratch, dout: dout, att: att,
                                                  attd: fp32Attd ? ad.baseAddress : nil, q: q, k: k, v: v, b: b, t: t,
                                                  c: c, h: h, ld: ld, dropout: dropout, context: ctx, saved: saved)
                        }
                    } else {
                        attentionBackward(dq: dq, dk: dk, dv: dv, scratch: &scratch, dout: dout, att: att, attd: attd,
                                          q: q, k: k, v: v, b: b, t: t, c: c, h: h, ld: ld, dropout: dropout)
                    }
                }
            }
            return (out, att, attd, dqkv)
        }
        let ref = run(false), got = run(true), again = run(true)
        // The backward pass reading the forward pass's saved bf16 operands instead of converting again.
        let viaSaved = run(true, saved: BF16AttentionSaved())
        // Training's way: no fp32 map after dropout; the backward pass rebuilds it from att and the
        // bf16 copy's zeros, bit for bit the values the forward pass computed.
        let bf16Only = run(true, saved: BF16AttentionSaved(), fp32Attd: false)
        #expect(ctx.engine.takeError() == nil)
        func relative(_ a: [Float], _ b: [Float]) -> Float {
            zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
        }
        func part(_ g: [Float], _ i: Int) -> [Float] { // q, k or v's columns of the [B, T, 3C] gradient
            var columns: [Float] = []
            for r in 0..<(b * t) { columns += g[(r * ld + i * c)..<(r * ld + (i + 1) * c)] }
            return columns
        }
        var errors: [Float] = [relative(got.out, ref.out), relative(got.att, ref.att)]
        for i in 0..<3 { errors.append(relative(part(got.dqkv, i), part(ref.dqkv, i))) }
        print("bf16 attention (dropout \(dropout), D \(d)) relative errors out, att, dq, dk, dv: \(errors); "
            + "oneDNN: \(ctx.engine.implementationsUsed)")
        #expect(errors[0] > 0) // it really ran in bf16
        for e in errors { #expect(e < 1.5e-2) }
        // On a CPU with native bf16, every attention product took oneDNN's brgemm kernels (the
        // per-head dense bf16 copies exist for that), not its slower strided gemm.
        if BF16Engine.hasNativeBF16 {
            ctx.engine.lock.lock()
            let used = ctx.engine.batchedPrimitives.filter { $0.key.batch == b && $0.key.heads == h }
                .map { "\($0.key.m)x\($0.key.k)x\($0.key.n) a\($0.key.a) b\($0.key.b) c\($0.key.c): \($0.value.implementation)" }
            ctx.engine.lock.unlock()
            #expect(used.count >= 5 && used.allSatisfy { $0.hasSuffix("brg:avx512_core_bf16") }, "\(used)")
        }
        // Rows stay distributions; masked keys and dropped entries are exactly 0 in both.
        for row in 0..<(b * h * t) {
            #expect(abs(got.att[(row * t)..<((row + 1) * t)].reduce(0, +) - 1) < 1e-5)
        }
        #expect(zip(got.attd, ref.attd).allSatisfy { ($0 == 0) == ($1 == 0) })
        #expect(got.out == again.out && got.att == again.att && got.dqkv == again.dqkv)
        #expect(viaSaved.out == got.out && viaSaved.dqkv == got.dqkv)
        #expect(bf16Only.out == got.out && bf16Only.att == got.att && bf16Only.dqkv == got.dqkv)
    }

    /// Dropout with the probabilities kept in bf16 only needs the saved operands of the same
    /// forward pass: without them both passes record an error instead of reading nothing.
    @Test func bf16OnlyDropoutWithoutSavedOperandsIsAnError() throws {
        let ctx = try BF16Context()
        let b = 1, t = 4, h = 2, c = 8
        let x = randomArray(b * t * c, seed: 5)
        var out = [Float](repeating: 0, count: b * t * c), att = [Float](repeating: 0, count: b * h * t * t)
        var scratch = att, dq = out, dk = out, dv = out
        attentionForwardBF16(out: &out, att: &att, attd: nil, q: x, k: x, v: x, mask: nil, b: b, t: t, c: c, h: h,
                             dropout: 0.1, rng: CounterRandom(seed: 1), context: ctx, saving: nil)
        let forward = ctx.engine.takeError()
        #expect(forward?.description.contains("needs `saving`") == true, "\(String(describing: forward))")
        attentionBackwardBF16(dq: &dq, dk: &dk, dv: &dv, scratch: &scratch, dout: x, att: att, attd: nil, q: x, k: x,
                              v: x, b: b, t: t, c: c, h: h, dropout: 0.1, context: ctx, saved: BF16AttentionSaved())
        let backward = ctx.engine.takeError()
        #expect(backward?.description.contains("not from this forward pass") == true, "\(String(describing: backward))")
    }
}
