import Distributed
import Foundation
import Tensor
import Training

/// Collecting values from every rank (Python `gather`, `gather_for_metrics`,
/// `pad_across_processes`). All are collectives: every rank calls them in the same order.
extension Accelerator {
    /// Every rank's rows concatenated along dimension 0, in rank order (Python `gather`).
    /// logits [B, L] on each rank → [ΣB, L]. The other dimensions must agree: pad a
    /// dimension that varies (sequence length) with `padAcrossProcesses` first.
    public func gather(_ tensor: Tensor) throws -> Tensor {
        guard numProcesses > 1 else { return tensor }
        let inner = Array(tensor.shape.dropFirst())
        try checkInnerShapes(inner, what: "gather")
        let parts = try group.allGather(tensor.scalars)
        let rows = parts.reduce(0) { $0 + $1.count } / max(1, inner.reduce(1, *))
        let out = Tensor(shape: [rows] + inner)
        var at = 0
        for part in parts {
            part.withUnsafeBufferPointer { if let b = $0.baseAddress { (out.data + at).update(from: b, count: $0.count) } }
            at += part.count
        }
        return out
    }

    /// The same for integer columns (predicted ids, labels): [B] or [B, T] → [ΣB] or [ΣB, T].
    public func gather(_ tensor: BatchTensor) throws -> BatchTensor {
        guard numProcesses > 1 else { return tensor }
        let inner = Array(tensor.shape.dropFirst())
        try checkInnerShapes(inner, what: "gather")
        let parts = try group.allGather(tensor.values.map(Int64.init))
        let values = parts.joined().map { Int($0) }
        return BatchTensor(shape: [values.count / max(1, inner.reduce(1, *))] + inner, values: values)
    }

    /// One number from every rank, in rank order (a loss, a count).
    public func gather(_ value: Double) throws -> [Double] {
        try group.allGather([value]).map { $0[0] }
    }

    /// `gather`, then, on the last batch of a prepared loader filled by `evenBatches`, only the
    /// rows that are not repeats from the epoch's start (Python `gather_for_metrics`), so a
    /// metric sees each row of the dataset exactly once.
    public func gatherForMetrics(_ tensor: Tensor) throws -> Tensor {
        let all = try gather(tensor)
        guard endOfDataloader, let keep = remainder, keep < (all.shape.first ?? 0) else { return all }
        let inner = Array(all.shape.dropFirst())
        let out = Tensor(shape: [keep] + inner)
        out.data.update(from: all.data, count: out.count)
        return out
    }

    /// `gatherForMetrics` for integer batches (predictions, labels): the repeats of the last round dropped.
    public func gatherForMetrics(_ tensor: BatchTensor) throws -> BatchTensor {
        let all = try gather(tensor)
        guard endOfDataloader, let keep = remainder, keep < (all.shape.first ?? 0) else { return all }
        let inner = Array(all.shape.dropFirst())
        return BatchTensor(shape: [keep] + inner, values: Array(all.values.prefix(keep * inner.reduce(1, *))))
    }

    /// Pads dimension `dim` of every rank's tensor to the largest size on any rank, with
    /// `padIndex` (Python `pad_across_processes(tensor, dim=1, pad_index=-100)`), at the end, or
    /// at the start with `padFirst`. Use it before `gather` when rows have rank-specific lengths.
    public func padAcrossProcesses(_ tensor: BatchTensor, dim: Int = 0, padIndex: Int = 0,
                                   padFirst: Bool = false) throws -> BatchTensor {
        let (shape, map) = try paddedShape(tensor.shape, dim: dim)
        guard shape != tensor.shape else { return tensor }
        var values = [Int](repeating: padIndex, count: shape.reduce(1, *))
        for (i, v) in tensor.values.enumerated() { values[map(i, padFirst)] = v }
        return BatchTensor(shape: shape, values: values)
    }

    /// `padAcrossProcesses` for float tensors (logits): pads `dim` to the largest size on any rank with `padIndex`.
    public func padAcrossProcesses(_ tensor: Tensor, dim: Int = 0, padIndex: Float = 0,
                                   padFirst: Bool = false) throws -> Tensor {
        let (shape, map) = try paddedShape(tensor.shape, dim: dim)
        guard shape != tensor.shape else { return tensor }
        let out = Tensor(shape: shape)
        out.data.update(repeating: padIndex, count: out.count)
        for i in 0..<tensor.count { out.data[map(i, padFirst)] = tensor.data[i] }
        return out
    }

    /// The padded shape (dimension `dim` at its maximum over the ranks) and where element i of
    /// the unpadded row-major tensor lands in it.
    private func paddedShape(_ shape: [Int], dim: Int) throws -> ([Int], (Int, Bool) -> Int) {
        guard (0..<shape.count).contains(dim) else {
            throw TrainerError("padAcrossProcesses: dim \(dim) is not a dimension of a tensor of shape \(shape)")
        }
        var size = [Int64(shape[dim])]
        try group.allReduceMax(&size)
        var padded = shape
        padded[dim] = Int(size[0])
        let innerOld = shape[(dim + 1)...].reduce(1, *), innerNew = padded[(dim + 1)...].reduce(1, *)
        let oldDim = shape[dim], newDim = padded[dim]
        return (padded, { i, first in
            let outer = i / (oldDim * innerOld), d = (i / innerOld) % oldDim, rest = i % innerOld
            let at = first ? d + newDim - oldDim : d
            return (outer * newDim + at) * innerNew + rest
        })
    }

    /// Throws unless every rank's tensor has the same dimensions after the first.
    private func checkInnerShapes(_ inner: [Int], what: String) throws {
        let all = try group.allGather(inner.map(Int64.init))
        if let other = all.firstIndex(where: { $0 != all[processIndex] }) {
            throw TrainerError("\(what): rank \(processIndex) has rows of shape \(inner) but rank \(other) has "
                + "\(all[other].map(Int.init)); pad the differing dimension with padAcrossProcesses(_:dim:padIndex:) first")
        }
    }
}
