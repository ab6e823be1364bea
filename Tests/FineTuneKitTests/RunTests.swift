import Foundation
import Testing
@testable import FineTuneKit

/// Whole runs on the tiny checkpoint and tiny files: the output folder file for file as
/// run_glue / run_ner leave it, its JSON keys, the metric blocks on stdout, and resuming.
@Suite(.serialized) struct RunTests {
    func textRun(_ ws: TinyWorkspace, _ extra: [String] = []) throws -> (status: Int32, out: [String], err: [String]) {
        let train = try ws.sentimentCSV("train.csv", rows: 16)
        let validation = try ws.sentimentCSV("validation.csv", rows: 6, offset: 1)
        let test = try ws.sentimentCSV("test.csv", rows: 5, offset: 2)
        return TinyWorkspace.run(["text-classification", "--model_name_or_path", ws.model, "--train_file", train,
                                  "--validation_file", validation, "--test_file", test, "--do_train", "--do_eval",
                                  "--do_predict", "--output_dir", ws.path("out"), "--per_device_train_batch_size", "4",
                                  "--num_train_epochs", "2", "--save_steps", "4", "--logging_steps", "2",
                                  "--learning_rate", "1e-3", "--max_seq_length", "16"] + extra)
    }

    func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func textClassificationLeavesRunGluesFolder() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let r = try textRun(ws)
        #expect(r.status == 0, "\(r.err.suffix(3))")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: ws.path("out")))
        let expected: Set<String> = ["README.md", "all_results.json", "config.json", "eval_results.json", "model.safetensors",
                                     "predict_results_None.txt", "train_results.json", "trainer_state.json",
                                     "training_args.json", "vocab.txt", "checkpoint-4", "checkpoint-8"]
        #expect(expected.isSubset(of: files), "missing \(expected.subtracting(files))")
        let train = try json(ws.path("out/train_results.json"))
        #expect(Set(train.keys) == ["epoch", "total_flos", "train_loss", "train_runtime", "train_samples",
                                    "train_samples_per_second", "train_steps_per_second"])
        #expect(train["train_samples"] as? Int == 16)
        let eval = try json(ws.path("out/eval_results.json"))
        #expect(Set(eval.keys) == ["epoch", "eval_accuracy", "eval_loss", "eval_runtime", "eval_samples",
                                   "eval_samples_per_second", "eval_steps_per_second"])
        let all = try json(ws.path("out/all_results.json"))
        #expect(Set(all.keys) == Set(train.keys).union(eval.keys))
        let config = try json(ws.path("out/config.json"))
        #expect((config["id2label"] as? [String: String]) == ["0": "negative", "1": "positive"])
        let predictions = try String(contentsOfFile: ws.path("out/predict_results_None.txt"), encoding: .utf8)
        let lines = predictions.split(separator: "\n")
        #expect(lines.first == "index\tprediction" && lines.count == 6)
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix("\tpositive") || $0.hasSuffix("\tnegative") })
        // Python's metric blocks, keys sorted and aligned, on stdout.
        let start = try #require(r.out.firstIndex(of: "***** train metrics *****"))
        #expect(r.out[start + 1].hasPrefix("  epoch                    = "))
        #expect(r.out.contains("***** eval metrics *****"))
    }

    /// Decimal labels: run_glue's regression (one output, MSE, `eval_mse`, predictions with three decimals).
    /// `--config_name`: another config.json for the same weights (here without dropout) is the
    /// model's config; one whose sizes do not fit the weights is an error naming them.
    @Test func configNameReplacesTheModelsConfig() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let other = ws.path("no-dropout")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        var config = try json(ws.model + "/config.json")
        config["hidden_dropout_prob"] = 0.0
        config["attention_probs_dropout_prob"] = 0.0
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: other + "/config.json"))
        let r = try textRun(ws, ["--config_name", other])
        #expect(r.status == 0, "\(r.err.suffix(3))")
        let saved = try json(ws.path("out/config.json"))
        #expect(saved["hidden_dropout_prob"] as? Double == 0 && saved["attention_probs_dropout_prob"] as? Double == 0)
        #expect((saved["id2label"] as? [String: String]) == ["0": "negative", "1": "positive"])

        config["hidden_size"] = 64
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: other + "/config.json"))
        try? FileManager.default.removeItem(atPath: ws.path("out"))
        let bad = try textRun(ws, ["--config_name", other])
        #expect(bad.status != 0)
        #expect(bad.err.joined(separator: "\n").contains("does not fit the weights") && bad.err.joined().contains("hidden_size 64 (the checkpoint has 32)"),
                "\(bad.err)")
    }

    @Test func decimalLabelsTrainARegressionModel() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let rows = (0..<12).map { i in "text \(i % 4) words,\(Double(i % 4) * 0.75)" }
        let train = try ws.write("train.csv", (["sentence,label"] + rows).joined(separator: "\n") + "\n")
        let test = try ws.write("test.csv", "sentence,label\ntext 1 words,0.0\ntext 3 words,0.0\n")
        let r = TinyWorkspace.run(["text-classification", "--model_name_or_path", ws.model, "--train_file", train,
                                   "--validation_file", train, "--test_file", test, "--do_train", "--do_eval", "--do_predict",
                                   "--output_dir", ws.path("out"), "--per_device_train_batch_size", "4",
                                   "--num_train_epochs", "1", "--max_seq_length", "16", "--save_strategy", "no"])
        #expect(r.status == 0, "\(r.err.suffix(3))")
        let eval = try json(ws.path("out/eval_results.json"))
        #expect(eval["eval_mse"] is Double && eval["eval_accuracy"] == nil)
        let config = try json(ws.path("out/config.json"))
        #expect(config["problem_type"] as? String == "regression")
        #expect((config["id2label"] as? [String: String])?.count == 1)
        let lines = try String(contentsOfFile: ws.path("out/predict_results_None.txt"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        // "%3.3f": a number with three decimals, as run_glue writes a regression output.
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: "\t").last?.split(separator: ".").last?.count == 3 })
    }

    @Test func anExistingOutputFolderResumesFromItsLastCheckpoint() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        // A first run stopped after its first checkpoint (max_steps 4), then the same command with more steps.
        var r = try textRun(ws, ["--max_steps", "4"])
        #expect(r.status == 0, "\(r.err.suffix(3))")
        r = try textRun(ws, ["--max_steps", "8"])
        #expect(r.status == 0, "\(r.err.suffix(3))")
        #expect(r.err.contains { $0.contains("Checkpoint detected, resuming training at") && $0.contains("checkpoint-4") })
        let state = try json(ws.path("out/trainer_state.json"))
        #expect(state["global_step"] as? Int == 8)
        // With --overwrite_output_dir it trains from scratch, saying nothing of checkpoints.
        r = try textRun(ws, ["--max_steps", "4", "--overwrite_output_dir"])
        #expect(r.status == 0 && !r.err.contains { $0.contains("Checkpoint detected") })
    }

    @Test func tokenClassificationLeavesRunNersFolder() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let train = try ws.nerJSONL("train.jsonl", rows: 12), validation = try ws.nerJSONL("validation.jsonl", rows: 3)
        let r = TinyWorkspace.run(["token-classification", "--model_name_or_path", ws.model, "--train_file", train,
                                   "--validation_file", validation, "--test_file", validation, "--do_train", "--do_eval",
                                   "--do_predict", "--output_dir", ws.path("out"), "--per_device_train_batch_size", "4",
                                   "--num_train_epochs", "1", "--save_strategy", "no", "--return_entity_level_metrics",
                                   "--report_to", "tensorboard"])
        #expect(r.status == 0, "\(r.err.suffix(3))")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: ws.path("out")))
        let expected: Set<String> = ["README.md", "all_results.json", "config.json", "eval_results.json", "model.safetensors",
                                     "predict_results.json", "predictions.txt", "train_results.json", "trainer_state.json",
                                     "training_args.json", "runs"]
        #expect(expected.isSubset(of: files), "missing \(expected.subtracting(files))")
        let eval = try json(ws.path("out/eval_results.json"))
        for key in ["eval_overall_f1", "eval_overall_accuracy", "eval_PER_f1", "eval_LOC_precision", "eval_ORG_number"] {
            #expect(eval[key] != nil, "\(key) in \(eval.keys.sorted())")
        }
        let config = try json(ws.path("out/config.json"))
        #expect(config["finetuning_task"] as? String == "ner")
        // run_ner's predict metrics: predict() logs nothing, so no epoch.
        let predict = try json(ws.path("out/predict_results.json"))
        #expect(predict["epoch"] == nil && predict["predict_overall_f1"] != nil && predict["predict_runtime"] != nil)
        let predictions = try String(contentsOfFile: ws.path("out/predictions.txt"), encoding: .utf8).split(separator: "\n")
        #expect(predictions.map { $0.split(separator: " ").count } == [4, 6, 5])
        #expect(r.out.contains("***** predict metrics *****"))
    }

    @Test func overallMetricsAreRunNersFour() {
        let nested = MetricResultBuilder.seqevalLike()
        #expect(TokenClassificationRun.seqevalMetrics(nested, entityLevel: false).keys == ["precision", "recall", "f1", "accuracy"])
        #expect(TokenClassificationRun.seqevalMetrics(nested, entityLevel: true).keys
            == ["PER_precision", "PER_f1", "overall_precision", "overall_recall", "overall_f1", "overall_accuracy"])
    }
}
