import Datasets
import Foundation
import Metrics
import Models
@testable import Tensor
@testable import Training
import Testing

/// A run whose inputs all equal a recorded run's is replayed: same printed lines, weights,
/// state, output and files, and nothing trained; changing any one input trains again.
@Suite struct TrainingReplayTests {
    typealias T = TrainerTests

    struct Setup {
        var rows = try! T.dataset(32, tokens: true)
        var args: TrainingArguments
        var metrics: (EvalPrediction) throws -> MetricResult = T.accuracy
        var callbacks: [any TrainerCallback] = []
    }

    struct Result {
        let trainer: Trainer<BertForTokenClassification>
        let lines: [String]
        let output: TrainOutput
        let files: String
        var weights: [[Float]] { trainer.model.parameters.map(\.value.scalars) }
    }

    /// One run in a fresh work folder (as the runner gives each chapter run), with the store.
    /// The kernels' thread count is part of the key and a global other suites may change while
    /// these run (an Accelerator sets it): pinned here, unless a test pins another.
    static func run(_ s: Setup, store: TrainingReplayStore) throws -> Result {
        try Threads.$kernelOverride.withValue(Threads.kernelOverride ?? 2) { try unpinnedRun(s, store: store) }
    }

    private static func unpinnedRun(_ s: Setup, store: TrainingReplayStore) throws -> Result {
        try? FileManager.default.removeItem(atPath: s.args.outputDir)
        let model = BertForTokenClassification(config: T.config, seed: 1)
        let trainer = try Trainer(model: model, args: s.args, trainDataset: s.rows,
                                  evalDataset: try T.dataset(12, tokens: true, seed: 99),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try T.tokenizer()),
                                  computeMetrics: s.metrics, callbacks: s.callbacks)
        trainer.replayStore = store
        nonisolated(unsafe) var lines: [String] = []
        trainer.printLine = { lines.append($0) }
        let output = try trainer.train()
        return Result(trainer: trainer, lines: lines, output: output, files: TrainingReplayKey.outputListing(s.args.outputDir))
    }

    static func fixture() -> (Setup, TrainingReplayStore, cleanup: () -> Void) {
        let root = T.tempDir()
        let store = TrainingReplayStore(directory: URL(fileURLWithPath: root + "/replay"), build: "test-build")
        let args = T.args(root + "/out") { $0.saveStrategy = .epoch; $0.numTrainEpochs = 2 }
        return (Setup(args: args), store, { try? FileManager.default.removeItem(atPath: root) })
    }

    @Test func anIdenticalRunIsReplayedWithTheSameLinesWeightsStateAndFiles() throws {
        let (setup, store, cleanup) = Self.fixture()
        defer { cleanup() }
        let first = try Self.run(setup, store: store)
        #expect(!first.trainer.lastTrainWasReplayed)
        let second = try Self.run(setup, store: store)
        #expect(second.trainer.lastTrainWasReplayed)
        #expect(second.lines == first.lines && !first.lines.isEmpty)
        #expect(second.output == first.output)
        #expect(second.weights == first.weights)
        #expect(second.trainer.state == first.trainer.state)
        #expect(second.trainer.model.bert.forwardCount == first.trainer.model.bert.forwardCount)
        #expect(second.files == first.files && second.files.contains("checkpoint-16/model.safetensors"))
        #expect(second.trainer.lrScheduler?.lastLR == first.trainer.lrScheduler?.lastLR)
        // What follows training sees the same model: evaluation gives the same numbers.
        let (a, b) = (try first.trainer.evaluate(), try second.trainer.evaluate())
        #expect(a["eval_loss"] == b["eval_loss"] && a["eval_accuracy"] == b["eval_accuracy"])
    }

    @Test func changingAnyOneInputTrainsAgain() throws {
        let (setup, store, cleanup) = Self.fixture()
        defer { cleanup() }
        let first = try Self.run(setup, store: store)
        var row = setup
        var rows = Array(setup.rows.rows)
        rows[5] = Row([("input_ids", [2, 7, 8, 9, 3].value), ("attention_mask", [1, 1, 1, 1, 1].value),
                       ("labels", [-100, 1, 2, 0, -100].value)])
        row.rows = try Dataset(rows: rows)
        var lr = setup; lr.args.learningRate = 2e-3
        var seed = setup; seed.args.seed = 43
        var metrics = setup
        metrics.metrics = { p in MetricResult([("accuracy", .double(1 - ((try T.accuracy(p))["accuracy"] ?? 0)))]) }
        var callback = setup; callback.callbacks = [Counting()]
        for (what, changed) in [("a data row", row), ("the learning rate", lr), ("the seed", seed), ("a callback of one's own", callback)] {
            let again = try Self.run(changed, store: store)
            #expect(!again.trainer.lastTrainWasReplayed, "\(what) changed, yet the run was replayed")
        }
        // Runs with other keys did not disturb the first one's record.
        let same = try Self.run(setup, store: store)
        #expect(same.trainer.lastTrainWasReplayed && same.weights == first.weights)
        // The same computeMetrics but scoring differently (an off-by-one) is caught by rerunning it.
        var offByOne = setup
        offByOne.metrics = { p in
            let r = try T.accuracy(p)
            return MetricResult([("accuracy", .double((r["accuracy"] ?? 0) + 0.001))])
        }
        #expect(try !Self.run(offByOne, store: store).trainer.lastTrainWasReplayed)
        // Another thread count gives other bits, so it is another run.
        let threads = try Threads.$kernelOverride.withValue(3) { try Self.run(setup, store: store) }
        #expect(!threads.trainer.lastTrainWasReplayed)
        // The off-by-one run re-recorded the shared key; the original metric trains again too
        // (its check fails against that record), and is replayed from then on.
        #expect(try !Self.run(setup, store: store).trainer.lastTrainWasReplayed)
        #expect(try Self.run(setup, store: store).trainer.lastTrainWasReplayed)
    }

    @Test func aRunKilledWhileRecordingLeavesNothingToReplay() throws {
        let (setup, store, cleanup) = Self.fixture()
        defer { cleanup() }
        _ = try Self.run(setup, store: store)
        // A half-written record (the temporary folder of a killed run) is not a record.
        let records = try FileManager.default.contentsOfDirectory(atPath: store.runs.path).filter { !$0.hasPrefix(".") }
        #expect(records.count == 1)
        try FileManager.default.moveItem(at: store.runs.appendingPathComponent(records[0]),
                                         to: store.runs.appendingPathComponent(".tmp-\(records[0])-1"))
        #expect(try !Self.run(setup, store: store).trainer.lastTrainWasReplayed)
    }
}

/// A callback written outside the toolkit: its code is not covered by any key.
private final class Counting: TrainerCallback {
    var steps = 0
    func onStepEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws { steps += 1 }
}

/// Under a store, the forward passes of an evaluation or prediction are kept and reused when
/// the weights, rows, collator, batch size and threads are the same; the metrics still run.
@Suite struct PredictionCacheTests {
    @Test func anEvaluationOfTheSameWeightsAndRowsReusesTheLogits() throws {
        // The thread count is part of the key: pinned against suites that change the global one.
        try Threads.$kernelOverride.withValue(2) { try reuse() }
    }

    private func reuse() throws {
        let (setup, store, cleanup) = TrainingReplayTests.fixture()
        defer { cleanup() }
        let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
        let eval = try TrainerTests.dataset(12, tokens: true, seed: 99)
        func trainer() throws -> Trainer<BertForTokenClassification> {
            let t = try Trainer(model: model, args: setup.args, evalDataset: eval,
                                dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()),
                                computeMetrics: TrainerTests.accuracy)
            t.replayStore = store
            return t
        }
        let first = try trainer(), second = try trainer()
        let a = try first.evaluate(), b = try second.evaluate()
        #expect(first.datasetForwardPasses == 1 && second.datasetForwardPasses == 0, "the second evaluation ran the model")
        #expect(a["eval_loss"] == b["eval_loss"] && a["eval_accuracy"] == b["eval_accuracy"])
        let p1 = try first.predict(eval), p2 = try second.predict(eval)
        #expect(p1.predictions.scalars == p2.predictions.scalars && p1.labelIds == p2.labelIds)
        // Other weights are another key.
        model.classifier.weight.value.data[0] += 0.5
        _ = try second.evaluate()
        #expect(second.datasetForwardPasses == 1)
        // Without a store nothing is kept.
        let plain = try trainer()
        plain.replayStore = nil
        _ = try plain.evaluate(); _ = try plain.evaluate()
        #expect(plain.datasetForwardPasses == 2)
    }
}
