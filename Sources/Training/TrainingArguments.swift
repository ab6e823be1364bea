import Foundation
import Models
import Tensor

/// When the Trainer evaluates, saves or logs (Python `IntervalStrategy`): never, every
/// `…Steps` optimizer steps, or at the end of each epoch.
public enum IntervalStrategy: String, Codable, Sendable {
    case no, steps, epoch
}

/// A Trainer failure a user can cause (bad arguments, a missing checkpoint, no eval data);
/// the message says what was wrong and what to do.
public struct TrainerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// The Trainer's hyper-parameters (Python `TrainingArguments`), with the Python defaults:
///
///     let args = TrainingArguments("bert-finetuned-ner", evalStrategy: .epoch, saveStrategy: .epoch,
///                                  learningRate: 2e-5, numTrainEpochs: 3, weightDecay: 0.01)
///
/// Batch sizes are per step on this one device; an optimizer step sees
/// `perDeviceTrainBatchSize × gradientAccumulationSteps` rows. `validate()` (called by the
/// Trainer) throws on values that cannot work.
public struct TrainingArguments: Codable, Sendable, Equatable {
    /// Where checkpoints (`checkpoint-<step>/`) and the final model go.
    public var outputDir: String
    /// When to evaluate: never (default), every `evalSteps` steps, or each epoch.
    public var evalStrategy: IntervalStrategy
    /// Steps between evaluations with `.steps` (nil: `loggingSteps`).
    public var evalSteps: Int?
    /// When to save a checkpoint: every `saveSteps` steps (default), each epoch, or never.
    public var saveStrategy: IntervalStrategy
    /// Steps between checkpoints with `.steps` (500).
    public var saveSteps: Int
    /// When to log the training loss: every `loggingSteps` steps (default), each epoch, or never.
    public var loggingStrategy: IntervalStrategy
    /// Steps between logs with `.steps` (500).
    public var loggingSteps: Int
    /// AdamW's base learning rate (5e-5), before the schedule.
    public var learningRate: Float
    /// AdamW's decoupled weight decay (0), not applied to biases and LayerNorm weights.
    public var weightDecay: Float
    /// AdamW's β₁ (0.9).
    public var adamBeta1: Float
    /// AdamW's β₂ (0.999).
    public var adamBeta2: Float
    /// AdamW's ε (1e-8).
    public var adamEpsilon: Float
    /// Clip the gradients' global norm to this before each step (1; 0 turns clipping off).
    public var maxGradNorm: Float
    /// Epochs to train (3), fractional allowed; `maxSteps` > 0 overrides it.
    public var numTrainEpochs: Double
    /// If > 0, the total number of optimizer steps (overrides `numTrainEpochs`).
    public var maxSteps: Int
    /// The learning-rate schedule after warmup (Python `lr_scheduler_type`; see `getScheduler`).
    public var lrSchedulerType: SchedulerType
    /// Fraction of the total steps spent warming the learning rate up (used when `warmupSteps` is 0).
    public var warmupRatio: Double
    /// Steps of linear warmup (0: `warmupRatio` decides).
    public var warmupSteps: Int
    /// Rows per training step on this process (8).
    public var perDeviceTrainBatchSize: Int
    /// Rows per evaluation batch on this process (8).
    public var perDeviceEvalBatchSize: Int
    /// Batches whose gradients add up to one optimizer step (1).
    public var gradientAccumulationSteps: Int
    /// Seeds the data order of every epoch and the dropout masks.
    public var seed: UInt64
    /// Keep at most this many checkpoints in `outputDir` (the best one is never deleted).
    public var saveTotalLimit: Int?
    /// After training, load the weights of the checkpoint with the best `metricForBestModel`.
    public var loadBestModelAtEnd: Bool
    /// `"loss"`, `"f1"`, ... (the `eval_` prefix is optional); default `"loss"` with `loadBestModelAtEnd`.
    public var metricForBestModel: String?
    /// Default: false for a loss, true for any other metric.
    public var greaterIsBetter: Bool?
    /// Show progress bars on stderr.
    public var disableTqdm: Bool
    /// Batch training rows of similar length (Python `group_by_length`): each epoch's shuffled
    /// order is cut into mega-batches of 50 batches, each sorted longest first, so a batch pads
    /// to little more than its own rows' length. Same data, same number of steps, far less
    /// padding to compute on (CoNLL-2003: random batches of 32 are 2.6× their real tokens).
    public var groupByLength: Bool
    /// The column whose list length is a row's length for `groupByLength`.
    public var lengthColumnName: String
    /// Where logs are reported (Python `report_to`): `[.tensorboard]` writes TensorBoard event
    /// files under `<outputDir>/runs/` (see `TensorBoardCallback`). Default: nowhere.
    public var reportTo: [ReportIntegration]
    /// Mixed precision (Python `bf16=True`): every matrix product of training, evaluation and
    /// `predict` runs in bf16 with fp32 accumulation through oneDNN; weights, AdamW, LayerNorm,
    /// softmax, GELU, the loss and checkpoints stay fp32. The Trainer switches its model to bf16
    /// for each `train`, `evaluate` and `predict` and back to the precision it had afterwards
    /// (`BertClassifier.enterBF16`). Throws there when oneDNN cannot run bf16 on this CPU.
    public var bf16: Bool
    /// Quantisation of evaluation and `predict` (not a Python TrainingArguments field):
    /// `.int8Dynamic` runs every `evaluate` and `predict`, including the evaluations during
    /// training, through dynamic int8 linear layers (`BertClassifier.quantize`), quantised from the
    /// current weights each time and dropped afterwards, so training itself stays fp32 (or bf16).
    /// Takes precedence over `bf16` for those products. Default `.none`.
    public var evalQuantization: Quantization = .none
    // Sharing on the Hub (Python `push_to_hub`, `hub_model_id`, `hub_strategy`, `hub_private_repo`,
    // `hub_token`); see TrainerPushToHub.swift. Set after init, e.g. `args.pushToHub = true`.
    /// Push the model to the Hub when it is saved (as `hubStrategy` says) and with `trainer.pushToHub()`.
    public var pushToHub = false
    /// The repository (`owner/name`, or `name` in the token's namespace); default: `outputDir`'s last component.
    public var hubModelId: String? = nil
    /// What is pushed when a checkpoint is saved; Python's default `.everySave`.
    public var hubStrategy: HubStrategy = .everySave
    /// Create the repository private (nil: the Hub's default).
    public var hubPrivateRepo: Bool? = nil
    /// The token (else HF_TOKEN, else the login file); written to training_args.json as "<HUB_TOKEN>".
    public var hubToken: HubTokenArgument? = nil

    /// Arguments with Python's defaults for everything not given; `outputDir` is required.
    public init(_ outputDir: String,
                evalStrategy: IntervalStrategy = .no, evalSteps: Int? = nil,
                saveStrategy: IntervalStrategy = .steps, saveSteps: Int = 500,
                loggingStrategy: IntervalStrategy = .steps, loggingSteps: Int = 500,
                learningRate: Float = 5e-5, weightDecay: Float = 0,
                adamBeta1: Float = 0.9, adamBeta2: Float = 0.999, adamEpsilon: Float = 1e-8,
                maxGradNorm: Float = 1, numTrainEpochs: Double = 3, maxSteps: Int = -1,
                lrSchedulerType: SchedulerType = .linear,
                warmupRatio: Double = 0, warmupSteps: Int = 0,
                perDeviceTrainBatchSize: Int = 8, perDeviceEvalBatchSize: Int = 8,
                gradientAccumulationSteps: Int = 1, seed: UInt64 = defaultSeed,
                saveTotalLimit: Int? = nil, loadBestModelAtEnd: Bool = false,
                metricForBestModel: String? = nil, greaterIsBetter: Bool? = nil, disableTqdm: Bool = false,
                groupByLength: Bool = false, lengthColumnName: String = "input_ids",
                reportTo: [ReportIntegration] = [], bf16: Bool = false) {
        self.outputDir = outputDir
        self.evalStrategy = evalStrategy
        self.evalSteps = evalSteps
        self.saveStrategy = saveStrategy
        self.saveSteps = saveSteps
        self.loggingStrategy = loggingStrategy
        self.loggingSteps = loggingSteps
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.adamBeta1 = adamBeta1
        self.adamBeta2 = adamBeta2
        self.adamEpsilon = adamEpsilon
        self.maxGradNorm = maxGradNorm
        self.numTrainEpochs = numTrainEpochs
        self.maxSteps = maxSteps
        self.lrSchedulerType = lrSchedulerType
        self.warmupRatio = warmupRatio
        self.warmupSteps = warmupSteps
        self.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        self.perDeviceEvalBatchSize = perDeviceEvalBatchSize
        self.gradientAccumulationSteps = gradientAccumulationSteps
        self.seed = seed
        self.saveTotalLimit = saveTotalLimit
        self.loadBestModelAtEnd = loadBestModelAtEnd
        self.metricForBestModel = metricForBestModel
        self.greaterIsBetter = greaterIsBetter
        self.disableTqdm = disableTqdm
        self.groupByLength = groupByLength
        self.lengthColumnName = lengthColumnName
        self.reportTo = reportTo
        self.bf16 = bf16
    }

    /// Steps between evaluations with `.steps` (Python: `evalSteps`, else `loggingSteps`).
    public var effectiveEvalSteps: Int { evalSteps ?? loggingSteps }

    /// The metric key compared for the best model, with its `eval_` prefix (`eval_loss`).
    public var bestMetricKey: String? {
        (metricForBestModel ?? (loadBestModelAtEnd ? "loss" : nil)).map { $0.hasPrefix("eval_") ? $0 : "eval_" + $0 }
    }

    /// Whether a larger `bestMetricKey` is better.
    public var biggerIsBetter: Bool {
        greaterIsBetter ?? !(bestMetricKey ?? "eval_loss").hasSuffix("loss")
    }

    /// The warmup length for `totalSteps` optimizer steps: `warmupSteps` if set, else
    /// ⌈warmupRatio · totalSteps⌉.
    public func numWarmupSteps(_ totalSteps: Int) -> Int {
        warmupSteps > 0 ? warmupSteps : Int((warmupRatio * Double(totalSteps)).rounded(.up))
    }

    /// Throws a `TrainerError` naming the first argument that cannot work.
    public func validate() throws {
        func fail(_ message: String) throws -> Never { throw TrainerError(message) }
        if outputDir.isEmpty { try fail("outputDir is empty: give a directory for checkpoints, e.g. \"bert-finetuned-ner\"") }
        if !(learningRate >= 0) || !learningRate.isFinite {
            try fail("learningRate must be a finite number ≥ 0, got \(learningRate); a typical value is 2e-5")
        }
        if !(weightDecay >= 0) { try fail("weightDecay must be ≥ 0, got \(weightDecay); a typical value is 0.01") }
        if perDeviceTrainBatchSize <= 0 {
            try fail("perDeviceTrainBatchSize must be at least 1, got \(perDeviceTrainBatchSize)")
        }
        if perDeviceEvalBatchSize <= 0 { try fail("perDeviceEvalBatchSize must be at least 1, got \(perDeviceEvalBatchSize)") }
        if gradientAccumulationSteps <= 0 {
            try fail("gradientAccumulationSteps must be at least 1, got \(gradientAccumulationSteps)")
        }
        if maxSteps <= 0, !(numTrainEpochs > 0) {
            try fail("numTrainEpochs must be > 0 (or set maxSteps), got \(numTrainEpochs)")
        }
        if !(0...1).contains(warmupRatio) { try fail("warmupRatio must be in [0, 1], got \(warmupRatio)") }
        if warmupSteps < 0 { try fail("warmupSteps must be ≥ 0, got \(warmupSteps)") }
        if !(maxGradNorm >= 0) { try fail("maxGradNorm must be ≥ 0 (0 turns clipping off), got \(maxGradNorm)") }
        if !(0..<1).contains(adamBeta1) || !(0..<1).contains(adamBeta2) || !(adamEpsilon >= 0) {
            try fail("AdamW needs betas in [0, 1) and epsilon ≥ 0, got (\(adamBeta1), \(adamBeta2)), \(adamEpsilon)")
        }
        if evalStrategy == .steps, effectiveEvalSteps <= 0 { try fail("evalSteps must be at least 1 with evalStrategy .steps") }
        if saveStrategy == .steps, saveSteps <= 0 { try fail("saveSteps must be at least 1 with saveStrategy .steps") }
        if loggingStrategy == .steps, loggingSteps <= 0 { try fail("loggingSteps must be at least 1 with loggingStrategy .steps") }
        if let limit = saveTotalLimit, limit < 1 { try fail("saveTotalLimit must be at least 1 (or nil to keep all), got \(limit)") }
        if metricForBestModel != nil, evalStrategy == .no {
            try fail("metricForBestModel '\(metricForBestModel ?? "")' needs evaluations: set evalStrategy to .epoch or .steps "
                + "and give the Trainer an evalDataset")
        }
        if loadBestModelAtEnd {
            if evalStrategy == .no || saveStrategy != evalStrategy {
                try fail("loadBestModelAtEnd needs saveStrategy equal to evalStrategy (both .epoch or both .steps), "
                    + "got save \(saveStrategy.rawValue), eval \(evalStrategy.rawValue)")
            }
            if evalStrategy == .steps, saveSteps % effectiveEvalSteps != 0 {
                try fail("loadBestModelAtEnd needs saveSteps (\(saveSteps)) to be a multiple of evalSteps (\(effectiveEvalSteps))")
            }
        }
    }
}
