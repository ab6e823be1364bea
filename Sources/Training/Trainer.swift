import Datasets
import Distributed
import Foundation
import Hub
import Metrics
import Models
import Tensor
import Tokenizers

/// The Trainer (Python `Trainer`): a training loop with evaluation, logging, checkpoints and
/// resuming, for any `BertClassifier`.
///
///     let trainer = try Trainer(model: model, args: args, trainDataset: tokenized["train"],
///                               evalDataset: tokenized["validation"], dataCollator: collator,
///                               tokenizer: tokenizer, computeMetrics: computeMetrics)
///     try trainer.train()
///
/// What it prints on stdout, one line per evaluation during training and one per epoch end
/// (numbers rounded to 4 decimals, two spaces between fields, `eval_` metrics in the order
/// `computeMetrics` returned them after `eval_loss`):
///
///     epoch 1/3  train_loss 0.2345  eval_loss 0.1234  eval_f1 0.8765
///     step 40/120  train_loss 0.3012  eval_loss 0.1402  eval_f1 0.8101   (evalStrategy .steps)
///
/// `train_loss` is the mean loss of the optimizer steps since the previous line. Progress
/// bars (with rate and ETA) go to stderr only.
///
/// Under `mpirun -n N` (Python's DDP mode) each rank trains on its share of every step's rows
/// (`ShardPlan`: N·`perDeviceTrainBatchSize` rows per step), gradients are averaged over the
/// ranks, and evaluation is sharded and gathered, so the numbers are those of one process at
/// N times the batch; only world process zero prints, writes checkpoints, the model and its card.
public final class Trainer<Model: BertClassifier> {
    /// The model trained; with `modelInit`, a fresh one from each `train()`.
    public internal(set) var model: Model
    /// Makes the model (Python `model_init`): called at init and again at the start of every
    /// `train()`, so each run starts from the pretrained weights and a newly drawn head.
    public internal(set) var modelInit: (() throws -> Model)?
    /// The hyper-parameters (Python `TrainingArguments`).
    public let args: TrainingArguments
    /// The rows `train()` trains on (nil: `train()` throws).
    public var trainDataset: Dataset?
    /// The rows `evaluate()` scores by default (nil: pass one to `evaluate`).
    public var evalDataset: Dataset?
    /// Turns rows into batches (given, or `DataCollatorWithPadding` over the tokenizer).
    public var dataCollator: any DataCollator
    /// Saved beside the model by `saveModel` and checkpoints, so the output directory loads as a whole.
    public var tokenizer: Tokenizer?
    /// Turns predictions and labels into metrics (`{"f1": ...}`); the Trainer adds `eval_`.
    public var computeMetrics: ((EvalPrediction) throws -> MetricResult)?
    /// Called after every optimizer step (after any evaluation and save); returning true stops
    /// training there, as a Python callback setting `control.should_training_stop` does.
    public var shouldStop: ((TrainerState) -> Bool)?
    /// Hooks into the loop (`TrainerCallback`), in call order; `args.reportTo` adds its own first.
    public var callbacks: [any TrainerCallback]
    /// The switches the callbacks see and set (Python `trainer.control`).
    public internal(set) var control = TrainerControl()
    /// Where stdout lines go (tests capture them); default: print.
    public var printLine: (String) -> Void = { print($0) }
    /// Recorded runs that `train()` replays instead of training again when every input is the
    /// same (see `TrainingReplayStore`); default: the one `COURSE_REPLAY_DIR` names, else none.
    public var replayStore: TrainingReplayStore? = TrainingReplayStore.fromEnvironment
    /// Whether the last `train()` was replayed from `replayStore` rather than trained.
    public internal(set) var lastTrainWasReplayed = false
    /// Forward passes over a whole dataset run so far (evaluations and predictions not served
    /// from `replayStore`); tests read it.
    var datasetForwardPasses = 0
    /// Progress and logs: the step, the epoch, the log history, the best metric (Python `trainer.state`).
    public internal(set) var state = TrainerState()
    /// The optimizer, made by `train()` (nil before).
    public internal(set) var optimizer: AdamW?
    /// The learning-rate schedule, made by `train()` from `args.lrSchedulerType` (nil before).
    public internal(set) var lrScheduler: LinearScheduleWithWarmup?
    /// Gradient norm before clipping at the last optimizer step (logged as `grad_norm`).
    var lastGradNorm: Double?
    /// The job's processes: MPI's world under mpirun, else a group of one.
    public let group: ProcessGroup
    /// Averages gradients over the ranks (its staging buffer is kept between steps).
    var gradientReducer = BucketedAllReduce()

    /// Python `is_world_process_zero`: rank 0 of the job, the one that prints and saves.
    public var isWorldProcessZero: Bool { group.isMain }
    /// Python `is_local_process_zero`: the first rank on this machine.
    public var isLocalProcessZero: Bool { group.isLocalMain }

    /// Without a `dataCollator`, a Trainer given a `tokenizer` pads each batch with
    /// `DataCollatorWithPadding(tokenizer:)`, as Python's does when it gets a tokenizer.
    public init(model: Model, args: TrainingArguments, trainDataset: Dataset? = nil, evalDataset: Dataset? = nil,
                dataCollator: (any DataCollator)? = nil, tokenizer: Tokenizer? = nil,
                computeMetrics: ((EvalPrediction) throws -> MetricResult)? = nil,
                callbacks: [any TrainerCallback] = []) throws {
        try args.validate()
        guard let collator = dataCollator ?? tokenizer.map({ DataCollatorWithPadding(tokenizer: $0) }) else {
            throw TrainerError("the Trainer needs a dataCollator: or a tokenizer: (it then pads each batch with "
                + "DataCollatorWithPadding(tokenizer:)); pass one of them")
        }
        group = try ProcessGroup.world
        applyDefaultThreads(group)
        // Reporting (TensorBoard files) is world process zero's; user callbacks run on every
        // rank, so that their decisions (early stopping) agree.
        self.callbacks = (group.isMain ? Self.reportingCallbacks(args) : []) + callbacks
        self.model = model
        self.args = args
        self.trainDataset = trainDataset
        self.evalDataset = evalDataset
        self.dataCollator = collator
        self.tokenizer = tokenizer
        self.computeMetrics = computeMetrics
    }

    /// Batches of row indices for one epoch: `shuffledBatches(count:batchSize:seed:epoch:lengths:)`,
    /// the order of a shuffled `DataLoader` with the same seed (see there).
    public static func epochBatches(count n: Int, batchSize: Int, seed: UInt64, epoch: Int,
                                    lengths: [Int]? = nil) -> [[Int]] {
        shuffledBatches(count: n, batchSize: batchSize, seed: seed, epoch: epoch, lengths: lengths)
    }

    /// Each training row's length for `groupByLength`: the number of items in
    /// `args.lengthColumnName` (a list column such as `input_ids`).
    func rowLengths(_ dataset: Dataset) throws -> [Int] {
        guard dataset.columnNames.contains(args.lengthColumnName) else {
            throw TrainerError("groupByLength needs the column '\(args.lengthColumnName)' for row lengths; the columns are "
                + "\(dataset.columnNames). Tokenize the dataset first, or set lengthColumnName:")
        }
        return try dataset[column: args.lengthColumnName].enumerated().map { i, value in
            guard case .list(let items) = value else {
                throw TrainerError("groupByLength: row \(i)'s '\(args.lengthColumnName)' is \(value), not a list; "
                    + "set lengthColumnName: to a list column such as input_ids")
            }
            return items.count
        }
    }

    /// The stdout line for one evaluation or epoch end (see the type's documentation).
    static func line(prefix: String, trainLoss: Double?, metrics: [(String, Double)]) -> String {
        var fields = [prefix]
        if let trainLoss { fields.append("train_loss " + format4(trainLoss)) }
        fields += metrics.map { "\($0.0) " + format4($0.1) }
        return fields.joined(separator: "  ")
    }

    /// A number rounded to 4 decimals, with -0.0000 printed as 0.0000.
    static func format4(_ x: Double) -> String {
        let s = String(format: "%.4f", x)
        return s == "-0.0000" ? "0.0000" : s
    }
}

/// The last `checkpoint-<step>` directory in `folder` (Python `get_last_checkpoint`), or nil.
public func getLastCheckpoint(_ folder: String) -> String? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.compactMap { name -> (Int, String)? in
        guard name.hasPrefix("checkpoint-"), let step = Int(name.dropFirst("checkpoint-".count)) else { return nil }
        return (step, (folder as NSString).appendingPathComponent(name))
    }.max { $0.0 < $1.0 }?.1
}
