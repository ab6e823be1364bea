import CVector
import Foundation

// The two quantisations of dynamic int8 inference (as PyTorch's `quantize_dynamic` and ONNX
// Runtime's MatMulInteger + DynamicQuantizeLinear do it):
// - weights once, symmetric s8 per output channel: q = round(w / s), s = max|w[n, :]| / 127;
// - activations at every product, affine u8 per tensor: q = round(x / s) + z, with
//   s = (max(x, 0) − min(x, 0)) / 255 and z = round(−min(x, 0) / s), so 0 is exact.
// u8 rather than s8 activations because VNNI's VPDPBUSD multiplies unsigned by signed bytes:
// u8 feeds it as it is (oneDNN adds a compensation pass for s8 sources), and the asymmetric
// range spends all 256 levels on skewed inputs such as GELU outputs (≥ −0.17), where a
// symmetric s8 scale would leave half its levels unused.

/// A weight [N, K] quantised symmetric per output row: q[n, k] = round(w[n, k] / scale[n]) in
/// −127...127; `columnSums[n]` = Σₖ q[n, k] (for the activation zero point's correction).
public struct QuantizedWeight: @unchecked Sendable {
    /// [N, K] row-major int8 values.
    public let values: [Int8]
    /// [N] dequantisation scales: w ≈ q · scale[n].
    public let scales: [Float]
    /// [N] Σₖ q[n, k].
    public let columnSums: [Int32]
    /// N (output features) and K (input features).
    public let n, k: Int

    /// Quantises `weight` [N, K] row-major. A row of zeros gets scale 1 (its values are 0 anyway).
    public init(_ weight: UnsafePointer<Float>, n: Int, k: Int) {
        var values = [Int8](repeating: 0, count: n * k)
        var scales = [Float](repeating: 1, count: n)
        var sums = [Int32](repeating: 0, count: n)
        for row in 0..<n {
            let w = weight + row * k
            var maxAbs: Float = 0
            for i in 0..<k { maxAbs = max(maxAbs, abs(w[i])) }
            let scale: Float = maxAbs > 0 ? maxAbs / 127 : 1
            var sum: Int32 = 0
            for i in 0..<k {
                let q = Int8(max(-127, min(127, (w[i] / scale).rounded(.toNearestOrEven))))
                values[row * k + i] = q
                sum += Int32(q)
            }
            scales[row] = scale
            sums[row] = sum
        }
        self.values = values
        self.scales = scales
        self.columnSums = sums
        self.n = n
        self.k = k
    }
}

/// The u8 affine parameters of a tensor whose values lie in [lo, hi] (ONNX DynamicQuantizeLinear):
/// the range is widened to include 0; a constant-zero tensor gets scale 1, zero point 0.
@inline(__always)
public func u8QuantizationParameters(lo: Float, hi: Float) -> (scale: Float, zeroPoint: Float) {
    let lo = min(lo, 0), hi = max(hi, 0)
    guard hi > lo, (hi - lo).isFinite else { return (1, 0) }
    let scale = (hi - lo) / 255
    return (scale, max(0, min(255, (-lo / scale).rounded(.toNearestOrEven))))
}

/// Quantises x[count] to u8 per tensor into `q` and returns its (scale, zeroPoint): x ≈ (q − z) · s.
/// Two passes (range, then values), each split over `Threads.count` threads; element-wise, so
/// the result does not depend on the thread count.
public func quantizeU8(_ q: UnsafeMutablePointer<UInt8>, _ x: UnsafePointer<Float>, count: Int)
    -> (scale: Float, zeroPoint: Float) {
    guard count > 0 else { return (1, 0) }
    let threads = max(1, min(Threads.kernelOverride ?? Threads.count, count / 65_536 + 1))
    let size = (count + threads - 1) / threads
    var ranges = [Float](repeating: 0, count: 2 * threads)
    ranges.withUnsafeMutableBufferPointer { r in
        let r = r.baseAddress!
        DispatchQueue.concurrentPerform(iterations: threads) { c in
            let lo = c * size, hi = min(count, lo + size)
            if lo < hi { course_minmax_f32(x + lo, hi - lo, r + 2 * c, r + 2 * c + 1) }
            else { r[2 * c] = 0; r[2 * c + 1] = 0 }
        }
    }
    var lo = Float.infinity, hi = -Float.infinity
    for c in 0..<threads { lo = min(lo, ranges[2 * c]); hi = max(hi, ranges[2 * c + 1]) }
    let (scale, zeroPoint) = u8QuantizationParameters(lo: lo, hi: hi)
    let inverse = 1 / scale
    parallelFor(count, costPerItem: 2) { range in
        course_quantize_u8(x + range.lowerBound, range.count, inverse, zeroPoint, q + range.lowerBound)
    }
    return (scale, zeroPoint)
}
