import Foundation
import Metrics
import Models
import Tensor

// Checkpoints: `<outputDir>/checkpoint-<step>/` holds
//   config.json, model.safetensors   the model (savePretrained), loadable by Python
//   tokenizer files                  if the Trainer has a tokenizer
//   optimizer.safetensors            AdamW moments, the step count in the metadata
//   scheduler.json                   {"last_epoch": <scheduler steps>}
//   trainer_state.json               TrainerState (log_history, global_step, best_metric, ...)
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
                state.bestModelCheckpoint = dir.path
            }
        }
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
            try state.save(to: tmp.appendingPathComponent("trainer_state.json"))
            try? fm.removeItem(at: dir)
            try fm.moveItem(at: tmp, to: dir)
        } catch let error as TrainerError {
            throw error
        } catch {
            throw TrainerError("cannot save checkpoint \(dir.path): \(error)")
        }
        try rotateCheckpoints()
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
                throw TrainerError("cannot delete old checkpoint \(path): \(error.localizedDescription)")
            }
        }
    }

    /// Restores model, optimizer, scheduler, trainer state and the dropout counter from `path`.
    func loadCheckpoint(_ path: String, optimizer: AdamW, scheduler: LinearScheduleWithWarmup) throws {
        let dir = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("trainer_state.json").path) else {
            throw TrainerError("\(path) is not a Trainer checkpoint (no trainer_state.json); pass a checkpoint-<step> "
                + "directory, e.g. getLastCheckpoint(\"\(args.outputDir)\")")
        }
        let saved = try TrainerState.load(dir.appendingPathComponent("trainer_state.json"))
        if let data = try? Data(contentsOf: dir.appendingPathComponent("training_args.json")),
           let old = try? JSONDecoder().decode(TrainingArguments.self, from: data),
           old.perDeviceTrainBatchSize != args.perDeviceTrainBatchSize || old.seed != args.seed
            || old.gradientAccumulationSteps != args.gradientAccumulationSteps || old.groupByLength != args.groupByLength {
            FileHandle.standardError.write(Data(("warning: \(path) was saved with other batch size, accumulation, seed or groupByLength; "
                + "the resumed run will not match the original\n").utf8))
        }
        try loadModelWeights(from: path)
        let file = try Safetensors.read(dir.appendingPathComponent("optimizer.safetensors"))
        var tensors: [String: Tensor] = [:]
        for name in file.entries.keys { tensors[name] = try file.tensor(name) }
        try optimizer.loadStateDict(step: Int(file.metadata["step"] ?? "") ?? saved.globalStep, tensors: tensors)
        let schedulerData = try? Data(contentsOf: dir.appendingPathComponent("scheduler.json"))
        let lastEpoch = schedulerData.flatMap { try? JSONDecoder().decode([String: Int].self, from: $0) }?["last_epoch"]
        scheduler.load(lastEpoch: lastEpoch ?? saved.globalStep)
        let maxSteps = state.maxSteps, epochs = state.numTrainEpochs
        state = saved
        state.maxSteps = maxSteps
        state.numTrainEpochs = epochs
        try restoreDropoutCounter(to: saved.dropoutForwardCount)
    }

    /// Copies the weights of `checkpoint/model.safetensors` into the model's parameters.
    func loadModelWeights(from checkpoint: String) throws {
        let url = URL(fileURLWithPath: checkpoint).appendingPathComponent("model.safetensors")
        let file = try Safetensors.read(url)
        for p in model.parameters {
            guard file.entries[p.name] != nil else {
                throw TrainerError("\(url.path) lacks \(p.name): was it saved from this model?")
            }
            let t = try file.tensor(p.name)
            guard t.shape == p.shape else {
                throw TrainerError("\(url.path): \(p.name) has shape \(t.shape), the model \(p.shape)")
            }
            try p.value.copy(from: t)
        }
    }

    /// Dropout masks derive from (seed, the model's count of training forward passes): set the
    /// count back to the checkpoint's so the masks continue as in the original run.
    func restoreDropoutCounter(to target: UInt64) throws {
        model.bert.forwardCount = target
    }
}
