import CVector
import Foundation

// Vectorised erf and exp for the GELU kernels. libm's `erff`/`expf` are scalar calls that
// LLVM cannot vectorise; over the [B·T, 4C] FFN activations they cost more than all the other
// element-wise work of a training step together. These run 16 lanes at a time (one AVX-512
// register) and agree with libm to a few units in the last place.

/// Float lanes processed together by the vector kernels.
public typealias FloatLanes = SIMD16<Float>

/// a·b + c per lane in one rounding (a fused multiply-add instruction): Swift does not contract
/// `a * b + c` by itself, and the polynomials below are chains of them.
@_transparent
public func mulAdd(_ a: FloatLanes, _ b: FloatLanes, _ c: FloatLanes) -> FloatLanes { c.addingProduct(a, b) }

/// a·b + c per lane with scalar `b` and `c`, in one rounding.
@_transparent
public func mulAdd(_ a: FloatLanes, _ b: Float, _ c: Float) -> FloatLanes {
    FloatLanes(repeating: c).addingProduct(a, FloatLanes(repeating: b))
}

/// a·b + c per lane with a scalar `c`, in one rounding.
@_transparent
public func mulAdd(_ a: FloatLanes, _ b: FloatLanes, _ c: Float) -> FloatLanes {
    FloatLanes(repeating: c).addingProduct(a, b)
}

/// √x per lane in one instruction (`SIMD16<Float>.squareRoot()` calls libm once per lane).
@_transparent
public func vectorSqrt(_ x: FloatLanes) -> FloatLanes { course_sqrt16(x) }

/// 8 floats widened to double in one instruction.
@_transparent
public func widen(_ x: SIMD8<Float>) -> SIMD8<Double> { course_widen8(x) }

/// erf(x) per lane, absolute error ≤ 5e-7 against libm's `erff`. A minimax rational
/// approximation x·P(x²)/Q(x²) on [-4, 4] (erf is ±1 in float beyond that), the form used by
/// several vector math libraries.
@_transparent // always inlined, even into closures: an out-of-line call splits the lanes into four 4-lane pieces
public func vectorErf(_ x: FloatLanes) -> FloatLanes {
    // `clamped` and `rounded` are generic and not vectorised by the compiler; comparisons are.
    let c = x.replacing(with: -4, where: x .< -4).replacing(with: 4, where: x .> 4)
    let x2 = c * c
    var p = mulAdd(x2, -2.72614225801306e-10, 2.77068142495902e-08)
    p = mulAdd(p, x2, -2.10102402082508e-06)
    p = mulAdd(p, x2, -5.69250639462346e-05)
    p = mulAdd(p, x2, -7.34990630326855e-04)
    p = mulAdd(p, x2, -2.95459980854025e-03)
    p = mulAdd(p, x2, -1.60960333262415e-02)
    var q = mulAdd(x2, -1.45660718464996e-05, -2.13374055278905e-04)
    q = mulAdd(q, x2, -1.68282697438203e-03)
    q = mulAdd(q, x2, -7.37332916720468e-03)
    q = mulAdd(q, x2, -1.42647390514189e-02)
    return c * p / q
}

/// exp(x) per lane for x ≤ 0 (the GELU density's exp(−x²/2)), relative error ≤ 2e-7; lanes
/// below −87 give 0. Range reduction x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for
/// eʳ, and 2ⁿ built in the exponent bits.
@_transparent
public func vectorExpNonPositive(_ x: FloatLanes) -> FloatLanes {
    let xc = x.replacing(with: -87, where: x .< -87).replacing(with: 0, where: x .> 0)
    // Adding 1.5·2²³ rounds to the nearest integer n and leaves it in the low mantissa bits.
    let shifted = xc * 1.44269504088896341 + 12582912
    let n = shifted - 12582912
    // ln2 split in two so r keeps full precision.
    let r = xc - n * 0.693359375 + n * 2.12194440e-4
    var p = mulAdd(r, 1.9875691500e-4, 1.3981999507e-3)
    p = mulAdd(p, r, 8.3334519073e-3)
    p = mulAdd(p, r, 4.1665795894e-2)
    p = mulAdd(p, r, 1.6666665459e-1)
    p = mulAdd(p, r, 5.0000001201e-1)
    let er = mulAdd(p * r, r, r) + 1
    // 2ⁿ for n in [-126, 0]: (n + 127) << 23 as the float's bit pattern.
    let biased = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- (0x4B40_0000 - 127)
    let scale = unsafeBitCast(biased &<< 23, to: FloatLanes.self)
    return (er * scale).replacing(with: 0, where: x .< -87)
}

// Loads and stores of one lane vector. The `count` variants also handle a row's tail (< 16 floats):
// the missing lanes read as `fill` and are never written, so a kernel's tail goes through the
// same vector arithmetic as its body.

/// The 16 floats at `p` (unaligned); all 16 must be readable.
@inline(__always)
public func loadLanes(_ p: UnsafePointer<Float>) -> FloatLanes {
    UnsafeRawPointer(p).loadUnaligned(as: FloatLanes.self)
}

/// The first `count` floats at `p`, the other lanes `fill` (all 16 read when `count` ≥ 16).
@inline(__always)
public func loadLanes(_ p: UnsafePointer<Float>, count: Int, fill: Float = 0) -> FloatLanes {
    if count >= FloatLanes.scalarCount { return loadLanes(p) }
    var x = FloatLanes(repeating: fill)
    for j in 0..<count { x[j] = p[j] }
    return x
}

/// Writes the 16 lanes of `x` to `p` (unaligned).
@inline(__always)
public func storeLanes(_ x: FloatLanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: x, as: FloatLanes.self)
}

/// Writes the first `count` lanes of `x` to `p` (all 16 when `count` ≥ 16).
@inline(__always)
public func storeLanes(_ x: FloatLanes, _ p: UnsafeMutablePointer<Float>, count: Int) {
    if count >= FloatLanes.scalarCount { return storeLanes(x, p) }
    for j in 0..<count { p[j] = x[j] }
}

/// dst[0..<count] += src[0..<count], 16 lanes at a time.
@inline(__always)
func addLanes(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    let w = FloatLanes.scalarCount
    var j = 0
    while j < count {
        let k = min(w, count - j)
        storeLanes(loadLanes(dst + j, count: k) + loadLanes(src + j, count: k), dst + j, count: k)
        j += w
    }
}

/// Σ p[0..<count], 16 partial sums combined in a fixed order: the same bits on every run and
/// for every thread split (a row is always summed by one thread).
@inline(__always)
func laneSum(_ p: UnsafePointer<Float>, count: Int) -> Float {
    let w = FloatLanes.scalarCount
    var acc = FloatLanes(repeating: 0)
    var j = 0
    while j + w <= count { acc += loadLanes(p + j); j += w }
    if j < count { acc += loadLanes(p + j, count: count - j) }
    return acc.sum()
}
