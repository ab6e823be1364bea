import Foundation
import Testing
@testable import Tensor

/// Each kernel's backward against finite differences of its forward, and known values.
@Suite struct KernelTests {
    @Test func matmulMatchesNaiveProductAndGradients() throws {
        let n = 3, c = 4, oc = 5
        let x = randomArray(n * c, seed: 1), w = randomArray(oc * c, seed: 2), b = randomArray(oc, seed: 3)
        var out = [Float](repeating: 0, count: n * oc)
        matmulForward(&out, x, w, b, n: n, c: c, oc: oc)
        for i in 0..<n { for o in 0..<oc {
            let ref = (0..<c).reduce(b[o]) { $0 + x[i * c + $1] * w[o * c + $1] }
            #expect(abs(out[i * oc + o] - ref) < 1e-5)
        } }
        let r = randomArray(n * oc, seed: 4)
        var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: oc * c), db = [Float](repeating: 0, count: oc)
        matmulBackward(dinp: &dx, dweight: &dw, dbias: &db, dout: r, inp: x, weight: w, n: n, c: c, oc: oc)
        func fwd(_ x: [Float], _ w: [Float], _ b: [Float]) -> [Float] {
            var o = [Float](repeating: 0, count: n * oc); matmulForward(&o, x, w, b, n: n, c: c, oc: oc); return o
        }
        #expect(finiteDifferenceError(input: x, weights: r, analytic: dx) { fwd($0, w, b) } < 1e-3)
        #expect(finiteDifferenceError(input: w, weights: r, analytic: dw) { fwd(x, $0, b) } < 1e-3)
        #expect(finiteDifferenceError(input: b, weights: r, analytic: db) { fwd(x, w, $0) } < 1e-3)
    }

    /// The threaded `gemm` against a naive product, for every transpose and both split directions.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func gemmSplitsMatchNaiveProduct(transA: Bool, transB: Bool) throws {
        for (m, n, k) in [(96, 40, 70), (40, 96, 70)] {
            let a = randomArray(m * k, seed: 31), b = randomArray(k * n, seed: 32), c0 = randomArray(m * n, seed: 33)
            let lda = transA ? m : k, ldb = transB ? k : n
            var ref = c0
            for i in 0..<m { for j in 0..<n {
                var s: Float = 0
                for p in 0..<k { s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]) }
                ref[i * n + j] = 0.5 * s + 2 * c0[i * n + j]
            } }
            for threads in [1, 2, 3] {
                var c = c0
                Threads.$kernelOverride.withValue(threads) {
                    gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a, lda: lda, b, ldb: ldb, beta: 2, &c, ldc: n)
                }
                #expect(zip(c, ref).allSatisfy { abs($0 - $1) < 1e-4 }, "m \(m) n \(n) threads \(threads)")
            }
        }
    }

    @Test func layerNormNormalisesAndHasCorrectGradients() throws {
        let n = 4, c = 6
        let x = randomArray(n * c, seed: 5, scale: 2), w = randomArray(c, seed: 6).map { $0 + 1 }, b = randomArray(c, seed: 7)
        func fwd(_ x: [Float], _ w: [Float], _ b: [Float]) -> [Float] {
            var o = [Float](repeating: 0, count: n * c), m = [Float](repeating: 0, count: n), s = m
            layerNormForward(&o, mean: &m, rstd: &s, x, weight: w, bias: b, n: n, c: c, eps: 1e-5)
            return o
        }
        let ones = [Float](repeating: 1, count: c), zeros = [Float](repeating: 0, count: c)
        let normed = fwd(x, ones, zeros)
        for r in 0..<n {
            let row = normed[(r * c)..<((r + 1) * c)]
            #expect(abs(row.reduce(0, +)) < 1e-5)
            #expect(abs(row.map { $0 * $0 }.reduce(0, +) / Float(c) - 1) < 1e-3)
        }
        var o = [Float](repeating: 0, count: n * c), m = [Float](repeating: 0, count: n), s = m
        layerNormForward(&o, mean: &m, rstd: &s, x, weight: w, bias: b, n: n, c: c, eps: 1e-5)
        let r = randomArray(n * c, seed: 8)
        var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: c), db = dw
        layerNormBackward(dinp: &dx, dweight: &dw, dbias: &db, dout: r, inp: x, weight: w, mean: m, rstd: s, n: n, c: c)
        #expect(finiteDifferenceError(input: x, weights: r, analytic: dx, h: 1e-3) { fwd($0, w, b) } < 5e-3)
        #expect(finiteDifferenceError(input: w, weights: r, analytic: dw) { fwd(x, $0, b) } < 1e-3)
        #expect(finiteDifferenceError(input: b, weights: r, analytic: db) { fwd(x, w, $0) } < 1e-3)
    }

    @Test func geluIsTheErfFormWithCorrectGradient() throws {
        var out = [Float](repeating: 0, count: 3)
        geluForward(&out, [-1, 0, 2], count: 3)
        // Reference values of x·Φ(x).
        #expect(abs(out[0] - -0.15865525) < 1e-6 && out[1] == 0 && abs(out[2] - 1.9544997) < 1e-6)
        let x = randomArray(50, seed: 9, scale: 3), r = randomArray(50, seed: 10)
        var dx = [Float](repeating: 0, count: 50)
        geluBackward(dinp: &dx, dout: r, inp: x, count: 50)
        #expect(finiteDifferenceError(input: x, weights: r, analytic: dx, h: 1e-3) {
            var o = [Float](repeating: 0, count: 50); geluForward(&o, $0, count: 50); return o
        } < 2e-3)
        var dt = [Float](repeating: 0, count: 50), t = [Float](repeating: 0, count: 50)
        tanhForward(&t, x, count: 50)
        tanhBackward(dinp: &dt, dout: r, out: t, count: 50)
        #expect(finiteDifferenceError(input: x, weights: r, analytic: dt, h: 1e-3) {
            var o = [Float](repeating: 0, count: 50); tanhForward(&o, $0, count: 50); return o
        } < 2e-3)
    }

    /// Attention with a padding mask and with dropout (a fixed mask from a fixed generator).
    @Test(arguments: [Float(0), 0.25])
    func attentionGradients(dropout: Float) throws {
        let b = 2, t = 3, c = 4, h = 2
        let q = randomArray(b * t * c, seed: 11), k = randomArray(b * t * c, seed: 12), v = randomArray(b * t * c, seed: 13)
        let mask: [Float] = [1, 1, 1, 1, 1, 0]
        let rng = CounterRandom(seed: 5, stream: 9)
        func fwd(_ q: [Float], _ k: [Float], _ v: [Float]) -> (out: [Float], att: [Float], attd: [Float]) {
            var out = [Float](repeating: 0, count: b * t * c), att = [Float](repeating: 0, count: b * h * t * t), attd = att
            attentionForward(out: &out, att: &att, attd: &attd, q: q, k: k, v: v, mask: mask, b: b, t: t, c: c, h: h,
                             dropout: dropout, rng: rng)
            return (out, att, attd)
        }
        let f = fwd(q, k, v)
        // Rows are distributions; the padded key of sequence 1 gets no weight.
        for row in 0..<(b * h * t) {
            #expect(abs(f.att[(row * t)..<((row + 1) * t)].reduce(0, +) - 1) < 1e-5)
            if row >= h * t { #expect(f.att[row * t + 2] == 0) }
        }
        let r = randomArray(b * t * c, seed: 14)
        var dq = [Float](repeating: 0, count: b * t * c), dk = dq, dv = dq, scratch = [Float](repeating: 0, count: b * h * t * t)
        attentionBackward(dq: &dq, dk: &dk, dv: &dv, scratch: &scratch, dout: r, att: f.att, attd: f.attd, q: q, k: k, v: v,
                          b: b, t: t, c: c, h: h, dropout: dropout)
        #expect(finiteDifferenceError(input: q, weights: r, analytic: dq, h: 1e-3) { fwd($0, k, v).out } < 5e-3)
        #expect(finiteDifferenceError(input: k, weights: r, analytic: dk, h: 1e-3) { fwd(q, $0, v).out } < 5e-3)
        #expect(finiteDifferenceError(input: v, weights: r, analytic: dv, h: 1e-3) { fwd(q, k, $0).out } < 5e-3)
    }

    /// The vector softmax row against a scalar Double reference, for lengths that are all tail,
    /// exactly one vector, and vectors plus a tail; masked keys get exactly 0.
    @Test(arguments: [1, 3, 16, 19, 37, 128])
    func softmaxRowMatchesScalarReferenceWithMask(t: Int) {
        let scores = randomArray(t, seed: UInt64(20 + t)).map { $0 * 8 }
        let bias = (0..<t).map { $0 % 5 == 4 ? -Float.greatestFiniteMagnitude : 0 }
        for masked in [false, true] {
            var row = scores
            row.withUnsafeMutableBufferPointer { r in
                bias.withUnsafeBufferPointer { softmaxRow(r.baseAddress!, count: t, bias: masked ? $0.baseAddress! : nil) }
            }
            let kept = (0..<t).filter { !masked || bias[$0] == 0 }
            let mx = kept.map { Double(scores[$0]) }.max() ?? 0
            let z = kept.map { exp(Double(scores[$0]) - mx) }.reduce(0, +)
            for j in 0..<t {
                let want = kept.contains(j) ? exp(Double(scores[j]) - mx) / z : 0
                #expect(abs(Double(row[j]) - want) < 1e-6, "t \(t) j \(j) masked \(masked)")
            }
        }
    }

    /// The backward with dropout folded in equals the textbook order: mask the gradient, then
    /// the softmax Jacobian.
    @Test(arguments: [5, 16, 21])
    func softmaxRowBackwardFoldsTheDropoutMask(t: Int) {
        var p = randomArray(t, seed: UInt64(40 + t))
        p.withUnsafeMutableBufferPointer { softmaxRow($0.baseAddress!, count: t, bias: nil) }
        let keepScale: Float = 1 / 0.75
        let keep = (0..<t).map { $0 % 3 != 1 }
        let pd = (0..<t).map { keep[$0] ? p[$0] * keepScale : 0 }
        let g = randomArray(t, seed: UInt64(60 + t))
        let gd = (0..<t).map { keep[$0] ? Double(g[$0]) * Double(keepScale) : 0 }
        let dot = (0..<t).map { Double(p[$0]) * gd[$0] }.reduce(0, +)
        var out = g
        out.withUnsafeMutableBufferPointer { o in
            softmaxRowBackward(o.baseAddress!, att: p, attd: pd, count: t, scale: 0.5)
        }
        for j in 0..<t { #expect(abs(Double(out[j]) - Double(p[j]) * (gd[j] - dot) * 0.5) < 1e-6) }
    }

    @Test func crossEntropyIgnoresMinus100AndMatchesLogSoftmax() throws {
        let logits: [Float] = [1, 2, 3, 0, 0, 0, 5, -5, 0]
        let targets: [Int32] = [2, ignoreIndex, 0]
        var probs = [Float](repeating: 0, count: 9)
        let (loss, count) = try crossEntropyForward(probs: &probs, logits: logits, targets: targets, n: 3, l: 3)
        let l0 = -log(exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0)))
        let l2 = -log(exp(5.0) / (exp(5.0) + exp(-5.0) + 1))
        #expect(count == 2 && abs(Double(loss) - (l0 + l2) / 2) < 1e-6)
        var d = [Float](repeating: 9, count: 9)
        crossEntropyBackward(dlogits: &d, probs: probs, targets: targets, n: 3, l: 3, count: count)
        #expect(Array(d[3..<6]) == [0, 0, 0])
        let r: [Float] = [1]
        #expect(finiteDifferenceError(input: logits, weights: r, analytic: d, h: 1e-3) { x in
            var p = [Float](repeating: 0, count: 9)
            return [(try? crossEntropyForward(probs: &p, logits: x, targets: targets, n: 3, l: 3).loss) ?? .nan]
        } < 2e-3)
        let none: [Int32] = [ignoreIndex, ignoreIndex, ignoreIndex]
        #expect(try crossEntropyForward(probs: &probs, logits: logits, targets: none, n: 3, l: 3) == (0, 0))
        #expect(throws: TensorError.self) { try crossEntropyForward(probs: &probs, logits: logits, targets: [3, 0, 0], n: 3, l: 3) }
    }

    @Test func embeddingSumsThreeTablesAndScattersGradients() throws {
        let c = 2, b = 1, t = 3
        let wte: [Float] = [0, 0, 1, 1, 2, 2], wpe: [Float] = [10, 10, 20, 20, 30, 30], wtt: [Float] = [100, 100, 200, 200]
        let ids: [Int32] = [2, 1, 2], types: [Int32] = [0, 0, 1]
        var out = [Float](repeating: 0, count: b * t * c)
        embeddingForward(&out, ids: ids, types: types, wte: wte, wpe: wpe, wtt: wtt, b: b, t: t, c: c)
        #expect(out == [112, 112, 121, 121, 232, 232])
        var dwte = [Float](repeating: 0, count: 6), dwpe = dwte, dwtt = [Float](repeating: 0, count: 4)
        embeddingBackward(dwte: &dwte, dwpe: &dwpe, dwtt: &dwtt, dout: [1, 2, 3, 4, 5, 6], ids: ids, types: types, b: b, t: t, c: c)
        #expect(dwte == [0, 0, 3, 4, 6, 8])
        #expect(dwpe == [1, 2, 3, 4, 5, 6])
        #expect(dwtt == [4, 6, 5, 6])
    }

    @Test func dropoutKeepsTheExpectedFractionAndItsBackwardUsesTheSameMask() throws {
        let n = 100_000
        let x = [Float](repeating: 1, count: n)
        var y = [Float](repeating: 0, count: n)
        let rng = CounterRandom(seed: 3, stream: 1)
        dropoutForward(&y, x, count: n, p: 0.1, rng: rng)
        let kept = y.filter { $0 != 0 }
        #expect(abs(Float(kept.count) / Float(n) - 0.9) < 0.01)
        #expect(kept.allSatisfy { abs($0 - 1 / 0.9) < 1e-6 })
        var g = [Float](repeating: 0, count: n)
        dropoutBackward(dinp: &g, dout: x, count: n, p: 0.1, rng: rng)
        #expect(g == y)
        var other = [Float](repeating: 0, count: n)
        dropoutForward(&other, x, count: n, p: 0.1, rng: CounterRandom(seed: 4, stream: 1))
        #expect(other != y)
    }
}
