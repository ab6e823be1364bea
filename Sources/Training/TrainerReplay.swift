import Foundation
import Metrics
import Models

// `train()` under a `TrainingReplayStore`: a run whose key (TrainingReplayKey) matches a
// recorded one is not redone. Its final weights, state, output folder and dropout counter are
// put back and the lines it printed are printed again, so the steps after it see what they
// would have seen; stderr says that it was replayed and how to train again. Before that, the
// current `computeMetrics` is called on each recorded evaluation's predictions and must return
// what it returned then (it is code, which no key covers). The optimizer's moments are not
// kept: `trainer.optimizer` after a replay is a fresh AdamW with the schedule at its last step.

extension Trainer {
    /// What `train()` does about a store before training.
    enum ReplayPlan {
        /// Train, and record the run under this key.
        case record(TrainingReplayStore, TrainingReplayKey)
        /// Train without recording.
        case train
    }

    /// Replays the run when it can and returns its output; otherwise what to do instead.
    func replayOrPlan(resuming: Bool) throws -> (TrainOutput?, ReplayPlan) {
        lastTrainWasReplayed = false
        guard let store = replayStore else { return (nil, .train) }
        guard !resuming else { return (nil, .train) }
        let key: TrainingReplayKey
        do { key = try TrainingReplayKey.make(self, build: store.build) } catch let refusal as TrainingReplayKey.Unkeyable {
            note("training for real, not replaying a recorded run: \(refusal.reason)")
            return (nil, .train)
        }
        guard let record = store.record(key) else { return (nil, .record(store, key)) }
        if let mismatch = try metricsMismatch(record, store: store, key: key) {
            note("training again: \(mismatch)")
            return (nil, .record(store, key))
        }
        try store.weights(key, into: model.parameters)
        try store.restoreOutput(key, to: args.outputDir)
        model.bert.seed = args.seed
        model.bert.forwardCount = record.forwardCount
        model.eval()
        state = record.state
        state.apply(record.counters)
        control = TrainerControl()
        let optimizer = try AdamW(model.parameters, lr: args.learningRate, betas: (args.adamBeta1, args.adamBeta2),
                                  eps: args.adamEpsilon, weightDecay: args.weightDecay)
        let scheduler = try getScheduler(args.lrSchedulerType, optimizer: optimizer,
                                         numWarmupSteps: args.numWarmupSteps(state.maxSteps), numTrainingSteps: state.maxSteps)
        for _ in 0..<state.globalStep { scheduler.step() }
        (self.optimizer, self.lrScheduler) = (optimizer, scheduler)
        note("replayed the training into \(args.outputDir) recorded \(record.date) with the same model, data, "
            + "arguments, seed, threads and toolkit build (\(key.hex.prefix(12))): its weights, files and output are "
            + "back, nothing was trained. To train for real: `--fresh` (course step / course exercise check).")
        for line in record.lines { printLine(line) }
        // Under the runner (course step), a control line marks the step as replayed: it is then
        // never reported as verified.
        if ProcessInfo.processInfo.environment["COURSE_CHAPTER"] != nil {
            print("\u{1E}course:replayed \(args.outputDir)\u{1E}")
            fflush(stdout)
        }
        lastTrainWasReplayed = true
        return (TrainOutput(globalStep: record.globalStep, trainingLoss: record.trainingLoss, metrics: record.metrics), .train)
    }

    /// Why the current `computeMetrics` would log other numbers than the recorded run, or nil.
    private func metricsMismatch(_ record: TrainingReplayRecord, store: TrainingReplayStore, key: TrainingReplayKey) throws -> String? {
        guard let computeMetrics else { return record.computedMetrics.isEmpty ? nil : "computeMetrics was removed" }
        for (i, expected) in record.computedMetrics.enumerated() {
            let recorded = try store.evaluation(key, i)
            let now: MetricResult
            do { now = try computeMetrics(recorded.prediction) } catch {
                return "computeMetrics now throws on the recorded run's predictions (\(error))"
            }
            if String(describing: now) != expected {
                return "computeMetrics now gives \(now) where the recorded run had \(expected)"
            }
        }
        return nil
    }

    /// Trains (`run`) while keeping what a replay needs, then writes the record.
    func recording(_ store: TrainingReplayStore, _ key: TrainingReplayKey, _ run: () throws -> TrainOutput) throws -> TrainOutput {
        let tape = ReplayTape()
        let (originalPrint, originalMetrics) = (printLine, computeMetrics)
        printLine = { line in tape.lines.append(line); originalPrint(line) }
        if let originalMetrics {
            computeMetrics = { prediction in
                let result = try originalMetrics(prediction)
                tape.evaluations.append(RecordedEvaluation(prediction))
                tape.computed.append(String(describing: result))
                return result
            }
        }
        defer { (printLine, computeMetrics) = (originalPrint, originalMetrics) }
        let output = try run()
        let record = TrainingReplayRecord(lines: tape.lines, state: state, counters: state.counters,
                                          globalStep: output.globalStep, trainingLoss: output.trainingLoss,
                                          metrics: output.metrics, forwardCount: model.bert.forwardCount,
                                          computedMetrics: tape.computed,
                                          date: ISO8601DateFormatter().string(from: Date()))
        do {
            try store.save(record, weights: model.parameters, evaluations: tape.evaluations, outputDir: args.outputDir, key: key)
        } catch {
            note("could not record this training for a later replay (\(error)); it trained normally")
        }
        return output
    }

    /// One line on stderr, for the learner (stdout holds only what a real run prints).
    private func note(_ text: String) {
        FileHandle.standardError.write(Data("note: \(text)\n".utf8))
    }
}

/// What a recording run collects as it trains (a class: the wrapped closures append to it).
final class ReplayTape: @unchecked Sendable {
    var lines: [String] = []
    var evaluations: [RecordedEvaluation] = []
    var computed: [String] = []
}
