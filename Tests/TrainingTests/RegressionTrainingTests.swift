import Datasets
import Foundation
import Metrics
import Models
import Tensor
import Tokenizers
@testable import Training
import Testing

/// Regression through the Trainer (STS-B's shape): float labels collate into `floatLabels`, a
/// one-output head learns them with mean-squared error, evaluation reports the MSE and hands
/// computeMetrics float predictions and labels, and mismatched labels are errors before training.
@Suite struct RegressionTrainingTests {
    /// The Trainer tests' rows, labelled with a 0–5 score: 5 · (first token id − 5) / 58.
    static func dataset(_ n: Int, seed: UInt64 = 7) throws -> Dataset {
        let rows = try TrainerTests.dataset(n, tokens: false, seed: seed)
        return try Dataset(rows: (0..<n).map { i in
            let row = try rows[i]
            guard case .list(let ids) = try row["input_ids"], case .int(let first) = ids[1] else {
                throw TrainerError("unexpected test row \(row)")
            }
            return Row([("input_ids", try row["input_ids"]), ("attention_mask", try row["attention_mask"]),
                        ("label", .float(5 * Double(first - 5) / 58))])
        })
    }

    static func regressor() -> BertForSequenceClassification {
        var config = TrainerTests.config
        config.numLabels = 1 // no problem_type: the first loss infers regression
        config.hiddenDropoutProb = 0
        config.attentionProbsDropoutProb = 0
        return BertForSequenceClassification(config: config, seed: 1)
    }

    @Test func collatorMakesFloatLabels() throws {
        let collator = DataCollatorWithPadding(tokenizer: try TrainerTests.tokenizer())
        let data = try Self.dataset(3)
        let batch = try collator([try data[0], try data[1], try data[2]])
        #expect(batch.labels == nil && batch.labelsShape == [3])
        let expected = try (0..<3).map { i -> Float in
            guard case .float(let x) = try data[i]["label"] else { return .nan }
            return Float(x)
        }
        #expect(batch.floatLabels == expected)
        #expect(throws: CollatorError.self) { try batch["labels"] }
        // An int label among float ones is a value too.
        var rows = [try data[0], try data[1]]
        rows[1] = Row([("input_ids", try rows[1]["input_ids"]), ("attention_mask", try rows[1]["attention_mask"]),
                       ("label", .int(2))])
        #expect(try collator(rows).floatLabels?[1] == 2)
    }

    @Test func trainerReducesTheMeanSquaredError() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = TrainerTests.args(dir) { $0.numTrainEpochs = 8; $0.evalStrategy = .no }
        let trainer = try Trainer(model: Self.regressor(), args: args, trainDataset: try Self.dataset(32),
                                  evalDataset: try Self.dataset(16, seed: 99),
                                  dataCollator: DataCollatorWithPadding(tokenizer: try TrainerTests.tokenizer()))
        trainer.printLine = { _ in }
        var received: EvalPrediction?
        trainer.computeMetrics = { p in
            received = p
            var stsb = try loadMetric("glue", "stsb")
            return try stsb.compute(predictions: p.predictionValues, references: p.labelValues ?? [])
        }
        let before = try trainer.evaluate()
        _ = try trainer.train()
        let after = try trainer.evaluate()
        let mseBefore = try #require(before["eval_loss"]), mseAfter = try #require(after["eval_loss"])
        print("regression Trainer: eval MSE \(mseBefore) → \(mseAfter), pearson \(after["eval_pearson"] ?? .nan)")
        #expect(mseAfter < mseBefore * 0.5)
        #expect(after.keys.filter { !TrainerState.isTiming($0) } == ["eval_loss", "eval_pearson", "eval_spearmanr"])
        #expect(trainer.model.config.problemType == "regression")
        // computeMetrics saw float labels and one output per row; eval_loss is their MSE.
        let p = try #require(received)
        #expect(p.labelIds == nil && p.predictions.shape == [16, 1])
        let labels = try #require(p.labelValues)
        let mse = zip(p.predictionValues, labels).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 16
        #expect(abs(mse - mseAfter) < 1e-5)
        let prediction = try trainer.predict(try Self.dataset(16, seed: 99))
        #expect(prediction.floatLabelIds?.map(Double.init) == labels)
        // run_glue's compute_metrics: the task's scores and their mean, or the MSE without a task.
        let glue = try p.glueMetrics(task: "stsb")
        #expect(glue.keys == ["pearson", "spearmanr", "combined_score"])
        #expect(abs(try #require(glue["combined_score"]) - (after["eval_pearson"]! + after["eval_spearmanr"]!) / 2) < 1e-12)
        #expect(abs(try #require(try p.glueMetrics(task: nil)["mse"]) - mse) < 1e-5)
    }

    @Test func glueMetricsForClassIdsAsRunGlue() throws {
        let logits = Tensor(shape: [4, 2])
        for (i, v) in [0.1, 0.9, 0.8, 0.2, 0.3, 0.7, 0.6, 0.4].enumerated() { logits.data[i] = Float(v) }
        let p = EvalPrediction(predictions: logits, labelIds: BatchTensor(shape: [4], values: [1, 0, 0, 0]))
        // Predictions argmax: [1, 0, 1, 0]: accuracy 3/4, F1 2/3 (scikit-learn), combined their mean.
        let mrpc = try p.glueMetrics(task: "mrpc")
        #expect(mrpc.description == "{'accuracy': 0.75, 'f1': 0.6666666666666666, 'combined_score': 0.7083333333333333}")
        #expect(try p.glueMetrics(task: "sst2").description == "{'accuracy': 0.75}")
        #expect(try p.glueMetrics(task: nil).description == "{'accuracy': 0.75}")
        #expect(try p.glueMetrics(task: "cola").keys == ["matthews_correlation"])
    }

    @Test func mismatchedLabelsAreErrorsBeforeTraining() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let collator = DataCollatorWithPadding(tokenizer: try TrainerTests.tokenizer())
        // Float labels on a three-class model.
        let classifier = BertForSequenceClassification(config: TrainerTests.config, seed: 1)
        let a = try Trainer(model: classifier, args: TrainerTests.args(dir), trainDataset: try Self.dataset(8),
                            dataCollator: collator)
        a.printLine = { _ in }
        do { _ = try a.train(); Issue.record("float labels on a classifier trained") } catch {
            #expect("\(error)".contains("float label") && "\(error)".contains("num_labels 1"), "\(error)")
        }
        #expect(throws: TrainerError.self) { try a.evaluate(try Self.dataset(8)) }
        // Class ids out of range for a classifier still name the row.
        let b = try Trainer(model: classifier, args: TrainerTests.args(dir),
                            trainDataset: try Dataset(rows: [Row([("input_ids", [2, 7, 3].value), ("label", .int(5))])]),
                            dataCollator: collator)
        b.printLine = { _ in }
        #expect(throws: TrainerError.self) { try b.train() }
    }
}
