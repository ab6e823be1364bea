import Datasets
import Foundation
import Tensor

/// Batches of a dataset for a training or evaluation loop (Python `torch.utils.data.DataLoader`):
///
///     let trainDataloader = try DataLoader(tokenizedDatasets["train"], batchSize: 8, shuffle: true,
///                                          collateFn: dataCollator)
///     for batch in trainDataloader { ... }          // one epoch of collated `Batch`es
///
/// `count` is the number of batches per epoch (Python `len(loader)`). With `shuffle`, each
/// epoch sees a new order drawn from (`seed`, epoch): the order the `Trainer` uses for that
/// epoch when `seed` is its `args.seed` (both 42 by default), so a hand-written loop over this
/// loader trains on exactly the Trainer's batches. Without `shuffle` the rows come in order.
///
/// The epoch a `for` loop uses is `epoch`, the number of passes run to their end so far (a loop
/// left early with `break` does not count); `setEpoch(_:)` picks one, as Python's
/// `DistributedSampler.set_epoch` does.
///
/// Collating can fail (a row without `input_ids`, a text label), and a `for` loop cannot throw,
/// so `init` collates every row once and throws on the first one that fails, or when rows
/// disagree on their columns. A batch that still fails to collate (a custom `collateFn` that
/// throws on some batches) ends the loop early, with the error on stderr and in `lastError`;
/// loops that must not stop silently use the throwing `batchIndices(epoch:)` and `collate(_:)`,
/// as the Trainer does.
public final class DataLoader: Sequence {
    /// The rows the loader batches.
    public let dataset: Dataset
    /// Rows per batch (the last batch of an epoch may be shorter, unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch takes the rows in a new seeded order (else in dataset order).
    public let shuffle: Bool
    /// Drop the last batch of an epoch when it is shorter than `batchSize`.
    public let dropLast: Bool
    /// Seeds the shuffled order of every epoch.
    public let seed: UInt64
    /// Turns a list of rows into a `Batch` (a `DataCollator`, or a function given as a closure).
    public let collateFn: any DataCollator
    /// Row lengths for length-grouped shuffling (the Trainer's `groupByLength`), or nil.
    public let lengths: [Int]?
    /// The epoch the next `for` loop uses.
    public private(set) var epoch = 0
    /// The error that ended the last `for` loop early, if one did.
    public private(set) var lastError: Error?

    /// - Parameters:
    ///   - dataset: the rows to batch.
    ///   - batchSize: rows per batch (at least 1).
    ///   - shuffle: a new seeded order each epoch, else dataset order.
    ///   - dropLast: drop an epoch's last batch when it is shorter than `batchSize`.
    ///   - seed: seeds every epoch's order (with the epoch number).
    ///   - collateFn: turns a list of rows into a `Batch` (e.g. `DataCollatorWithPadding`).
    ///   - lengths: one length per row (e.g. its number of tokens): each shuffled epoch is cut
    ///     into groups of up to 50 batches sorted longest first, as the Trainer's `groupByLength`
    ///     does, so a batch pads to little more than its own rows. Needs `shuffle`.
    public init(_ dataset: Dataset, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
                seed: UInt64 = defaultSeed, collateFn: any DataCollator, lengths: [Int]? = nil) throws {
        guard batchSize >= 1 else { throw TrainerError("DataLoader batchSize must be at least 1, got \(batchSize)") }
        guard dataset.count > 0 else { throw TrainerError("DataLoader needs a dataset with rows; this one is empty") }
        if let lengths {
            guard shuffle else {
                throw TrainerError("DataLoader lengths: groups a shuffled order by length; pass shuffle: true with it")
            }
            guard lengths.count == dataset.count else {
                throw TrainerError("DataLoader lengths has \(lengths.count) values for \(dataset.count) rows: give one per row")
            }
        }
        if dropLast, dataset.count < batchSize {
            throw TrainerError("DataLoader with dropLast and batchSize \(batchSize) has no batch: the dataset has only "
                + "\(dataset.count) rows; lower batchSize or set dropLast: false")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.collateFn = collateFn
        self.lengths = lengths
        try validateRows()
    }

    /// The same with a collate function (Python `collate_fn=my_function`).
    public convenience init(_ dataset: Dataset, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
                            seed: UInt64 = defaultSeed, collateFn: @escaping @Sendable ([Row]) throws -> Batch,
                            lengths: [Int]? = nil) throws {
        try self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, seed: seed,
                      collateFn: ClosureCollator(body: collateFn), lengths: lengths)
    }

    /// Batches per epoch (Python `len(dataloader)`): ⌈rows / batchSize⌉, or ⌊rows / batchSize⌋
    /// with `dropLast`.
    public var count: Int { dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize }

    /// Sets the epoch the next `for` loop uses (its shuffled order).
    public func setEpoch(_ epoch: Int) { self.epoch = Swift.max(0, epoch) }

    /// The row indices of each batch of `epoch`, in the order a loop sees them.
    public func batchIndices(epoch: Int) -> [[Int]] {
        let n = dataset.count
        guard shuffle else {
            return stride(from: 0, to: count * batchSize, by: batchSize).map { Array($0..<Swift.min($0 + batchSize, n)) }
        }
        return shuffledBatches(count: n, batchSize: batchSize, seed: seed, epoch: epoch, lengths: lengths, dropLast: dropLast)
    }

    /// Collates the rows at `indices` into a batch.
    public func collate(_ indices: [Int]) throws -> Batch {
        try collateFn(indices.map { try dataset[$0] })
    }

    /// The first batch of the current epoch, to look at (Python `next(iter(loader))`); it does
    /// not advance the epoch.
    public func firstBatch() throws -> Batch {
        guard let first = batchIndices(epoch: epoch).first else { throw TrainerError("this DataLoader has no batch") }
        return try collate(first)
    }

    public struct Iterator: IteratorProtocol {
        let loader: DataLoader
        let batches: [[Int]]
        let epoch: Int
        var position = 0

        public mutating func next() -> Batch? {
            guard position < batches.count else {
                if position == batches.count { loader.finished(epoch: epoch); position += 1 }
                return nil
            }
            do {
                let batch = try loader.collate(batches[position])
                position += 1
                return batch
            } catch {
                loader.failed(error, batch: position)
                position = batches.count + 1
                return nil
            }
        }
    }

    /// One epoch: the batches of `batchIndices(epoch: epoch)`, collated as they are reached.
    public func makeIterator() -> Iterator {
        lastError = nil
        return Iterator(loader: self, batches: batchIndices(epoch: epoch), epoch: epoch)
    }

    public var underestimatedCount: Int { count }

    fileprivate func finished(epoch finishedEpoch: Int) {
        if finishedEpoch == epoch { epoch += 1 }
    }

    fileprivate func failed(_ error: Error, batch: Int) {
        lastError = error
        let message = "DataLoader: batch \(batch) of epoch \(epoch) failed to collate, so the loop ended early: \(error)\n"
        FileHandle.standardError.write(Data(message.utf8))
    }

    /// Collates each row alone and checks that all rows give the same columns, so that every
    /// batch of them collates (the library's collators check rows one by one, then pad).
    private func validateRows() throws {
        var first: (keys: [String], hasLabels: Bool)?
        for i in 0..<dataset.count {
            let batch: Batch
            do { batch = try collateFn([try dataset[i]]) } catch {
                throw TrainerError("DataLoader: row \(i) cannot be collated: \(error). Remove the columns the model does "
                    + "not take (e.g. the raw text) and rename the label column to 'labels'")
            }
            let here = (batch.keys, batch.labels != nil || batch.floatLabels != nil)
            if let first, first.keys != here.0 || first.hasLabels != here.1 {
                throw TrainerError("DataLoader: row \(i) collates to the columns \(here.0) but row 0 to \(first.keys); "
                    + "every row needs the same columns")
            }
            if first == nil { first = here }
        }
    }
}

/// A collate function given as a closure.
struct ClosureCollator: DataCollator {
    let body: @Sendable ([Row]) throws -> Batch
    func callAsFunction(_ features: [Row]) throws -> Batch { try body(features) }
}

/// Batches of row indices for one shuffled epoch: a permutation of 0..<n seeded by
/// (seed, epoch), cut into chunks of `batchSize` (the last may be shorter, or dropped with
/// `dropLast`). Python's RandomSampler draws a new order each epoch from a seeded generator;
/// this one is a pure function of (seed, epoch), so a resumed run sees the same order.
///
/// With `lengths` (one per row), the permutation is cut into mega-batches of
/// `min(50, n / (4·batchSize))` batches, each sorted longest first (a stable sort, so ties keep
/// the shuffled order), and the batch holding the longest row overall goes first, so running out
/// of memory happens at step 1 rather than at the end, as Python's `LengthGroupedSampler` does.
public func shuffledBatches(count n: Int, batchSize: Int, seed: UInt64, epoch: Int, lengths: [Int]? = nil,
                            dropLast: Bool = false) -> [[Int]] {
    let batchSize = max(1, batchSize)
    var order = Array(0..<n)
    var s = CounterRandom.mix(seed ^ 0x5EED_0000_0000 &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
    if n > 1 {
        for i in stride(from: n - 1, to: 0, by: -1) {
            s = CounterRandom.mix(s &+ 0x9E37_79B9_7F4A_7C15)
            order.swapAt(i, Int(s % UInt64(i + 1)))
        }
    }
    if let lengths, lengths.count == n, n > 0 {
        let megaSize = max(1, min(50, n / (4 * batchSize))) * batchSize
        var grouped: [Int] = []
        grouped.reserveCapacity(n)
        for start in stride(from: 0, to: n, by: megaSize) {
            let mega = order[start..<min(n, start + megaSize)].enumerated()
                .sorted { lengths[$0.element] != lengths[$1.element] ? lengths[$0.element] > lengths[$1.element] : $0.offset < $1.offset }
            grouped += mega.map(\.element)
        }
        order = grouped
    }
    var batches = stride(from: 0, to: n, by: batchSize).map { Array(order[$0..<min($0 + batchSize, n)]) }
    if dropLast, let last = batches.last, last.count < batchSize { batches.removeLast() }
    if let lengths, lengths.count == n {
        let batchMax = batches.map { batch in batch.map { lengths[$0] }.max() ?? 0 }
        if let longest = batchMax.indices.max(by: { batchMax[$0] < batchMax[$1] }), longest != 0 {
            batches.swapAt(0, longest)
        }
    }
    return batches
}
