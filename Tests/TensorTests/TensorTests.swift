import Foundation
import Testing
@testable import Tensor

@Suite(.serialized) struct TensorTests {
    @Test func storageShapeAndErrors() throws {
        let t = try Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
        #expect(t.count == 6 && t[1, 2] == 5 && t[0, 1] == 1)
        t[1, 0] = 9
        #expect(t.scalars == [0, 1, 2, 9, 4, 5])
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 2], values: [1, 2, 3]) }
        #expect(throws: TensorError.self) { try t.copy(from: Tensor(shape: [5])) }
        t.zero()
        #expect(t.scalars.allSatisfy { $0 == 0 })
    }

    @Test func counterRandomIsUniformAndRepeatable() {
        let rng = CounterRandom(seed: 42, stream: 3)
        let u = (0..<50_000).map { rng.uniform($0) }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(u.reduce(0, +) / Float(u.count) - 0.5) < 0.01)
        #expect(u[123] == CounterRandom(seed: 42, stream: 3).uniform(123))
        let normal = (0..<50_000).map { rng.normal($0) }
        let mean = normal.reduce(0, +) / Float(normal.count)
        let variance = normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(normal.count)
        #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.03)
    }

    /// Kernels give bit-identical results for 1 and 2 threads (each output has one summation order).
    @Test func kernelsAreIdenticalAcrossThreadCounts() {
        let n = 512, c = 384
        let x = randomArray(n * c, seed: 21), w = randomArray(c, seed: 22), bias = randomArray(c, seed: 23)
        let dy = randomArray(n * c, seed: 24)
        func run() -> [Float] {
            var o = [Float](repeating: 0, count: n * c), m = [Float](repeating: 0, count: n), s = m
            layerNormForward(&o, mean: &m, rstd: &s, x, weight: w, bias: bias, n: n, c: c, eps: 1e-12)
            var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: c), db = dw
            layerNormBackward(dinp: &dx, dweight: &dw, dbias: &db, dout: dy, inp: x, weight: w, mean: m, rstd: s, n: n, c: c)
            var g = [Float](repeating: 0, count: n * c)
            geluForward(&g, x, count: n * c)
            return o + dx + dw + db + g
        }
        let one = Threads.$kernelOverride.withValue(1) { run() }
        let two = Threads.$kernelOverride.withValue(2) { run() }
        #expect(one == two)
    }
}

@Test func softmaxAndArgmaxWorkOnTheLastAxis() throws {
    let logits = try Tensor(shape: [2, 3], values: [1, 3, 2, 0, 0, -1])
    #expect(logits.argmax() == [1, 0])
    let p = logits.softmax()
    #expect(p.shape == [2, 3])
    let e: [Float] = [1, 3, 2].map { expf($0) }
    #expect(abs(p[0, 1] - e[1] / e.reduce(0, +)) < 1e-6)
    #expect(abs(p[1, 0] + p[1, 1] + p[1, 2] - 1) < 1e-6 && p[1, 0] == p[1, 1])
}
