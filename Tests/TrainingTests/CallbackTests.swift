import Foundation
import Metrics
import Models
@testable import Training
import Testing

/// Callbacks: the hooks' order, a control that forces an evaluation or a save or stops
/// training, early stopping, and `modelInit`.
@Suite struct CallbackTests {
    /// Records every hook as "name@step"; can force things at given steps.
    final class Recorder: TrainerCallback {
        var events: [String] = []
        var evaluateAt: Set<Int> = [], saveAt: Set<Int> = [], stopAt: Int?
        func onTrainBegin(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                          model: any BertClassifier) throws { events.append("begin@\(state.globalStep)") }
        func onTrainEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {
            events.append("end@\(state.globalStep)")
        }
        func onEpochEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {
            events.append("epoch@\(state.globalStep)")
        }
        func onStepEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {
            events.append("step@\(state.globalStep)")
            if evaluateAt.contains(state.globalStep) { control.shouldEvaluate = true }
            if saveAt.contains(state.globalStep) { control.shouldSave = true }
            if state.globalStep == stopAt { control.shouldTrainingStop = true }
        }
        func onLog(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                   logs: [String: Double]) throws {
            #expect(logs["step"] == nil)
            events.append((logs["eval_loss"] != nil ? "logeval@" : logs["train_loss"] != nil ? "logtrain@" : "log@")
                + "\(state.globalStep)")
        }
        func onEvaluate(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                        metrics: MetricResult) throws {
            #expect(metrics["eval_loss"] != nil)
            events.append("evaluate@\(state.globalStep)")
        }
        func onSave(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {
            events.append("save@\(state.globalStep)")
        }
    }

    static func trainer(_ args: TrainingArguments, callbacks: [any TrainerCallback]) throws -> Trainer<BertForTokenClassification> {
        let trainer = try Trainer(model: BertForTokenClassification(config: TrainerTests.config, seed: 1), args: args,
                                  trainDataset: try TrainerTests.dataset(32, tokens: true),
                                  evalDataset: try TrainerTests.dataset(12, tokens: true, seed: 99),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()),
                                  computeMetrics: TrainerTests.accuracy, callbacks: callbacks)
        trainer.printLine = { _ in }
        return trainer
    }

    @Test func hooksRunInPythonsOrder() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recorder = Recorder()
        // 8 steps per epoch, 1 epoch; log every 4; evaluate and save at the epoch end.
        let trainer = try Self.trainer(TrainerTests.args(dir) {
            $0.numTrainEpochs = 1; $0.loggingSteps = 4; $0.saveStrategy = .epoch
        }, callbacks: [recorder])
        try trainer.train()
        #expect(recorder.events == ["begin@0", "step@1", "step@2", "step@3", "step@4", "log@4", "step@5", "step@6",
                                    "step@7", "step@8", "epoch@8", "log@8", "logeval@8", "evaluate@8", "save@8",
                                    "logtrain@8", "end@8"])
    }

    @Test func controlForcesEvaluationAndSaveAndStops() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recorder = Recorder()
        recorder.evaluateAt = [3]; recorder.saveAt = [5]; recorder.stopAt = 6
        let trainer = try Self.trainer(TrainerTests.args(dir) { $0.evalStrategy = .no; $0.loggingSteps = 100 },
                                       callbacks: [recorder])
        let out = try trainer.train()
        #expect(out.globalStep == 6)
        #expect(recorder.events.filter { !$0.hasPrefix("step@") }
                == ["begin@0", "logeval@3", "evaluate@3", "save@5", "logtrain@6", "end@6"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["checkpoint-5"])
    }

    /// With a learning rate of 0 the validation loss never improves: patience 2 stops training at
    /// the third evaluation, and the best (first) checkpoint is loaded.
    @Test func earlyStoppingStopsAfterPatienceEvaluations() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let early = EarlyStoppingCallback(patience: 2)
        let trainer = try Self.trainer(TrainerTests.args(dir) {
            $0.learningRate = 0; $0.evalStrategy = .steps; $0.evalSteps = 2; $0.saveStrategy = .steps; $0.saveSteps = 2
            $0.loadBestModelAtEnd = true; $0.metricForBestModel = "loss"
        }, callbacks: [early])
        let out = try trainer.train()
        #expect(out.globalStep == 6)
        #expect(early.patienceCounter == 2)
        #expect(trainer.state.bestModelCheckpoint == URL(fileURLWithPath: dir).appendingPathComponent("checkpoint-2").path)
        #expect(trainer.state.logHistory.filter { $0["eval_loss"] != nil }.count == 3)
    }

    /// A threshold: improvements smaller than it count as none.
    @Test func earlyStoppingThreshold() throws {
        let early = EarlyStoppingCallback(patience: 1, threshold: 0.05)
        let args = TrainingArguments("x", evalStrategy: .steps, evalSteps: 1, saveStrategy: .steps, saveSteps: 1,
                                     metricForBestModel: "accuracy")
        var state = TrainerState()
        var control = TrainerControl()
        state.bestMetric = 0.80
        try early.onEvaluate(args: args, state: state, control: &control, metrics: MetricResult([("eval_accuracy", .double(0.9))]))
        #expect(early.patienceCounter == 0 && !control.shouldTrainingStop)
        state.bestMetric = 0.90
        try early.onEvaluate(args: args, state: state, control: &control, metrics: MetricResult([("eval_accuracy", .double(0.92))]))
        #expect(early.patienceCounter == 1 && control.shouldTrainingStop)
        #expect { try early.onEvaluate(args: args, state: state, control: &control, metrics: MetricResult([("eval_f1", .double(1))])) }
            throws: { "\($0)".contains("eval_accuracy") }
    }

    @Test func earlyStoppingNeedsAMetricAndEvaluations() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let trainer = try Self.trainer(TrainerTests.args(dir), callbacks: [EarlyStoppingCallback(patience: 2)])
        #expect { try trainer.train() } throws: { "\($0)".contains("metricForBestModel") }
    }

    /// `modelInit` makes a fresh model for every `train()`: two runs give the same history,
    /// where training the same model twice continues from the first run's weights.
    @Test func modelInitStartsEveryRunFresh() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        nonisolated(unsafe) var calls = 0
        let trainer = try Trainer(modelInit: { calls += 1; return BertForTokenClassification(config: TrainerTests.config, seed: 1) },
                                  args: TrainerTests.args(dir) { $0.numTrainEpochs = 1 },
                                  trainDataset: try TrainerTests.dataset(32, tokens: true),
                                  evalDataset: try TrainerTests.dataset(12, tokens: true, seed: 99),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()),
                                  computeMetrics: TrainerTests.accuracy)
        trainer.printLine = { _ in }
        #expect(calls == 1)
        let first = try trainer.train()
        let history = trainer.state.reproducibleLogHistory
        let second = try trainer.train()
        #expect(calls == 3)
        #expect(TrainerTests.same(first, second) && trainer.state.reproducibleLogHistory == history)
        let fixed = try Self.trainer(TrainerTests.args(dir) { $0.numTrainEpochs = 1 }, callbacks: [])
        let a = try fixed.train(), b = try fixed.train()
        #expect(a.trainingLoss != b.trainingLoss)
    }
}
