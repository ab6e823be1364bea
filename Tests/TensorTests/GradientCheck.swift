import Tensor

/// A small deterministic pseudo-random array in [-scale, scale).
func randomArray(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    let rng = CounterRandom(seed: seed)
    return (0..<n).map { (rng.uniform($0) * 2 - 1) * scale }
}

/// Checks an analytic input gradient by central finite differences of L = Σ out · r.
/// `forward` maps an input array to an output array; `analytic` is dL/dinput for the given r.
/// Returns the largest error relative to the gradient's scale.
func finiteDifferenceError(input: [Float], weights r: [Float], analytic: [Float], h: Float = 1e-2,
                           forward: ([Float]) -> [Float]) -> Float {
    func loss(_ x: [Float]) -> Double { zip(forward(x), r).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
    var worst: Float = 0
    let scale = max(analytic.map(abs).max() ?? 0, 1e-3)
    for i in 0..<input.count {
        var plus = input, minus = input
        plus[i] += h
        minus[i] -= h
        let numeric = Float((loss(plus) - loss(minus)) / Double(2 * h))
        worst = max(worst, abs(numeric - analytic[i]) / scale)
    }
    return worst
}
