import Foundation

// Axis ticks at "nice" numbers (1, 2 or 5 times a power of ten), so labels read 0.2, 0.4, 0.6
// rather than 0.173, 0.346.

/// The ticks of one axis: the axis runs from `lower` to `upper`, with a tick every `step`.
public struct Ticks: Sendable, Equatable {
    /// Where the axis starts: a multiple of `step` at or below the data's minimum.
    public var lower: Double
    /// Where the axis ends: a multiple of `step` at or above the data's maximum.
    public var upper: Double
    /// The distance between ticks: 1, 2 or 5 times a power of ten.
    public var step: Double
    /// Decimals that show every tick distinctly (0 for a step of 1 or more).
    public var decimals: Int

    /// Every tick from `lower` to `upper`, `step` apart.
    public var values: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// Labels with a fixed number of decimals (stable bytes).
    public var labels: [String] { values.map { String(format: "%.\(decimals)f", $0 == 0 ? 0 : $0) } }

    /// Nice ticks covering `minimum...maximum` with about `target` intervals.
    public init(minimum: Double, maximum: Double, target: Int = 5) {
        var lo = minimum, hi = maximum
        if hi - lo < 1e-12 {
            // A single value: centre it in a range of its own size (or ±1 around 0).
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let step = Ticks.nice((hi - lo) / Double(max(target, 1)))
        lower = (lo / step).rounded(.down) * step
        upper = (hi / step).rounded(.up) * step
        // Guard against floating-point drift in the division (e.g. 0.30000000000000004).
        if upper - step >= hi - 1e-9 * step { upper -= step }
        if lower + step <= lo + 1e-9 * step { lower += step }
        self.step = step
        decimals = max(0, Int((-log10(step)).rounded(.up)))
    }

    /// The nice number (1, 2, 5 × 10^k) closest to `x` from above.
    static func nice(_ x: Double) -> Double {
        let exponent = (log10(x)).rounded(.down)
        let fraction = x / pow(10, exponent)
        let niceFraction: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return niceFraction * pow(10, exponent)
    }
}
