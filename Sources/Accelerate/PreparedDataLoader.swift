import Distributed
import Foundation
import Training

/// One rank's share of a `DataLoader` (what Accelerate's `prepare(dataloader)` returns): the
/// single-process batches of each epoch dealt round-robin over the ranks by `ShardPlan`, so the
/// ranks' step k together covers the rows of one process's step k at N times the batch.
///
///     for batch in trainLoader { ... }     // this rank's batches of the current epoch
///     trainLoader.count                    // steps per epoch, the same on every rank
///
/// With `evenBatches` (default) every rank runs `count` full batches, the last round filled with
/// rows from the epoch's start; `Accelerator.gatherForMetrics` drops those repeats.
public final class PreparedDataLoader: Sequence {
    /// The single-process loader whose batches are dealt.
    public let base: DataLoader
    unowned let accelerator: Accelerator
    /// The epoch the next `for` loop uses (advances when a loop runs to its end).
    public private(set) var epoch = 0
    /// The error that ended the last `for` loop early (one process only; several ranks abort).
    public internal(set) var lastError: Error?

    init(_ base: DataLoader, accelerator: Accelerator) {
        self.base = base
        self.accelerator = accelerator
        epoch = base.epoch
    }

    /// The deal of `epoch`'s batches over every rank.
    public func plan(epoch: Int) -> ShardPlan {
        ShardPlan(batches: base.batchIndices(epoch: epoch), batchSize: base.batchSize,
                  numProcesses: accelerator.numProcesses, evenBatches: accelerator.evenBatches, dropLast: base.dropLast)
    }

    /// This rank's batches (row indices into `base.dataset`) of `epoch`.
    public func batchIndices(epoch: Int) -> [[Int]] { plan(epoch: epoch).perRank[accelerator.processIndex] }

    /// Steps per epoch on this rank (Python `len(prepared_dataloader)`).
    public var count: Int { batchIndices(epoch: epoch).count }
    public var underestimatedCount: Int { count }

    /// The rows of the whole job: the number a metric should see (`base.dataset.count`).
    public var totalRows: Int { base.dataset.count }

    /// Sets the epoch whose shuffled order the next pass uses (Python `set_epoch`); negative means 0.
    public func setEpoch(_ epoch: Int) { self.epoch = Swift.max(0, epoch) }

    /// Collates the rows at `indices` (this rank's batch) into a batch.
    public func collate(_ indices: [Int]) throws -> Batch { try base.collate(indices) }

    public struct Iterator: IteratorProtocol {
        let loader: PreparedDataLoader
        let batches: [[Int]]
        let remainder: Int?
        let epoch: Int
        var position = 0

        public mutating func next() -> Batch? {
            let accelerator = loader.accelerator
            guard position < batches.count else {
                if position == batches.count {
                    if loader.epoch == epoch { loader.epoch += 1 }
                    position += 1
                }
                accelerator.endOfDataloader = false
                accelerator.remainder = nil
                return nil
            }
            // While the last batch is out, gatherForMetrics knows how many of its rows are real.
            let last = position == batches.count - 1
            accelerator.endOfDataloader = last
            accelerator.remainder = last ? remainder : nil
            do {
                let batch = try loader.collate(batches[position])
                position += 1
                return batch
            } catch {
                let message = "batch \(position) of epoch \(epoch) failed to collate: \(error)"
                // A collective loop cannot stop on one rank alone (the others would wait for it in
                // the next all-reduce): several ranks end the job. One process ends the loop early,
                // as a DataLoader does, with the error on stderr and in `lastError`.
                guard accelerator.numProcesses == 1 else { accelerator.group.abort(message) }
                loader.lastError = error
                FileHandle.standardError.write(Data("PreparedDataLoader: \(message); the loop ended early\n".utf8))
                position = batches.count + 1
                accelerator.endOfDataloader = false
                accelerator.remainder = nil
                return nil
            }
        }
    }

    public func makeIterator() -> Iterator {
        lastError = nil
        let plan = plan(epoch: epoch)
        return Iterator(loader: self, batches: plan.perRank[accelerator.processIndex], remainder: plan.remainder, epoch: epoch)
    }
}
