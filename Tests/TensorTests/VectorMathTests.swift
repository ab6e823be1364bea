import Foundation
import Testing
@testable import Tensor

/// The vector erf and exp against libm over their whole useful range, and the GELU kernels'
/// independence from where a thread's range starts.
@Suite struct VectorMathTests {
    @Test func erfMatchesLibm() {
        var worst: Float = 0
        var x: Float = -6
        while x < 6 {
            var lanes = FloatLanes(repeating: 0)
            for l in 0..<FloatLanes.scalarCount { lanes[l] = x + Float(l) * 1e-3 }
            let y = vectorErf(lanes)
            for l in 0..<FloatLanes.scalarCount { worst = max(worst, abs(y[l] - erff(lanes[l]))) }
            x += 0.016
        }
        #expect(worst <= 5e-7, "max |vectorErf − erff| = \(worst)")
    }

    @Test func expMatchesLibmOnNonPositiveInputs() {
        var worst: Float = 0
        var x: Float = -90
        while x <= 0 {
            var lanes = FloatLanes(repeating: 0)
            for l in 0..<FloatLanes.scalarCount { lanes[l] = min(0, x + Float(l) * 1e-3) }
            let y = vectorExpNonPositive(lanes)
            for l in 0..<FloatLanes.scalarCount {
                let ref = expf(lanes[l])
                let rel = ref < 1e-37 ? abs(y[l]) : abs(y[l] - ref) / ref
                worst = max(worst, rel)
            }
            x += 0.016
        }
        #expect(worst <= 3e-7, "max relative error of vectorExpNonPositive = \(worst)")
    }

    /// The tail path (fewer than 16 elements) gives the same bits as the full-vector path, so a
    /// result never depends on how `parallelFor` splits the range.
    @Test func geluBitsDoNotDependOnOffset() {
        let x = (0..<37).map { Float($0) * 0.37 - 7 }
        var whole = [Float](repeating: 0, count: 37)
        geluForward(&whole, x, count: 37)
        for start in [1, 5, 21] {
            var part = [Float](repeating: 0, count: 37 - start)
            x.withUnsafeBufferPointer { geluForward(&part, $0.baseAddress! + start, count: 37 - start) }
            #expect(part == Array(whole[start...]))
        }
        let exact = x.map { 0.5 * $0 * (1 + erff($0 * 0.70710678)) }
        #expect(zip(whole, exact).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
    }
}
