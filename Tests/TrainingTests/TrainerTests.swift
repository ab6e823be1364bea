import Datasets
import Foundation
import Metrics
import Models
import Tensor
import Tokenizers
@testable import Training
import Testing

/// The Trainer on a tiny random BERT (2 layers, hidden 32) and synthetic data built here:
/// learning, determinism, exact resume, checkpoints, best model, predict, model card, errors.
@Suite struct TrainerTests {
    static let config = BertConfig(vocabSize: 64, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4,
                                   intermediateSize: 64, maxPositionEmbeddings: 16, numLabels: 3)

    /// A vocabulary of 64 tokens with [PAD] = 0, [CLS] = 2, [SEP] = 3.
    static func tokenizer() throws -> Tokenizer {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-vocab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + (5..<64).map { "w\($0)" }
        let url = dir.appendingPathComponent("vocab.txt")
        try (vocab.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return try Tokenizer(vocabFile: url)
    }

    /// `n` rows of 3–10 content tokens between [CLS] and [SEP]. Token task: each content token's
    /// label is its id mod 3 (-100 on [CLS]/[SEP]); sequence task: label = first token's id mod 3.
    static func dataset(_ n: Int, tokens: Bool, seed: UInt64 = 7) throws -> Dataset {
        var s = seed
        func next(_ bound: Int) -> Int { s = CounterRandom.mix(s &+ 0x9E37_79B9_7F4A_7C15); return Int(s % UInt64(bound)) }
        let rows: [Row] = (0..<n).map { _ in
            let content = (0..<(3 + next(8))).map { _ in 5 + next(59) }
            let ids = [2] + content + [3]
            let label: Value = tokens ? ([-100] + content.map { $0 % 3 } + [-100]).value : .int(content[0] % 3)
            return Row([("input_ids", ids.value), ("attention_mask", Array(repeating: 1, count: ids.count).value),
                        (tokens ? "labels" : "label", label)])
        }
        return try Dataset(rows: rows)
    }

    static func tempDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString)").path
    }

    /// Accuracy over tokens whose label is not -100.
    static func accuracy(_ p: EvalPrediction) throws -> MetricResult {
        let preds = p.argmaxPredictions.values, labels = p.labelIds?.values ?? []
        let kept = zip(preds, labels).filter { $0.1 != -100 }
        var metric = Accuracy()
        return try metric.compute(predictions: kept.map(\.0), references: kept.map(\.1))
    }

    struct Run {
        let trainer: Trainer<BertForTokenClassification>
        var lines: [String]
        let output: TrainOutput
    }

    /// Trains a fresh tiny token classifier (model seed 1) with `args`.
    static func run(_ args: TrainingArguments, dropout: Float = 0, resume: String? = nil,
                    stopAt: Int? = nil) throws -> Run {
        var config = Self.config
        config.hiddenDropoutProb = dropout
        config.attentionProbsDropoutProb = dropout
        let model = BertForTokenClassification(config: config, seed: 1)
        let trainer = try Trainer(model: model, args: args, trainDataset: try dataset(32, tokens: true),
                                  evalDataset: try dataset(12, tokens: true, seed: 99),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try tokenizer()),
                                  computeMetrics: accuracy)
        nonisolated(unsafe) var lines: [String] = []
        trainer.printLine = { lines.append($0) }
        if let stopAt { trainer.shouldStop = { $0.globalStep >= stopAt } }
        let output = try trainer.train(resumeFromCheckpoint: resume)
        return Run(trainer: trainer, lines: lines, output: output)
    }

    /// Equal outputs but for the wall-clock speeds (`train_runtime`, ...), which differ run to run.
    static func same(_ a: TrainOutput, _ b: TrainOutput) -> Bool {
        a.globalStep == b.globalStep && a.trainingLoss == b.trainingLoss
            && a.metrics.filter { !TrainerState.isTiming($0.key) } == b.metrics.filter { !TrainerState.isTiming($0.key) }
    }

    static func args(_ dir: String, _ change: (inout TrainingArguments) -> Void = { _ in }) -> TrainingArguments {
        var a = TrainingArguments(dir, evalStrategy: .epoch, saveStrategy: .no, loggingSteps: 1, learningRate: 3e-3,
                                  numTrainEpochs: 3, perDeviceTrainBatchSize: 4, perDeviceEvalBatchSize: 5,
                                  disableTqdm: true)
        change(&a)
        return a
    }

    @Test func trainingReducesLoss() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(Self.args(dir) { $0.numTrainEpochs = 6 })
        let losses = r.trainer.state.logHistory.compactMap { $0["loss"] }
        let evalLosses = r.trainer.state.logHistory.compactMap { $0["eval_loss"] }
        #expect(losses.count == 48) // 32 rows / 4 = 8 steps per epoch, logged every step
        #expect(evalLosses.count == 6)
        #expect(evalLosses.last! < evalLosses.first! * 0.8, "eval losses \(evalLosses)")
        let firstEpoch: Double = losses.prefix(8).reduce(0, +), lastEpoch: Double = losses.suffix(8).reduce(0, +)
        #expect(lastEpoch < firstEpoch * 0.8)
        #expect(r.output.globalStep == 48)
        let meanLoss: Double = losses.reduce(0, +) / 48
        #expect(abs(r.output.trainingLoss - meanLoss) < 1e-9)
        #expect(r.trainer.state.logHistory.last?["train_loss"] == r.output.trainingLoss)
        // Logged learning rates (the rate each step used) decay linearly from 3e-3 towards 0.
        let lrs = r.trainer.state.logHistory.compactMap { $0["learning_rate"] }
        #expect(lrs.first == Double(Float(3e-3)))
        #expect(abs(lrs.last! - 3e-3 / 48) < 1e-9)
        #expect(zip(lrs, lrs.dropFirst()).allSatisfy { $0 >= $1 })
    }

    struct ScheduleCase: Decodable {
        struct Log: Decodable { let step: Int, epoch: Double, learning_rate: Double? }
        let name: String, rows: Int, batch: Int, accum: Int, epochs: Double, max_steps: Int
        let warmup_ratio: Double, warmup_steps: Int, global_step: Int
        let eval_steps: Int?
        let logs: [Log], evals: [Log]
    }

    /// Steps, fractional epochs, logged learning rates and evaluation points equal the Python
    /// Trainer's for the same arguments (Scripts/fixtures/trainer_schedule_fixtures.py).
    @Test func scheduleMatchesPythonTrainer() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/trainer_schedule.json")
        let cases = try JSONDecoder().decode([ScheduleCase].self, from: Data(contentsOf: url))
        #expect(cases.count == 4)
        for c in cases {
            let dir = Self.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let model = BertForTokenClassification(config: Self.config, seed: 1)
            let args = TrainingArguments(dir, evalStrategy: c.eval_steps == nil ? .epoch : .steps, evalSteps: c.eval_steps,
                                         saveStrategy: .no, loggingSteps: 1, learningRate: 3e-3,
                                         numTrainEpochs: c.epochs, maxSteps: c.max_steps, warmupRatio: c.warmup_ratio,
                                         warmupSteps: c.warmup_steps, perDeviceTrainBatchSize: c.batch,
                                         perDeviceEvalBatchSize: 5, gradientAccumulationSteps: c.accum, disableTqdm: true)
            let trainer = try Trainer(model: model, args: args, trainDataset: try Self.dataset(c.rows, tokens: true),
                                      evalDataset: try Self.dataset(7, tokens: true, seed: 3),
                                      dataCollator: DataCollatorForTokenClassification(tokenizer: try Self.tokenizer()))
            trainer.printLine = { _ in }
            let out = try trainer.train()
            #expect(out.globalStep == c.global_step, "\(c.name)")
            let logs = trainer.state.logHistory.filter { $0["loss"] != nil }
            let evals = trainer.state.logHistory.filter { $0["eval_loss"] != nil }
            #expect(logs.count == c.logs.count, "\(c.name)")
            for (mine, ref) in zip(logs, c.logs) {
                #expect(mine["step"] == Double(ref.step), "\(c.name)")
                #expect(abs(mine["epoch"]! - ref.epoch) < 1e-9, "\(c.name) step \(ref.step)")
                #expect(abs(mine["learning_rate"]! - ref.learning_rate!) < 1e-9, "\(c.name) step \(ref.step)")
            }
            #expect(evals.map { Int($0["step"]!) } == c.evals.map(\.step), "\(c.name)")
            #expect(zip(evals, c.evals).allSatisfy { abs($0["epoch"]! - $1.epoch) < 1e-9 }, "\(c.name)")
        }
    }

    @Test func stdoutLinesHaveAStableFormat() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(Self.args(dir))
        #expect(r.lines.count == 3)
        let pattern = try Regex(#"epoch [1-3]/3  train_loss \d+\.\d{4}  eval_loss \d+\.\d{4}  eval_accuracy \d\.\d{4}"#)
        for line in r.lines { #expect(line.wholeMatch(of: pattern) != nil, "\(line)") }
        #expect(r.lines[0].hasPrefix("epoch 1/3  train_loss "))
        #expect(Trainer<BertForTokenClassification>.format4(-0.00001) == "0.0000")
        #expect(Trainer<BertForTokenClassification>.line(prefix: "epoch 2/3", trainLoss: 0.23456,
                                                          metrics: [("eval_f1", 0.87654)])
                == "epoch 2/3  train_loss 0.2346  eval_f1 0.8765")
    }

    @Test func sameSeedGivesIdenticalHistory() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try Self.run(Self.args(dir), dropout: 0.1)
        let b = try Self.run(Self.args(dir), dropout: 0.1)
        let c = try Self.run(Self.args(dir) { $0.seed = 43 }, dropout: 0.1)
        #expect(a.trainer.state.reproducibleLogHistory == b.trainer.state.reproducibleLogHistory)
        #expect(a.lines == b.lines)
        #expect(a.trainer.state.reproducibleLogHistory != c.trainer.state.reproducibleLogHistory)
    }

    @Test func epochOrderIsASeededPermutation() {
        typealias T = Trainer<BertForTokenClassification>
        let e0 = T.epochBatches(count: 10, batchSize: 4, seed: 42, epoch: 0)
        #expect(e0.map(\.count) == [4, 4, 2]) // nothing dropped
        #expect(e0.flatMap { $0 }.sorted() == Array(0..<10))
        #expect(e0 == T.epochBatches(count: 10, batchSize: 4, seed: 42, epoch: 0))
        #expect(e0 != T.epochBatches(count: 10, batchSize: 4, seed: 42, epoch: 1))
        #expect(e0 != T.epochBatches(count: 10, batchSize: 4, seed: 7, epoch: 0))
    }

    /// groupByLength: every row once, batches of near-equal length (far less padding than a
    /// random order), the longest row in the first batch, and still a fresh order per epoch.
    @Test func groupByLengthBatchesSimilarLengths() {
        typealias T = Trainer<BertForTokenClassification>
        let n = 2_000, batch = 8
        let lengths = (0..<n).map { 5 + ($0 * 7919) % 60 }
        func padded(_ batches: [[Int]]) -> Int { batches.reduce(0) { $0 + $1.count * ($1.map { lengths[$0] }.max() ?? 0) } }
        let grouped = T.epochBatches(count: n, batchSize: batch, seed: 42, epoch: 0, lengths: lengths)
        let random = T.epochBatches(count: n, batchSize: batch, seed: 42, epoch: 0)
        #expect(grouped.flatMap { $0 }.sorted() == Array(0..<n))
        #expect(grouped.map(\.count).allSatisfy { $0 == batch })
        #expect(grouped[0].contains { lengths[$0] == lengths.max() })
        let real = lengths.reduce(0, +)
        #expect(Double(padded(grouped)) < 1.1 * Double(real), "grouped batches pad \(padded(grouped)) for \(real) tokens")
        #expect(Double(padded(random)) > 1.3 * Double(real))
        #expect(grouped != T.epochBatches(count: n, batchSize: batch, seed: 42, epoch: 1, lengths: lengths))
        #expect(grouped == T.epochBatches(count: n, batchSize: batch, seed: 42, epoch: 0, lengths: lengths))
    }

    /// Interrupt mid-epoch (with dropout, warmup and gradient accumulation), resume into a fresh
    /// model: every logged number and every final weight equals the uninterrupted run's.
    @Test func resumeGivesBitIdenticalResults() throws {
        let dirA = Self.tempDir(), dirB = Self.tempDir()
        defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
        func args(_ dir: String) -> TrainingArguments {
            Self.args(dir) {
                $0.saveStrategy = .steps; $0.saveSteps = 3; $0.gradientAccumulationSteps = 2
                $0.warmupRatio = 0.2; $0.weightDecay = 0.01
            }
        }
        let full = try Self.run(args(dirA), dropout: 0.1)
        #expect(full.output.globalStep == 12) // 8 batches / 2 per step = 4 steps × 3 epochs
        let interrupted = try Self.run(args(dirB), dropout: 0.1, stopAt: 6)
        #expect(interrupted.output.globalStep == 6)
        let resumed = try Self.run(args(dirB), dropout: 0.1, resume: dirB + "/checkpoint-6")
        #expect(Self.same(resumed.output, full.output))
        #expect(resumed.trainer.state.reproducibleLogHistory == full.trainer.state.reproducibleLogHistory)
        #expect(interrupted.lines + resumed.lines == full.lines)
        for (p, q) in zip(resumed.trainer.model.parameters, full.trainer.model.parameters) {
            #expect(p.value.maxAbsDiff(q.value) == 0, "\(p.name)")
        }
        #expect(getLastCheckpoint(dirB) == dirB + "/checkpoint-12")
    }

    /// `resumeFromCheckpoint: true` picks the newest checkpoint; without one it says what to do.
    @Test func resumeFromLastCheckpoint() throws {
        let dirA = Self.tempDir(), dirB = Self.tempDir()
        defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
        func args(_ dir: String) -> TrainingArguments { Self.args(dir) { $0.saveStrategy = .epoch; $0.numTrainEpochs = 2 } }
        let full = try Self.run(args(dirA), dropout: 0.1)
        _ = try Self.run(args(dirB), dropout: 0.1, stopAt: 8)
        let model = BertForTokenClassification(config: { var c = Self.config; c.hiddenDropoutProb = 0.1
            c.attentionProbsDropoutProb = 0.1; return c }(), seed: 1)
        let trainer = try Trainer(model: model, args: args(dirB), trainDataset: try Self.dataset(32, tokens: true),
                                  evalDataset: try Self.dataset(12, tokens: true, seed: 99),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try Self.tokenizer()),
                                  computeMetrics: Self.accuracy)
        trainer.printLine = { _ in }
        let out = try trainer.train(resumeFromCheckpoint: true)
        #expect(Self.same(out, full.output))
        #expect(trainer.state.reproducibleLogHistory == full.trainer.state.reproducibleLogHistory)
        let empty = Self.tempDir()
        let fresh = try Trainer(model: model, args: Self.args(empty) { $0.evalStrategy = .no },
                                trainDataset: try Self.dataset(4, tokens: true),
                                dataCollator: DataCollatorForTokenClassification(tokenizer: try Self.tokenizer()))
        #expect { try fresh.train(resumeFromCheckpoint: true) } throws: { "\($0)".contains("no checkpoint-<step> directory") }
    }

    @Test func checkpointContentsAndTotalLimit() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(Self.args(dir) { $0.saveStrategy = .steps; $0.saveSteps = 5; $0.saveTotalLimit = 2 })
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        // 24 steps, saves at 5, 10, 15, 20 and (as in Python) the last step: the last two stay.
        #expect(names == ["checkpoint-20", "checkpoint-24"])
        let ckpt = URL(fileURLWithPath: dir).appendingPathComponent("checkpoint-20")
        let files = try FileManager.default.contentsOfDirectory(atPath: ckpt.path).sorted()
        #expect(files == ["config.json", "model.safetensors", "optimizer.safetensors", "scheduler.json",
                          "trainer_state.json", "trainer_state_swift.json", "training_args.json"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: ckpt.appendingPathComponent("trainer_state.json")))
        let object = try #require(json as? [String: Any])
        #expect(object["global_step"] as? Int == 20)
        #expect(object["log_history"] is [[String: Any]])
        #expect(abs((object["epoch"] as? Double ?? 0) - 2.5) < 1e-12)
        let state = try TrainerState.load(ckpt.appendingPathComponent("trainer_state.json"))
        #expect(state.logHistory == Array(r.trainer.state.logHistory.prefix(state.logHistory.count)))
        let optim = try Safetensors.read(ckpt.appendingPathComponent("optimizer.safetensors"))
        #expect(optim.metadata["step"] == "20")
        #expect(optim.entries.count == 2 * r.trainer.model.parameters.count)
        // The checkpoint's model loads as a model.
        _ = try BertForTokenClassification.fromPretrained(ckpt.path)
    }

    @Test func loadBestModelAtEndPicksTheBest() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(Self.args(dir) {
            $0.evalStrategy = .steps; $0.evalSteps = 2; $0.saveStrategy = .steps; $0.saveSteps = 2
            $0.learningRate = 0.03; $0.loadBestModelAtEnd = true; $0.saveTotalLimit = 1
        })
        let evals = r.trainer.state.logHistory.filter { $0["eval_loss"] != nil }
        let best = try #require(evals.min { $0["eval_loss"]! < $1["eval_loss"]! })
        let bestStep = Int(best["step"]!)
        #expect(r.trainer.state.bestMetric == best["eval_loss"])
        #expect(r.trainer.state.bestModelCheckpoint == URL(fileURLWithPath: dir).appendingPathComponent("checkpoint-\(bestStep)").path)
        // With saveTotalLimit 1 the newest stays while training (to resume); at the end, only the best.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(names == ["checkpoint-\(bestStep)"])
        // The model now holds the best weights: evaluating again gives the best loss exactly.
        let again = try r.trainer.evaluate()
        #expect(again["eval_loss"] == best["eval_loss"])
    }

    /// Rotation keeps the newest `saveTotalLimit` checkpoints, counting the best as the second newest.
    @Test(arguments: [(2, 2, [2, 8]), (1, 6, [6, 8]), (1, 8, [8]), (3, 2, [2, 6, 8]), (3, 4, [4, 6, 8]), (2, nil, [6, 8])] as [(Int, Int?, [Int])])
    func rotationNeverDeletesTheBest(limit: Int, best: Int?, kept: [Int]) throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for step in [2, 4, 6, 8] {
            try FileManager.default.createDirectory(atPath: dir + "/checkpoint-\(step)", withIntermediateDirectories: true)
        }
        let model = BertForTokenClassification(config: Self.config, seed: 1)
        let trainer = try Trainer(model: model, args: TrainingArguments(dir, saveTotalLimit: limit),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try Self.tokenizer()))
        trainer.state.bestModelCheckpoint = best.map { dir + "/checkpoint-\($0)" }
        try trainer.rotateCheckpoints()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(Set(names) == Set(kept.map { "checkpoint-\($0)" }))
    }

    @Test func greaterIsBetterForMetricsOtherThanLoss() throws {
        let a = TrainingArguments("x", evalStrategy: .epoch, saveStrategy: .epoch, loadBestModelAtEnd: true,
                                  metricForBestModel: "accuracy")
        #expect(a.bestMetricKey == "eval_accuracy")
        #expect(a.biggerIsBetter)
        let b = TrainingArguments("x", evalStrategy: .epoch, saveStrategy: .epoch, loadBestModelAtEnd: true)
        #expect(b.bestMetricKey == "eval_loss")
        #expect(!b.biggerIsBetter)
        #expect(a.numWarmupSteps(100) == 0)
        #expect(TrainingArguments("x", warmupRatio: 0.1).numWarmupSteps(25) == 3)
        #expect(TrainingArguments("x", warmupRatio: 0.1, warmupSteps: 7).numWarmupSteps(25) == 7)
    }

    @Test func predictPadsTokenLogitsAndLabelsWithMinus100() throws {
        let model = BertForTokenClassification(config: Self.config, seed: 1)
        let data = try Self.dataset(7, tokens: true, seed: 5)
        let trainer = try Trainer(model: model, args: Self.args(Self.tempDir()) { $0.perDeviceEvalBatchSize = 3 },
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try Self.tokenizer()),
                                  computeMetrics: Self.accuracy)
        model.train() // predict must switch dropout off, then restore the mode
        let out = try trainer.predict(data)
        #expect(model.training)
        model.eval()
        let lengths = try (0..<7).map { try data[$0]["input_ids"].intList.count }
        let t = lengths.max()!
        #expect(lengths[6] < t) // the last batch (one row) is shorter: cross-batch padding is tested
        #expect(out.predictions.shape == [7, t, 3])
        let labels = try #require(out.labelIds)
        #expect(labels.shape == [7, t])
        for (i, n) in lengths.enumerated() {
            let row = labels.rows[i]
            #expect(row[0] == -100 && row[n - 1] == -100)           // [CLS], [SEP]
            #expect(row[n...].allSatisfy { $0 == -100 })             // padding
            #expect(try Array(row[1..<(n - 1)]) == data[i]["labels"].intList[1..<(n - 1)].map { $0 })
            // A row has logits on its own tokens and -100 past them (the rows run sorted by
            // length, so what a batch padded is not the row's).
            #expect(out.predictions[i, n - 1, 0] != -100)
            if n < t { #expect(out.predictions[i, n, 0] == -100 && out.predictions[i, t - 1, 2] == -100) }
        }
        // test_loss is Python's: the in-order batches' mean token losses, weighted by rows.
        var lossSum = 0.0
        for start in stride(from: 0, to: 7, by: 3) {
            let rows = try (start..<min(7, start + 3)).map { try data[$0] }
            let batch = try DataCollatorForTokenClassification(tokenizer: try Self.tokenizer())(rows)
            lossSum += Double(try #require(try model.forward(batch.input, labels: batch.labels).loss)) * Double(rows.count)
        }
        #expect(abs(try #require(out.metrics["test_loss"]) - lossSum / 7) < 1e-5)
        #expect(out.metrics.keys == ["test_loss", "test_accuracy", "test_runtime", "test_samples_per_second",
                                     "test_steps_per_second"]) // Python's keys, wall-clock speeds last
        // Logits of one row equal the model's own on that row alone (eval mode, no dropout).
        let single = try DataCollatorForTokenClassification(tokenizer: try Self.tokenizer())([data[0]])
        let direct = try model.forward(single.input, labels: nil).logits
        #expect(Self.config.hiddenDropoutProb > 0)
        for j in 0..<lengths[0] { for l in 0..<3 { #expect(abs(direct[0, j, l] - out.predictions[0, j, l]) < 1e-5) } }
    }

    /// A label id the model cannot predict is a clear error in evaluation, as in training.
    @Test func evaluateRejectsLabelsOutOfRange() throws {
        let model = BertForTokenClassification(config: Self.config, seed: 1)
        let rows = [Row([("input_ids", [2, 7, 9, 3].value), ("attention_mask", [1, 1, 1, 1].value),
                         ("labels", [-100, 1, 5, -100].value)])]
        let trainer = try Trainer(model: model, args: Self.args(Self.tempDir()),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try Self.tokenizer()))
        #expect(throws: TrainerError.self) { try trainer.evaluate(try Dataset(rows: rows)) }
        do { _ = try trainer.evaluate(try Dataset(rows: rows)) } catch {
            #expect("\(error)".contains("label id 5 is out of range for a model with 3 labels"))
        }
    }

    @Test func evaluateSequenceClassification() throws {
        var config = Self.config
        config.numLabels = 3
        let model = BertForSequenceClassification(config: config, seed: 3)
        let data = try Self.dataset(10, tokens: false)
        let trainer = try Trainer(model: model, args: Self.args(Self.tempDir()), evalDataset: data,
                                  dataCollator: DataCollatorWithPadding(tokenizer: try Self.tokenizer()),
                                  computeMetrics: Self.accuracy)
        let metrics = try trainer.evaluate()
        #expect(metrics.keys == ["eval_loss", "eval_accuracy", "eval_runtime", "eval_samples_per_second",
                                 "eval_steps_per_second"])
        let out = try trainer.predict(data)
        #expect(out.predictions.shape == [10, 3])
        #expect(out.labelIds?.shape == [10])
        #expect(try out.labelIds?.values == (0..<10).map { try data[$0]["label"].intValue })
        #expect(out.metrics["test_loss"] == metrics["eval_loss"])
        #expect(trainer.state.logHistory.count == 1)
    }

    @Test func saveModelWritesAModelCard() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(Self.args(dir) { $0.numTrainEpochs = 2 })
        try r.trainer.saveModel()
        let card = try String(contentsOfFile: dir + "/README.md", encoding: .utf8)
        let lastEval = try #require(r.trainer.state.logHistory.last { $0["eval_loss"] != nil })
        #expect(card.contains("# " + URL(fileURLWithPath: dir).lastPathComponent))
        #expect(card.contains("- Loss: " + String(format: "%.4f", lastEval["eval_loss"]!)))
        #expect(card.contains("- Accuracy: " + String(format: "%.4f", lastEval["eval_accuracy"]!)))
        #expect(card.contains("- learning_rate: 0.003"))
        #expect(card.contains("| Training Loss | Epoch | Step | Validation Loss | Accuracy |"))
        #expect(card.contains("| 2.00 | 16 | "))
        let reloaded = try BertForTokenClassification.fromPretrained(dir)
        for (p, q) in zip(reloaded.parameters, r.trainer.model.parameters) { #expect(p.value.maxAbsDiff(q.value) == 0, "\(p.name)") }
    }

    @Test func badArgumentsThrowClearErrors() throws {
        func message(_ args: TrainingArguments) -> String {
            do { try args.validate(); return "" } catch { return "\(error)" }
        }
        #expect(message(TrainingArguments("x", learningRate: -1)).contains("learningRate must be"))
        #expect(message(TrainingArguments("x", perDeviceTrainBatchSize: 0)).contains("perDeviceTrainBatchSize must be at least 1"))
        #expect(message(TrainingArguments("x", perDeviceEvalBatchSize: 0)).contains("perDeviceEvalBatchSize"))
        #expect(message(TrainingArguments("x", gradientAccumulationSteps: 0)).contains("gradientAccumulationSteps"))
        #expect(message(TrainingArguments("x", metricForBestModel: "f1")).contains("needs evaluations"))
        #expect(message(TrainingArguments("x", evalStrategy: .epoch, saveStrategy: .steps, loadBestModelAtEnd: true))
            .contains("saveStrategy equal to evalStrategy"))
        #expect(message(TrainingArguments("x", saveTotalLimit: 0)).contains("saveTotalLimit"))
        #expect(message(TrainingArguments("x", numTrainEpochs: 0)).contains("numTrainEpochs"))
        #expect(message(TrainingArguments("x", warmupRatio: 2)).contains("warmupRatio"))
        #expect(message(TrainingArguments("x")) == "")
        let collator = DataCollatorForTokenClassification(tokenizer: try Self.tokenizer())
        let model = BertForTokenClassification(config: Self.config, seed: 1)
        #expect(throws: TrainerError.self) {
            _ = try Trainer(model: model, args: TrainingArguments("x", learningRate: -1), dataCollator: collator)
        }
        let noEval = try Trainer(model: model, args: Self.args("x"), trainDataset: try Self.dataset(4, tokens: true),
                                 dataCollator: collator)
        #expect { try noEval.train() } throws: { "\($0)".contains("no evalDataset") }
        #expect { try noEval.evaluate() } throws: { "\($0)".contains("evaluate needs an evalDataset") }
        let plain = try Trainer(model: model, args: Self.args("x") { $0.evalStrategy = .no },
                                trainDataset: try Self.dataset(4, tokens: true), dataCollator: collator)
        #expect { try plain.train(resumeFromCheckpoint: "/nonexistent/checkpoint-3") } throws: {
            "\($0)".contains("resumeFromCheckpoint: /nonexistent/checkpoint-3 does not exist")
        }
    }
}
