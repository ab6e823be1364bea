import Distributed
import Files
import Foundation
import Models
import Tensor
import Tokenizers
import Training

/// Data-parallel training over MPI, with the surface of Python Accelerate's `Accelerator`:
///
///     let accelerator = try Accelerator()
///     let (model, optimizer, trainLoader, evalLoader) =
///         try accelerator.prepare(model, optimizer, trainDataloader, evalDataloader)
///     for batch in trainLoader {
///         let outputs = try model(batch)
///         try accelerator.backward(outputs)       // gradients averaged over the ranks
///         optimizer.step(); scheduler.step(); optimizer.zeroGrad()
///     }
///
/// Run as `mpirun -n N program`; without mpirun the same program is one process and every call
/// is what a single-process loop does. What `prepare` does:
/// - the model: rank 0's weights are broadcast to every rank, so all start from the same bits;
/// - each `DataLoader`: becomes a `PreparedDataLoader` that deals the single-process batches
///   round-robin (`ShardPlan`): step k of N ranks at batch B covers the rows of step k of one
///   process at batch N·B; with `evenBatches` the last round is filled from the epoch's start;
/// - the optimizer: unchanged (each rank applies the same averaged gradient, so the weights stay
///   identical). Build the schedule from the prepared loader's `count` (steps per epoch), so the
///   learning rate at step k is a single process's at step k (Accelerate instead steps its
///   wrapped scheduler N times per step; here the scheduler is left alone).
///
/// Dropout: every rank keeps the model's seed (as Python's `set_seed(seed)` without
/// `device_specific`), so ranks draw the same masks, on different rows.
public final class Accelerator {
    /// The job's processes (MPI's world, or a group of one).
    public let group: ProcessGroup
    /// Fill the last round so every rank runs the same number of full batches (Accelerate's
    /// `even_batches`, default true).
    public let evenBatches: Bool
    /// The parameters `backward` averages: those of the prepared model.
    public private(set) var parameters: [Parameter] = []
    var reducer: BucketedAllReduce
    /// Set by a prepared loader while it yields its last batch: the real rows of that round.
    var endOfDataloader = false
    var remainder: Int?

    /// - Parameters:
    ///   - evenBatches: fill the last round of a prepared loader from the epoch's start, so every rank
    ///     runs the same number of full batches (see `evenBatches`).
    ///   - threads: kernel threads per rank; default: `COURSE_THREADS` if set, else the
    ///     machine's cores divided by the ranks on it (at least 1).
    ///   - bucketElements: floats per all-reduce bucket (see `BucketedAllReduce`).
    public init(evenBatches: Bool = true, threads: Int? = nil, bucketElements: Int = 1 << 22) throws {
        group = try ProcessGroup.world
        self.evenBatches = evenBatches
        reducer = BucketedAllReduce(bucketElements: bucketElements)
        if let threads {
            guard threads >= 1 else { throw TrainerError("Accelerator threads must be at least 1, got \(threads)") }
            Threads.count = threads
        } else {
            applyDefaultThreads(group)
        }
    }

    /// Python `num_processes`.
    public var numProcesses: Int { group.size }
    /// Python `process_index`: this rank.
    public var processIndex: Int { group.rank }
    /// Python `local_process_index`: this rank among those on its machine.
    public var localProcessIndex: Int { group.localRank }
    /// Python `is_main_process`: rank 0 of the job.
    public var isMainProcess: Bool { group.isMain }
    /// Python `is_local_main_process`: the first rank on this machine.
    public var isLocalMainProcess: Bool { group.isLocalMain }

    /// Python `accelerator.print`: prints on the main process only.
    public func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        guard isMainProcess else { return }
        Swift.print(items.map { "\($0)" }.joined(separator: separator), terminator: terminator)
    }

    /// Python `wait_for_everyone`: a barrier.
    public func waitForEveryone() throws { try group.barrier() }

    /// Prepares a model, an optimizer and the training and evaluation loaders (see the type).
    public func prepare<M: BertClassifier>(_ model: M, _ optimizer: AdamW, _ trainLoader: DataLoader,
                                           _ evalLoader: DataLoader) throws
        -> (M, AdamW, PreparedDataLoader, PreparedDataLoader) {
        try (prepare(model), prepare(optimizer), prepare(trainLoader), prepare(evalLoader))
    }

    /// Broadcasts rank 0's weights into `model` and makes its parameters the ones `backward` averages.
    @discardableResult
    public func prepare<M: BertClassifier>(_ model: M) throws -> M {
        parameters = model.parameters
        try broadcastParameters(parameters, group: group)
        return model
    }

    /// The optimizer, unchanged: it must hold the prepared model's parameters.
    public func prepare(_ optimizer: AdamW) throws -> AdamW {
        if !parameters.isEmpty, optimizer.parameters.map(ObjectIdentifier.init) != parameters.map(ObjectIdentifier.init) {
            throw TrainerError("prepare: the optimizer's parameters are not the prepared model's; build the AdamW from "
                + "model.parameters of the model given to prepare")
        }
        return optimizer
    }

    /// This rank's share of `loader`'s batches.
    public func prepare(_ loader: DataLoader) throws -> PreparedDataLoader {
        PreparedDataLoader(loader, accelerator: self)
    }

    /// Python `accelerator.backward(loss)`: back-propagates the loss (times `scale`), then
    /// replaces every gradient of the prepared model by its mean over the ranks. With gradient
    /// accumulation pass `scale: 1 / k` and `sync: false` on all but the last batch of a step.
    @discardableResult
    public func backward(_ outputs: ClassifierOutput, scale: Float = 1, sync: Bool = true) throws -> Float {
        let loss = try outputs.backward(scale: scale)
        if sync { try averageGradients() }
        return loss
    }

    /// Averages the prepared model's gradients over the ranks (what `backward` does after the
    /// backward pass).
    public func averageGradients() throws {
        guard group.size > 1 else { return }
        guard !parameters.isEmpty else {
            throw TrainerError("backward: no model was prepared; call accelerator.prepare(model, ...) first")
        }
        try Training.averageGradients(parameters, group: group, reducer: &reducer)
    }

    /// Python `unwrap_model`: the model itself (nothing wraps it here).
    public func unwrapModel<M: BertClassifier>(_ model: M) -> M { model }

    /// Python `accelerator.save_model` / `model.save_pretrained(..., is_main_process=...)`:
    /// the main process writes the model (and tokenizer) to `directory`; every rank then waits,
    /// so the files exist everywhere once this returns.
    public func save<M: BertClassifier>(_ model: M, to directory: String, tokenizer: Tokenizer? = nil) throws {
        if isMainProcess {
            try model.savePretrained(directory)
            try tokenizer?.savePretrained(URL(fileURLWithPath: directory))
        }
        try waitForEveryone()
    }

    /// Python `save_state`: the main process writes the model, the optimizer's moments and step,
    /// and the schedule's step into `directory` (as a Trainer checkpoint holds them).
    public func saveState(_ directory: String, model: some BertClassifier, optimizer: AdamW,
                          scheduler: LinearScheduleWithWarmup? = nil) throws {
        if isMainProcess {
            let dir = URL(fileURLWithPath: directory)
            try WritableFolder.prepare(directory, purpose: "the folder for saveState")
            try model.savePretrained(directory)
            let (step, tensors) = optimizer.stateDict()
            try Safetensors.write(tensors, to: dir.appendingPathComponent("optimizer.safetensors"),
                                  metadata: ["format": "pt", "step": String(step)])
            if let scheduler {
                let url = dir.appendingPathComponent("scheduler.json")
                do { try JSONEncoder().encode(["last_epoch": scheduler.lastEpoch]).write(to: url, options: .atomic) } catch {
                    throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
                }
            }
        }
        try waitForEveryone()
    }
}
