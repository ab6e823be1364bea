// NumPy's default random generator (`np.random.default_rng(seed)`: SeedSequence → PCG64),
// reimplemented so that `shuffle(seed:)` and `trainTestSplit(seed:)` pick the same rows as
// Python `datasets`, which draws its permutations from exactly this generator.

/// `np.random.default_rng(seed)`, enough of it for `permutation(n)`.
struct NumpyGenerator {
    // PCG64 state and increment, 128-bit each, as (high, low) halves.
    private var stateHigh: UInt64 = 0, stateLow: UInt64 = 0
    private var incHigh: UInt64 = 0, incLow: UInt64 = 0
    // next_uint32 hands out the two halves of one 64-bit output, low half first.
    private var spare: UInt32?

    private static let multHigh: UInt64 = 2_549_297_995_355_413_924
    private static let multLow: UInt64 = 4_865_540_595_714_422_341

    init(seed: UInt64) {
        let words = NumpyGenerator.seedSequenceState(entropy: seed)
        // PCG64 takes its 128-bit seed from words 0–1 and its stream from words 2–3 (high first).
        let initState = (words[0], words[1]), initSeq = (words[2], words[3])
        incHigh = (initSeq.0 << 1) | (initSeq.1 >> 63)
        incLow = (initSeq.1 << 1) | 1
        step()
        let (low, carry) = stateLow.addingReportingOverflow(initState.1)
        stateLow = low
        stateHigh = stateHigh &+ initState.0 &+ (carry ? 1 : 0)
        step()
    }

    /// state = state × multiplier + increment (mod 2^128).
    private mutating func step() {
        let product = stateLow.multipliedFullWidth(by: NumpyGenerator.multLow)
        let high = product.high &+ stateHigh &* NumpyGenerator.multLow &+ stateLow &* NumpyGenerator.multHigh
        let (low, carry) = product.low.addingReportingOverflow(incLow)
        stateLow = low
        stateHigh = high &+ incHigh &+ (carry ? 1 : 0)
    }

    /// PCG64's XSL-RR output of the advanced state.
    mutating func next64() -> UInt64 {
        step()
        let rotation = stateHigh >> 58
        let x = stateHigh ^ stateLow
        return (x >> rotation) | (x << ((64 - rotation) & 63))
    }

    mutating func next32() -> UInt32 {
        if let s = spare { spare = nil; return s }
        let v = next64()
        spare = UInt32(truncatingIfNeeded: v >> 32)
        return UInt32(truncatingIfNeeded: v)
    }

    /// A uniform integer in 0...max by masked rejection (NumPy's `random_interval`).
    mutating func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        var mask = max
        for shift in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> shift }
        if max <= UInt64(UInt32.max) {
            while true {
                let v = UInt64(next32()) & mask
                if v <= max { return v }
            }
        }
        while true {
            let v = next64() & mask
            if v <= max { return v }
        }
    }

    /// `generator.permutation(n)`: a Fisher–Yates shuffle of 0..<n from the last index down.
    mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<n)
        var i = n - 1
        while i > 0 {
            let j = Int(interval(UInt64(i)))
            a.swapAt(i, j)
            i -= 1
        }
        return a
    }

    /// NumPy's SeedSequence: a 4-word pool mixed from the seed's 32-bit words, then expanded to
    /// four 64-bit words (`generate_state(4, np.uint64)`).
    static func seedSequenceState(entropy: UInt64) -> [UInt64] {
        var words: [UInt32] = [UInt32(truncatingIfNeeded: entropy)]
        if entropy >> 32 != 0 { words.append(UInt32(truncatingIfNeeded: entropy >> 32)) }
        var hashConst: UInt32 = 0x43b0_d7e5
        func hashmix(_ value: UInt32) -> UInt32 {
            var v = value ^ hashConst
            hashConst = hashConst &* 0x931e_8875
            v = v &* hashConst
            return v ^ (v >> 16)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let r = 0xca01_f9dd &* x &- 0x4973_f715 &* y
            return r ^ (r >> 16)
        }
        var pool = [UInt32](repeating: 0, count: 4)
        for i in 0..<4 { pool[i] = hashmix(i < words.count ? words[i] : 0) }
        for src in 0..<4 {
            for dst in 0..<4 where src != dst { pool[dst] = mix(pool[dst], hashmix(pool[src])) }
        }
        var out32 = [UInt32](repeating: 0, count: 8)
        var hashB: UInt32 = 0x8b51_f9dd
        for i in 0..<8 {
            var v = pool[i % 4] ^ hashB
            hashB = hashB &* 0x58f3_8ded
            v = v &* hashB
            out32[i] = v ^ (v >> 16)
        }
        return (0..<4).map { UInt64(out32[2 * $0]) | UInt64(out32[2 * $0 + 1]) << 32 }
    }
}
