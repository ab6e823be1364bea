/// How one process's batches are dealt to the ranks of a data-parallel job (Python Accelerate's
/// `BatchSamplerShard` without `split_batches`), as a pure function of the batch list.
///
/// `batches` are the batches a single process would run in one epoch, each of `batchSize` rows
/// but perhaps the last (a `DataLoader`'s `batchIndices(epoch:)`). They are dealt round-robin:
/// round k gives batch k·N + r to rank r, so the N ranks' step k together covers the rows a single
/// process at batch N·B covers at its step k.
///
/// The last round, when it is short (fewer than N batches, or a short last batch):
/// - `evenBatches` (the default, as Accelerate's): filled up to N full batches with rows taken
///   from the start of the epoch (the first N batches' rows, cycled when there are fewer than
///   N·B of them), so every rank runs the same number of equal batches. Those repeated rows are
///   counted by `ShardPlan.remainder`, so `gatherForMetrics` can drop them.
/// - otherwise: the leftover batches go to ranks 0, 1, ...; ranks past them get no batch.
/// - `dropLast`: the short round is dropped.
///
/// One process keeps the batches as they are.
///
/// Example (9 rows, batch 5, 2 ranks): batches [0–4], [5–8]; rank 0 gets [0, 1, 2, 3, 4],
/// rank 1 gets [5, 6, 7, 8, 0].
public struct ShardPlan: Sendable, Equatable {
    /// Every rank's batches: `perRank[r][k]` is rank r's step k.
    public let perRank: [[[Int]]]
    /// Real rows in the last round (the rest are repeats from the start), or nil when the last
    /// round holds no repeats.
    public let remainder: Int?

    /// Deals `batches` (of at most `batchSize` row indices each) round-robin to `n` ranks. With
    /// `evenBatches`, the last round is filled with rows from the epoch's start so every rank takes
    /// the same number of steps; with `dropLast`, an incomplete last round is dropped instead.
    public init(batches: [[Int]], batchSize: Int, numProcesses n: Int, evenBatches: Bool = true, dropLast: Bool = false) {
        let n = max(1, n)
        guard n > 1 else {
            // One process runs the loader as it is (Accelerate shards only for several).
            perRank = [batches]
            remainder = nil
            return
        }
        var perRank = [[[Int]]](repeating: [], count: n)
        // Full rounds: N batches whose last one is full (only the epoch's last batch is short).
        let fullRounds = batches.count / n
        var complete = fullRounds
        if fullRounds > 0, batches[fullRounds * n - 1].count < batchSize { complete -= 1 }
        for k in 0..<complete { for r in 0..<n { perRank[r].append(batches[k * n + r]) } }
        let tail = Array(batches[(complete * n)...])
        var remainder: Int?
        if !tail.isEmpty, !dropLast {
            if evenBatches {
                // Rows from the start of the epoch, repeated until there are enough.
                var start = Array(batches.prefix(n).joined())
                while start.count < n * batchSize, !start.isEmpty { start += start }
                var cursor = 0
                var round = tail
                if let last = round.last, last.count < batchSize {
                    let need = batchSize - last.count
                    round[round.count - 1] = last + start[cursor..<(cursor + need)]
                    cursor += need
                }
                while round.count < n {
                    round.append(Array(start[cursor..<(cursor + batchSize)]))
                    cursor += batchSize
                }
                let real = tail.reduce(0) { $0 + $1.count }
                if real < n * batchSize { remainder = real }
                for r in 0..<n { perRank[r].append(round[r]) }
            } else {
                for (r, batch) in tail.enumerated() { perRank[r].append(batch) }
            }
        }
        self.perRank = perRank
        self.remainder = remainder
    }

    /// The number of steps every rank runs (the most any rank runs, without `evenBatches`).
    public var steps: Int { perRank.map(\.count).max() ?? 0 }
}
