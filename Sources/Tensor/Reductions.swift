import Foundation

extension Tensor {
    /// Softmax over the last axis (class probabilities from logits [..., L]); a new tensor.
    public func softmax() -> Tensor {
        let out = Tensor(shape: shape)
        let l = shape.last ?? 1
        guard l > 0 else { return out }
        for r in 0..<(count / l) {
            let x = data + r * l, y = out.data + r * l
            var mx = -Float.infinity
            for j in 0..<l { mx = max(mx, x[j]) }
            var sum: Float = 0
            for j in 0..<l { y[j] = expf(x[j] - mx); sum += y[j] }
            for j in 0..<l { y[j] /= sum }
        }
        return out
    }

    /// Index of the largest value along the last axis (predicted classes from logits [..., L]),
    /// row-major over the leading axes; ties go to the first index, as in PyTorch.
    public func argmax() -> [Int] {
        let l = shape.last ?? 1
        guard l > 0 else { return [] }
        return (0..<(count / l)).map { r in
            let x = data + r * l
            var best = 0
            for j in 1..<l where x[j] > x[best] { best = j }
            return best
        }
    }
}

/// Adds column sums over `n` rows into dst[0..<width]. Rows are taken in fixed chunks of 64:
/// `accumulate(rows, partial)` adds one chunk's contributions into its own zeroed `partial`
/// [width] (chunks run in parallel, each reading its rows contiguously), and the partials are
/// added into dst in chunk order — the same bits for any thread count.
func chunkedColumnSums(_ dst: UnsafeMutablePointer<Float>, width: Int, rows n: Int,
                       _ accumulate: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
    let chunkRows = 64
    let chunks = (n + chunkRows - 1) / chunkRows
    guard chunks > 0 else { return }
    let partial = UnsafeMutablePointer<Float>.allocate(capacity: chunks * width)
    defer { partial.deallocate() }
    partial.initialize(repeating: 0, count: chunks * width)
    parallelFor(chunks, costPerItem: chunkRows * width) { range in
        for ch in range {
            accumulate((ch * chunkRows)..<min(n, (ch + 1) * chunkRows), partial + ch * width)
        }
    }
    for ch in 0..<chunks { addLanes(dst, partial + ch * width, count: width) }
}
