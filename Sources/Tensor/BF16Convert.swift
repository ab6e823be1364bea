import CVector
import Foundation

/// bfloat16 as stored here: the upper 16 bits of an IEEE fp32 (1 sign, 8 exponent, 7 mantissa
/// bits), kept as `UInt16` bit patterns because Swift has no bf16 arithmetic type and none is
/// needed: only oneDNN reads them.

/// dst[i] = bf16(src[i]) for i in 0..<count, rounded to nearest even (as PyTorch and oneDNN
/// round); NaN stays a (quiet) NaN. Element-wise, so the result does not depend on threads.
public func convertToBF16(_ dst: UnsafeMutablePointer<UInt16>, _ src: UnsafePointer<Float>, count: Int) {
    parallelFor(count, costPerItem: 2) { range in
        let lanes = 16
        var i = range.lowerBound
        while i + lanes <= range.upperBound {
            storeBF16Lanes(loadLanes(src + i), dst + i)
            i += lanes
        }
        while i < range.upperBound {
            dst[i] = bf16Bits(src[i])
            i += 1
        }
    }
}

/// The fp32 value of a bf16 bit pattern (exact: bf16 is a prefix of fp32).
@inline(__always)
public func floatFromBF16(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

@inline(__always)
func bf16Bits(_ x: Float) -> UInt16 {
    let u = x.bitPattern
    if u & 0x7FFF_FFFF > 0x7F80_0000 { return UInt16(truncatingIfNeeded: u >> 16) | 0x0040 }
    return UInt16(truncatingIfNeeded: (u &+ 0x7FFF &+ ((u >> 16) & 1)) >> 16)
}

/// dst[0..<16] = bf16(x), as `bf16Bits` per lane (in C: see `course_bf16_round16`).
@inline(__always)
func storeBF16Lanes(_ x: FloatLanes, _ dst: UnsafeMutablePointer<UInt16>) {
    UnsafeMutableRawPointer(dst).storeBytes(of: course_bf16_round16(x), as: SIMD16<UInt16>.self)
}

/// A growable bf16 buffer (scratch for converted activations, or a layer's bf16 weights).
public final class BF16Buffer: @unchecked Sendable {
    /// The bf16 values (raw 16-bit patterns); `reserve` may reallocate it, so never keep it across one.
    public private(set) var data: UnsafeMutablePointer<UInt16>
    /// How many bf16 values `data` holds (at least 1).
    public private(set) var capacity: Int

    /// A buffer of at least `capacity` bf16 values (uninitialised).
    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        data = .allocate(capacity: self.capacity)
        data.initialize(repeating: 0, count: self.capacity)
    }

    deinit { data.deallocate() }

    /// Makes room for `count` values (the contents are not kept when it grows).
    public func reserve(_ count: Int) {
        guard count > capacity else { return }
        data.deallocate()
        capacity = count
        data = .allocate(capacity: count)
        data.initialize(repeating: 0, count: count)
    }

    /// Converts `count` floats into the buffer (growing it) and returns it.
    @discardableResult
    public func load(_ src: UnsafePointer<Float>, count: Int) -> UnsafeMutablePointer<UInt16> {
        reserve(count)
        convertToBF16(data, src, count: count)
        return data
    }
}
