import Files
import Foundation

/// What the Trainer knows about a run (Python `TrainerState`), saved as `trainer_state.json` in
/// every checkpoint. `logHistory` holds one entry per log or evaluation, e.g.
/// `{"epoch": 1.0, "eval_loss": 0.1234, "eval_runtime": 0.5424, ..., "step": 40}`.
///
/// `trainer_state.json` holds exactly the keys of transformers' `TrainerState` with its JSON
/// types (floats as floats, `null` for unset), so `TrainerState.load_from_json` reads it and a
/// Python `Trainer` resumes from the checkpoint. The running loss sums (Double, exact through
/// JSON) and the model's dropout counter, which let a resumed run here continue bit for bit,
/// live in a file of their own beside it, `trainer_state_swift.json`.
public struct TrainerState: Codable, Sendable, Equatable {
    /// One entry per log or evaluation (`{"loss": ..., "step": 10}`), oldest first.
    public var logHistory: [[String: Double]] = []
    /// Optimizer steps done.
    public var globalStep = 0
    /// Fractional epochs done (1.5 = half way through the second epoch).
    public var epoch: Double = 0
    /// The optimizer steps the run takes in all.
    public var maxSteps = 0
    /// The epochs the run spans (rounded up).
    public var numTrainEpochs = 0
    /// The best value of `metricForBestModel` at a saved checkpoint so far.
    public var bestMetric: Double?
    /// The step of that checkpoint (Python `best_global_step`).
    public var bestGlobalStep: Int?
    /// That checkpoint's directory (`<outputDir>/checkpoint-<step>`).
    public var bestModelCheckpoint: String?
    /// Log every this many steps (`args.loggingSteps`; Python's default 500 before training).
    public var loggingSteps = 500
    /// Evaluate every this many steps (`args.evalSteps`, else `loggingSteps` with step-wise evaluation).
    public var evalSteps = 500
    /// Save every this many steps (`args.saveSteps`).
    public var saveSteps = 500
    /// Rows per device per batch (`args.perDeviceTrainBatchSize`); nil before training.
    public var trainBatchSize: Int?
    /// Input tokens seen (Python counts them only with `include_num_input_tokens_seen`; 0 here).
    public var numInputTokensSeen = 0
    /// Floating-point operations of training so far, as transformers estimates them:
    /// 6 × input tokens (padding included) × parameters outside the embedding tables.
    public var totalFlos: Double = 0
    /// Whether this process is the first on its machine.
    public var isLocalProcessZero = true
    /// Whether this process is rank 0 of the job.
    public var isWorldProcessZero = true
    /// The control switches at the last save (Python stores them under `stateful_callbacks`).
    public var savedControl = TrainerControl()
    // Running sums for resuming exactly (trainer_state_swift.json).
    var totalLossSum: Double = 0
    var logLossSum: Double = 0
    var logLossCount = 0
    var lineLossSum: Double = 0
    var lineLossCount = 0
    var dropoutForwardCount: UInt64 = 0

    /// The state of a run not started yet.
    public init() {}

    /// The file beside `trainer_state.json` that holds the toolkit's own counters.
    public static let countersFileName = "trainer_state_swift.json"

    /// Whether a log key holds a wall-clock measurement (`eval_runtime`, `train_samples_per_second`,
    /// ...): such values differ from run to run, everything else in the log history does not.
    public static func isTiming(_ key: String) -> Bool {
        key.hasSuffix("_runtime") || key.hasSuffix("_per_second")
    }

    /// The log history without its wall-clock keys: equal between two runs with the same seed,
    /// and between a resumed run and an uninterrupted one.
    public var reproducibleLogHistory: [[String: Double]] {
        logHistory.map { $0.filter { !Self.isTiming($0.key) } }
    }

    enum CodingKeys: String, CodingKey {
        case logHistory = "log_history", globalStep = "global_step", epoch, maxSteps = "max_steps"
        case numTrainEpochs = "num_train_epochs", bestMetric = "best_metric", bestGlobalStep = "best_global_step"
        case bestModelCheckpoint = "best_model_checkpoint", loggingSteps = "logging_steps", evalSteps = "eval_steps"
        case saveSteps = "save_steps", trainBatchSize = "train_batch_size", numInputTokensSeen = "num_input_tokens_seen"
        case totalFlos = "total_flos", isLocalProcessZero = "is_local_process_zero"
        case isWorldProcessZero = "is_world_process_zero", isHyperParamSearch = "is_hyper_param_search"
        case trialName = "trial_name", trialParams = "trial_params", statefulCallbacks = "stateful_callbacks"
        // Written by checkpoints before the counters moved to their own file; still read.
        case totalLossSum = "total_loss_sum", logLossSum = "log_loss_sum", logLossCount = "log_loss_count"
        case lineLossSum = "line_loss_sum", lineLossCount = "line_loss_count"
        case dropoutForwardCount = "dropout_forward_count"
    }

    /// Reads transformers' keys (any missing one keeps its default, as Python's dataclass does)
    /// and, from older checkpoints, the counters they kept inline.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        logHistory = try c.decodeIfPresent([[String: Double]].self, forKey: .logHistory) ?? []
        globalStep = try c.decodeIfPresent(Int.self, forKey: .globalStep) ?? 0
        epoch = try c.decodeIfPresent(Double.self, forKey: .epoch) ?? 0
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps) ?? 0
        numTrainEpochs = try c.decodeIfPresent(Int.self, forKey: .numTrainEpochs) ?? 0
        bestMetric = try c.decodeIfPresent(Double.self, forKey: .bestMetric)
        bestGlobalStep = try c.decodeIfPresent(Int.self, forKey: .bestGlobalStep)
        bestModelCheckpoint = try c.decodeIfPresent(String.self, forKey: .bestModelCheckpoint)
        loggingSteps = try c.decodeIfPresent(Int.self, forKey: .loggingSteps) ?? 500
        evalSteps = try c.decodeIfPresent(Int.self, forKey: .evalSteps) ?? 500
        saveSteps = try c.decodeIfPresent(Int.self, forKey: .saveSteps) ?? 500
        trainBatchSize = try c.decodeIfPresent(Int.self, forKey: .trainBatchSize)
        numInputTokensSeen = try c.decodeIfPresent(Int.self, forKey: .numInputTokensSeen) ?? 0
        totalFlos = try c.decodeIfPresent(Double.self, forKey: .totalFlos) ?? 0
        isLocalProcessZero = try c.decodeIfPresent(Bool.self, forKey: .isLocalProcessZero) ?? true
        isWorldProcessZero = try c.decodeIfPresent(Bool.self, forKey: .isWorldProcessZero) ?? true
        if let callbacks = try? c.decodeIfPresent([String: StatefulCallback].self, forKey: .statefulCallbacks),
           let control = callbacks["TrainerControl"]?.args {
            savedControl = TrainerControl(flags: control)
        }
        let counters = try TrainerCounters(from: decoder)
        apply(counters)
    }

    /// Encodes transformers' keys (for Python-exact float spelling use `save(to:)`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(logHistory, forKey: .logHistory)
        try c.encode(globalStep, forKey: .globalStep)
        try c.encode(epoch, forKey: .epoch)
        try c.encode(maxSteps, forKey: .maxSteps)
        try c.encode(numTrainEpochs, forKey: .numTrainEpochs)
        try c.encode(bestMetric, forKey: .bestMetric)
        try c.encode(bestGlobalStep, forKey: .bestGlobalStep)
        try c.encode(bestModelCheckpoint, forKey: .bestModelCheckpoint)
        try c.encode(loggingSteps, forKey: .loggingSteps)
        try c.encode(evalSteps, forKey: .evalSteps)
        try c.encode(saveSteps, forKey: .saveSteps)
        try c.encode(trainBatchSize, forKey: .trainBatchSize)
        try c.encode(numInputTokensSeen, forKey: .numInputTokensSeen)
        try c.encode(totalFlos, forKey: .totalFlos)
        try c.encode(isLocalProcessZero, forKey: .isLocalProcessZero)
        try c.encode(isWorldProcessZero, forKey: .isWorldProcessZero)
        try c.encode(false, forKey: .isHyperParamSearch)
        try c.encodeNil(forKey: .trialName)
        try c.encodeNil(forKey: .trialParams)
        try c.encode(["TrainerControl": StatefulCallback(args: savedControl.flags, attributes: [:])], forKey: .statefulCallbacks)
    }

    /// `trainer_state.json` as transformers writes it (`json.dumps(indent=2, sort_keys=True)`).
    var pythonJSON: String {
        let control = PythonJSON.object(savedControl.flags.mapValues { .bool($0) })
        let history = PythonJSON.array(logHistory.map { entry in
            // Python logs `step` as an int and every measured value as a float.
            .object(entry.mapValues { .float($0) }.merging(entry["step"].map { ["step": .int(Int($0))] } ?? [:]) { $1 })
        })
        return PythonJSON.object([
            "best_global_step": .optional(bestGlobalStep, PythonJSON.int),
            "best_metric": .optional(bestMetric, PythonJSON.float),
            "best_model_checkpoint": .optional(bestModelCheckpoint, PythonJSON.string),
            "epoch": .float(epoch),
            "eval_steps": .int(evalSteps),
            "global_step": .int(globalStep),
            "is_hyper_param_search": .bool(false),
            "is_local_process_zero": .bool(isLocalProcessZero),
            "is_world_process_zero": .bool(isWorldProcessZero),
            "log_history": history,
            "logging_steps": .int(loggingSteps),
            "max_steps": .int(maxSteps),
            "num_input_tokens_seen": .int(numInputTokensSeen),
            "num_train_epochs": .int(numTrainEpochs),
            "save_steps": .int(saveSteps),
            "stateful_callbacks": .object(["TrainerControl": .object(["args": control, "attributes": .object([:])])]),
            "total_flos": .float(totalFlos),
            "train_batch_size": .optional(trainBatchSize, PythonJSON.int),
            "trial_name": .null,
            "trial_params": .null,
        ]).document()
    }

    /// Writes `trainer_state.json` exactly as transformers' `TrainerState.save_to_json` would
    /// (sorted keys, two-space indent, floats as floats), readable by `load_from_json`.
    public func save(to url: URL) throws {
        do { try Data(pythonJSON.utf8).write(to: url, options: .atomic) } catch {
            throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    /// Writes the toolkit's own counters (`trainer_state_swift.json`) for an exact resume.
    func saveCounters(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try encoder.encode(counters).write(to: url, options: .atomic) } catch {
            throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    /// Reads a `trainer_state.json` written here or by Python's Trainer, and the counters in the
    /// `trainer_state_swift.json` beside it when there is one.
    public static func load(_ url: URL) throws -> TrainerState {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainerError("cannot read \(url.path): is this a checkpoint directory written by the Trainer?")
        }
        var state: TrainerState
        // JSON5 reads the NaN and Infinity that Python (and `save`) write for a diverged loss.
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        do { state = try decoder.decode(TrainerState.self, from: data) } catch {
            throw TrainerError("\(url.path) is not a trainer state: \(error)")
        }
        let countersURL = url.deletingLastPathComponent().appendingPathComponent(countersFileName)
        if let counterData = try? Data(contentsOf: countersURL) {
            do { state.apply(try JSONDecoder().decode(TrainerCounters.self, from: counterData)) } catch {
                throw TrainerError("\(countersURL.path) is not the Trainer's counters file (damaged?): \(error)")
            }
        }
        return state
    }

    var counters: TrainerCounters {
        TrainerCounters(totalLossSum: totalLossSum, logLossSum: logLossSum, logLossCount: logLossCount,
                        lineLossSum: lineLossSum, lineLossCount: lineLossCount, dropoutForwardCount: dropoutForwardCount)
    }

    mutating func apply(_ c: TrainerCounters) {
        (totalLossSum, logLossSum, logLossCount) = (c.totalLossSum, c.logLossSum, c.logLossCount)
        (lineLossSum, lineLossCount, dropoutForwardCount) = (c.lineLossSum, c.lineLossCount, c.dropoutForwardCount)
    }
}

/// The toolkit's own running sums, kept beside `trainer_state.json` so that file holds only
/// transformers' keys. Absent keys read as 0 (a state written by Python has none of them).
struct TrainerCounters: Codable, Equatable {
    var totalLossSum: Double = 0
    var logLossSum: Double = 0
    var logLossCount = 0
    var lineLossSum: Double = 0
    var lineLossCount = 0
    var dropoutForwardCount: UInt64 = 0

    init(totalLossSum: Double, logLossSum: Double, logLossCount: Int, lineLossSum: Double, lineLossCount: Int,
         dropoutForwardCount: UInt64) {
        (self.totalLossSum, self.logLossSum, self.logLossCount) = (totalLossSum, logLossSum, logLossCount)
        (self.lineLossSum, self.lineLossCount, self.dropoutForwardCount) = (lineLossSum, lineLossCount, dropoutForwardCount)
    }

    enum CodingKeys: String, CodingKey {
        case totalLossSum = "total_loss_sum", logLossSum = "log_loss_sum", logLossCount = "log_loss_count"
        case lineLossSum = "line_loss_sum", lineLossCount = "line_loss_count", dropoutForwardCount = "dropout_forward_count"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        totalLossSum = try c.decodeIfPresent(Double.self, forKey: .totalLossSum) ?? 0
        logLossSum = try c.decodeIfPresent(Double.self, forKey: .logLossSum) ?? 0
        logLossCount = try c.decodeIfPresent(Int.self, forKey: .logLossCount) ?? 0
        lineLossSum = try c.decodeIfPresent(Double.self, forKey: .lineLossSum) ?? 0
        lineLossCount = try c.decodeIfPresent(Int.self, forKey: .lineLossCount) ?? 0
        dropoutForwardCount = try c.decodeIfPresent(UInt64.self, forKey: .dropoutForwardCount) ?? 0
    }
}

/// One entry of Python's `stateful_callbacks`: `{"args": {...}, "attributes": {...}}`.
struct StatefulCallback: Codable {
    var args: [String: Bool]
    var attributes: [String: Bool]
}

extension TrainerControl {
    /// The switches under Python's names (`should_save`, ...), as `TrainerControl.state()` stores them.
    var flags: [String: Bool] {
        ["should_epoch_stop": false, "should_evaluate": shouldEvaluate, "should_log": shouldLog,
         "should_save": shouldSave, "should_training_stop": shouldTrainingStop]
    }

    /// The switches from Python's names; missing ones are off.
    init(flags: [String: Bool]) {
        self.init()
        shouldEvaluate = flags["should_evaluate"] ?? false
        shouldLog = flags["should_log"] ?? false
        shouldSave = flags["should_save"] ?? false
        shouldTrainingStop = flags["should_training_stop"] ?? false
    }
}
