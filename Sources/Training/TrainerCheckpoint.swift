import Files
import Foundation
import Metrics
import Models
import Tensor

// Checkpoints: `<outputDir>/checkpoint-<step>/` holds
//   config.json, model.safetensors   the model (savePretrained), loadable by Python
//   tokenizer files                  if the Trainer has a tokenizer
//   optimizer.safetensors            AdamW moments, the step count in the metadata
//   scheduler.json                   {"last_epoch": <scheduler steps>}
//   trainer_state.json               TrainerState with transformers' keys (log_history, global_step,
//                                    best_metric, ...): Python's Trainer resumes from it
//   trainer_state_swift.json         the toolkit's loss sums and dropout counter (exact resume here)
//   training_args.json               the TrainingArguments
// The data order and dropout masks are pure functions of (seed, step), so no RNG file is needed.

extension Trainer {
    /// Saves a checkpoint for the current step (written to a temporary directory, then renamed,
    /// so an interrupted save leaves no half checkpoint), updates the best model when `metrics`
    /// improve `metricForBestModel`, and deletes checkpoints beyond `saveTotalLimit`.
    func saveCheckpoint(metrics: MetricResult?, optimizer: AdamW, scheduler: LinearScheduleWithWarmup) throws {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: args.outputDir)
        let dir = root.appendingPathComponent("checkpoint-\(state.globalStep)")
        if let key = args.bestMetricKey, let metrics {
            guard let value = metrics[key] else {
                throw TrainerError("metricForBestModel '\(args.metricForBestModel ?? key)' is not among the evaluation "
                    + "metrics \(metrics.keys); use one of them")
            }
            let better = state.bestMetric.map { args.biggerIsBetter ? value > $0 : value < $0 } ?? true
            if better {
                state.bestMetric = value
                state.bestGlobalStep = state.globalStep
                state.bestModelCheckpoint = dir.path
            }
        }
        // Under MPI world process zero writes; the others wait until the checkpoint exists.
        guard isWorldProcessZero else { try group.barrier(); return }
        let tmp = root.appendingPathComponent("tmp-checkpoint-\(state.globalStep)")
        do {
            try? fm.removeItem(at: tmp)
            try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
            try model.savePretrained(tmp.path)
            try tokenizer?.savePretrained(tmp)
            let (step, tensors) = optimizer.stateDict()
            try Safetensors.write(tensors, to: tmp.appendingPathComponent("optimizer.safetensors"),
                                  metadata: ["format": "pt", "step": String(step)])
            try JSONEncoder().encode(["last_epoch": scheduler.lastEpoch])
                .write(to: tmp.appendingPathComponent("scheduler.json"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(args).write(to: tmp.appendingPathComponent("training_args.json"))
            state.savedControl = control
            // Python's flow callback has asked to stop by the time the last step is saved.
            if state.globalStep >= state.maxSteps { state.savedControl.shouldTrainingStop = true }
            try state.save(to: tmp.appendingPathComponent("trainer_state.json"))
            try state.saveCounters(to: tmp.appendingPathComponent(TrainerState.countersFileName))
            try? fm.removeItem(at: dir)
            try fm.moveItem(at: tmp, to: dir)
        } catch {
            // No half-written checkpoint stays behind to be mistaken for one.
            try? fm.removeItem(at: tmp)
            if let error = error as? TrainerError { throw error }
            throw TrainerError("cannot save checkpoint \(dir.path): \(FileProblem.describe(error))")
        }
        try rotateCheckpoints()
        try group.barrier()
    }

    /// Deletes the oldest checkpoints beyond `saveTotalLimit`, never the best one: like Python,
    /// the best counts as the second newest, and with a limit of 1 the best and the newest stay.
    func rotateCheckpoints() throws {
        guard let limit = args.saveTotalLimit else { return }
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: args.outputDir)) ?? []
        var sorted = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("checkpoint-"), let step = Int(name.dropFirst("checkpoint-".count)) else { return nil }
            return (step, (args.outputDir as NSString).appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }.map(\.1)
        let bestPath = state.bestModelCheckpoint.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var keep = limit
        if let bestPath, let i = sorted.firstIndex(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == bestPath }) {
            if i < sorted.count - 2 {
                let best = sorted.remove(at: i)
                sorted.insert(best, at: sorted.count - 1) // second newest of the full list
            }
            if limit == 1, i != sorted.count - 1 { keep = 2 }
        }
        for path in sorted.prefix(max(0, sorted.count - keep)) {
            do { try fm.removeItem(atPath: path) } catch {
                throw TrainerError("cannot delete old checkpoint \(path): \(FileProblem.describe(error))")
            }
        }
    }

    /// Restores model, optimizer, scheduler, trainer state and the dropout counter from `path`.
    /// Every file is read and checked against this model first and applied only when all are
    /// sound, so a damaged checkpoint leaves the model as it was; the error then names the
    /// newest intact checkpoint beside it.
    func loadCheckpoint(_ path: String, optimizer: AdamW, scheduler: LinearScheduleWithWarmup) throws {
        let contents: CheckpointContents
        do { contents = try readCheckpoint(path, optimizer: optimizer) } catch let error as CheckpointPathError {
            throw TrainerError(error.message + ". The model was not changed.")
        } catch {
            var why = "\(error)"
            while why.hasSuffix(".") { why.removeLast() }
            throw TrainerError("cannot resume from \(path): \(why). The model was not changed. "
                + intactCheckpointAdvice(excluding: path, optimizer: optimizer))
        }
        if let old = contents.arguments, old.perDeviceTrainBatchSize != args.perDeviceTrainBatchSize || old.seed != args.seed
            || old.gradientAccumulationSteps != args.gradientAccumulationSteps || old.groupByLength != args.groupByLength {
            FileHandle.standardError.write(Data(("warning: \(path) was saved with other batch size, accumulation, seed or groupByLength; "
                + "the resumed run will not match the original\n").utf8))
        }
        // Nothing below can fail on the checkpoint's account: shapes and names were checked.
        for (p, t) in contents.weights { try p.value.copy(from: t) }
        try optimizer.loadStateDict(step: contents.optimizerStep, tensors: contents.moments)
        scheduler.load(lastEpoch: contents.lastEpoch)
        // This run's own settings (steps, batch, rank) replace the saved ones; the progress is the checkpoint's.
        let current = state
        state = contents.state
        state.maxSteps = current.maxSteps
        state.numTrainEpochs = current.numTrainEpochs
        state.setRunSettings(from: current)
        try restoreDropoutCounter(to: contents.state.dropoutForwardCount)
    }

    /// Copies the weights of `checkpoint/model.safetensors` into the model's parameters (all
    /// checked before the first is copied).
    func loadModelWeights(from checkpoint: String) throws {
        for (p, t) in try readModelWeights(from: checkpoint) { try p.value.copy(from: t) }
    }

    /// Every parameter's tensor from `checkpoint/model.safetensors`, checked by name and shape.
    func readModelWeights(from checkpoint: String) throws -> [(Parameter, Tensor)] {
        let url = URL(fileURLWithPath: checkpoint).appendingPathComponent("model.safetensors")
        let file = try Safetensors.read(url)
        return try model.parameters.map { p in
            guard file.entries[p.name] != nil else {
                throw TrainerError("\(url.path) lacks \(p.name): was it saved from this model?")
            }
            let t = try file.tensor(p.name)
            guard t.shape == p.shape else {
                throw TrainerError("\(url.path): \(p.name) has shape \(t.shape), the model \(p.shape)")
            }
            return (p, t)
        }
    }

    /// Reads and checks every file of a checkpoint without changing anything.
    func readCheckpoint(_ path: String, optimizer: AdamW) throws -> CheckpointContents {
        let dir = URL(fileURLWithPath: path)
        let stateURL = dir.appendingPathComponent("trainer_state.json")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointPathError("resumeFromCheckpoint: \(path) does not exist; pass a checkpoint-<step> "
                + "folder the Trainer wrote, e.g. getLastCheckpoint(\"\(args.outputDir)\")")
        }
        guard isDirectory.boolValue else {
            throw CheckpointPathError("resumeFromCheckpoint: \(path) is a file, not a checkpoint folder; pass a "
                + "checkpoint-<step> folder the Trainer wrote, e.g. getLastCheckpoint(\"\(args.outputDir)\")")
        }
        guard FileManager.default.fileExists(atPath: stateURL.path) else {
            throw TrainerError("\(path) is not a Trainer checkpoint (no trainer_state.json); pass a checkpoint-<step> "
                + "directory, e.g. getLastCheckpoint(\"\(args.outputDir)\")")
        }
        let saved = try TrainerState.load(stateURL)
        // Step counts feed index arithmetic in an -Ounchecked module: keep them in a sane range.
        try checkCounters(saved, in: stateURL)
        // training_args.json only feeds a warning: unreadable means "cannot compare".
        let arguments = (try? Data(contentsOf: dir.appendingPathComponent("training_args.json")))
            .flatMap { try? JSONDecoder().decode(TrainingArguments.self, from: $0) }
        let weights = try readModelWeights(from: path)

        let optimizerURL = dir.appendingPathComponent("optimizer.safetensors")
        let file = try Safetensors.read(optimizerURL)
        var moments: [String: Tensor] = [:]
        for p in optimizer.parameters {
            for name in [p.name + ".exp_avg", p.name + ".exp_avg_sq"] {
                guard file.entries[name] != nil else {
                    throw TrainerError("\(optimizerURL.path) lacks \(name): was it saved from this model?")
                }
                let t = try file.tensor(name)
                guard t.shape == p.shape else {
                    throw TrainerError("\(optimizerURL.path): \(name) has shape \(t.shape), the parameter \(p.shape)")
                }
                moments[name] = t
            }
        }
        var optimizerStep = saved.globalStep
        if let text = file.metadata["step"] {
            guard let step = Int(text), (0...(1 << 40)).contains(step) else {
                throw TrainerError("\(optimizerURL.path): its metadata step '\(text)' is not a non-negative integer")
            }
            optimizerStep = step
        }

        let schedulerURL = dir.appendingPathComponent("scheduler.json")
        let schedulerData: Data
        do { schedulerData = try Data(contentsOf: schedulerURL) } catch {
            throw TrainerError("cannot read \(schedulerURL.path): \(FileProblem.describe(error))")
        }
        guard let schedule = try? JSONDecoder().decode([String: Int].self, from: schedulerData),
              let lastEpoch = schedule["last_epoch"], (0...(1 << 40)).contains(lastEpoch) else {
            throw TrainerError("\(schedulerURL.path) is not a scheduler state {\"last_epoch\": <steps>} (damaged?)")
        }
        return CheckpointContents(state: saved, arguments: arguments, weights: weights, moments: moments,
                                  optimizerStep: optimizerStep, lastEpoch: lastEpoch)
    }

    /// Step and pass counts feed index and seed arithmetic in an -Ounchecked module, and the loss
    /// sums feed the logged means: a value out of range would resume silently with other dropout
    /// masks or other losses, so each is checked like `global_step`.
    /// The counters are named with the file that holds them: `trainer_state_swift.json`, or
    /// `trainer_state.json` itself in checkpoints written before that file existed.
    func checkCounters(_ saved: TrainerState, in url: URL) throws {
        let limit = 1 << 40
        let side = url.deletingLastPathComponent().appendingPathComponent(TrainerState.countersFileName)
        let countersURL = FileManager.default.fileExists(atPath: side.path) ? side : url
        let counts: [(String, Int, URL)] = [("global_step", saved.globalStep, url), ("max_steps", saved.maxSteps, url),
                                            ("num_train_epochs", saved.numTrainEpochs, url),
                                            ("log_loss_count", saved.logLossCount, countersURL),
                                            ("line_loss_count", saved.lineLossCount, countersURL)]
        for (key, value, file) in counts where !(0...limit).contains(value) {
            throw TrainerError("\(file.path): \(key) \(value) is not a count (damaged?)")
        }
        // The model's count of training forward passes: the dropout masks' stream is count << 12.
        guard saved.dropoutForwardCount <= UInt64(limit) else {
            throw TrainerError("\(countersURL.path): dropout_forward_count \(saved.dropoutForwardCount) is not a count of "
                + "forward passes (damaged?)")
        }
        let sums: [(String, Double, URL)] = [("epoch", saved.epoch, url), ("total_flos", saved.totalFlos, url),
                                             ("total_loss_sum", saved.totalLossSum, countersURL),
                                             ("log_loss_sum", saved.logLossSum, countersURL),
                                             ("line_loss_sum", saved.lineLossSum, countersURL)]
        for (key, value, file) in sums where !value.isFinite {
            throw TrainerError("\(file.path): \(key) is \(value), not a finite number (damaged?)")
        }
        guard saved.epoch >= 0 else { throw TrainerError("\(url.path): epoch \(saved.epoch) is negative (damaged?)") }
    }

    /// "The newest intact checkpoint is ...", from the `checkpoint-<step>` folders beside `path`.
    func intactCheckpointAdvice(excluding path: String, optimizer: AdamW) -> String {
        let failed = URL(fileURLWithPath: path).standardizedFileURL
        let folder = failed.deletingLastPathComponent().path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let candidates = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("checkpoint-"), let step = Int(name.dropFirst("checkpoint-".count)) else { return nil }
            let full = (folder as NSString).appendingPathComponent(name)
            return URL(fileURLWithPath: full).standardizedFileURL == failed ? nil : (step, full)
        }.sorted { $0.0 > $1.0 }
        for (_, candidate) in candidates where (try? readCheckpoint(candidate, optimizer: optimizer)) != nil {
            return "The newest intact checkpoint is \(candidate): resume from it with "
                + "train(resumeFromCheckpoint: \"\(candidate)\"), or delete \(path)."
        }
        return candidates.isEmpty
            ? "There is no other checkpoint in \(folder): train from the start (resumeFromCheckpoint: nil)."
            : "No other checkpoint in \(folder) is intact either: train from the start (resumeFromCheckpoint: nil)."
    }

    /// Dropout masks derive from (seed, the model's count of training forward passes): set the
    /// count back to the checkpoint's so the masks continue as in the original run.
    func restoreDropoutCounter(to target: UInt64) throws {
        model.bert.forwardCount = target
    }
}

/// A checkpoint read and checked against the model and optimizer, not yet applied.
struct CheckpointContents {
    var state: TrainerState
    var arguments: TrainingArguments?
    var weights: [(Parameter, Tensor)]
    var moments: [String: Tensor]
    var optimizerStep: Int
    var lastEpoch: Int
}

/// `resumeFromCheckpoint` names no checkpoint folder at all (missing, or a file): not a damaged
/// checkpoint, so the message gives no advice about deleting it.
struct CheckpointPathError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
