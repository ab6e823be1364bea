/// Averages many float buffers over the ranks (the gradients of a data-parallel step, as
/// PyTorch DDP's reducer does) in fixed buckets, in a fixed order, so a run is deterministic.
///
/// The pieces are packed one after another, in the order given, into buckets of
/// `bucketElements` floats (a piece may span two buckets); each bucket is summed over the ranks
/// by one MPI_Allreduce, then scaled by 1/N and copied back. The bucket boundaries depend only
/// on the piece sizes, never on timing, and Open MPI's allreduce for a fixed message size and
/// rank count follows one algorithm, so every rank ends with the same bits (the tests check
/// this after each step, over shared memory and over TCP).
///
/// 2 ranks: every element is (a + b)·½ on both ranks (float addition commutes exactly).
public struct BucketedAllReduce {
    /// Floats per bucket: 2²² (16 MiB) by default, large enough that MPI runs at its bandwidth
    /// and small enough that the staging buffer stays modest.
    public let bucketElements: Int
    private var bucket: [Float]

    /// A reducer with one staging buffer of `bucketElements` floats (at least 1,024).
    public init(bucketElements: Int = 1 << 22) {
        self.bucketElements = max(1024, bucketElements)
        bucket = [Float](repeating: 0, count: self.bucketElements)
    }

    /// Replaces each piece (base pointer, element count) by its mean over the ranks.
    public mutating func average(_ pieces: [(UnsafeMutablePointer<Float>, Int)], group: ProcessGroup) throws {
        guard group.size > 1 else { return }
        let scale = 1 / Float(group.size)
        // The current bucket's contents: (piece, offset in piece, count, offset in bucket).
        var filled = 0
        var spans: [(p: UnsafeMutablePointer<Float>, count: Int, at: Int)] = []
        func flush() throws {
            guard filled > 0 else { return }
            try bucket.withUnsafeMutableBufferPointer { b in
                try group.allReduceSum(UnsafeMutableBufferPointer(rebasing: b[0..<filled]))
                for s in spans {
                    let src = b.baseAddress! + s.at
                    for j in 0..<s.count { s.p[j] = src[j] * scale }
                }
            }
            filled = 0
            spans.removeAll(keepingCapacity: true)
        }
        for (base, count) in pieces {
            var done = 0
            while done < count {
                let n = min(count - done, bucketElements - filled)
                let at = filled
                bucket.withUnsafeMutableBufferPointer { b in (b.baseAddress! + at).update(from: base + done, count: n) }
                spans.append((base + done, n, at))
                filled += n
                done += n
                if filled == bucketElements { try flush() }
            }
        }
        try flush()
    }
}
