import Foundation

/// The toolkit's one default seed (Python's examples and `TrainingArguments` use 42): every
/// `seed:` parameter that has a default — models' dropout, `TrainingArguments`, `DataLoader` —
/// defaults to this, so a program seeds everything differently by passing its own seed where it
/// builds those, as a Python program does.
public let defaultSeed: UInt64 = 42

/// A counter-based random generator: the value at (key, index) is a pure function, so a
/// dropout mask can be regenerated in the backward pass instead of stored, and generating it in
/// parallel gives the same bits as generating it serially.
public struct CounterRandom: Sendable {
    /// The key every value depends on, from the seed and the stream.
    public let key: UInt64

    /// A generator for one use (`stream`, e.g. a layer and site) of one `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        key = CounterRandom.mix(seed &+ CounterRandom.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    /// SplitMix64's finaliser: a bijective 64-bit mix with good avalanche.
    @inline(__always)
    public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) for `index`, with 24 bits of resolution.
    @inline(__always)
    public func uniform(_ index: Int) -> Float {
        Float(CounterRandom.mix(key ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)) >> 40)
            * (1.0 / 16_777_216.0)
    }

    /// A standard normal value for `index` (Box–Muller on two uniforms derived from it).
    public func normal(_ index: Int) -> Float {
        let u1 = Double(CounterRandom.mix(key ^ UInt64(truncatingIfNeeded: 2 &* index)) >> 11) * 0x1p-53
        let u2 = Double(CounterRandom.mix(key ^ UInt64(truncatingIfNeeded: 2 &* index &+ 1)) >> 11) * 0x1p-53
        let r = (-2 * log(max(u1, 1e-300))).squareRoot()
        return Float(r * cos(2 * Double.pi * u2))
    }

    /// Fills `t` with normal values of standard deviation `std` (weight initialisation).
    public func fillNormal(_ t: Tensor, std: Float) {
        for i in 0..<t.count { t.data[i] = normal(i) * std }
    }
}
