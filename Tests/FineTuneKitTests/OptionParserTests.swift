import Foundation
import Testing
import TestSupport
import Training
@testable import FineTuneKit

/// The command line as HfArgumentParser reads it: both spellings, `=`, booleans alone or with a
/// value, `--no_`, the JSON file, unknown options with the closest real one, and the defaults.
@Suite struct OptionParserTests {
    let base = ["--model_name_or_path", "m", "--do_train"]

    @Test func snakeAndKebabSpellingsAreTheSameOption() throws {
        let snake = try OptionParser.parse(base + ["--per_device_train_batch_size", "32", "--learning_rate", "2e-5"],
                                           task: .textClassification)
        let kebab = try OptionParser.parse(["--model-name-or-path", "m", "--do-train", "--per-device-train-batch-size=32",
                                            "--learning-rate", "2e-5"], task: .textClassification)
        #expect(snake == kebab)
        #expect(snake["per_device_train_batch_size"] == "32")
        let options = try FineTuneOptions(snake)
        #expect(options.training.perDeviceTrainBatchSize == 32 && options.training.learningRate == 2e-5)
    }

    @Test func booleansAloneOrWithAValue() throws {
        func parse(_ args: [String]) throws -> ParsedOptions { try OptionParser.parse(args, task: .textClassification) }
        #expect(try parse(["--do_eval"])["do_eval"] == "true")
        #expect(try parse(["--do_eval", "false"])["do_eval"] == "false")
        #expect(try parse(["--do_eval", "True", "--do_train", "no"])["do_train"] == "false")
        #expect(try parse(["--do_eval=0"])["do_eval"] == "false")
        // A boolean does not swallow the next option.
        let p = try parse(["--do_eval", "--seed", "7"])
        #expect(p["do_eval"] == "true" && p["seed"] == "7")
        // A boolean defaulting to true has HfArgumentParser's --no_ complement.
        #expect(try parse(["--no_pad_to_max_length"])["pad_to_max_length"] == "false")
        #expect(try parse(["--pad_to_max_length", "false"])["pad_to_max_length"] == "false")
        #expect(throws: FineTuneError.self) { try parse(["--do_eval=maybe"]) }
    }

    @Test func theLastRepeatedOptionWinsAndNegativeNumbersAreValues() throws {
        let p = try OptionParser.parse(base + ["--seed", "1", "--seed", "2", "--max_steps", "-1"], task: .textClassification)
        #expect(p["seed"] == "2" && p["max_steps"] == "-1")
    }

    @Test func unknownOptionsNameTheClosestRealOne() {
        func message(_ args: [String], _ task: FineTuneTask = .textClassification) -> String {
            do { _ = try OptionParser.parse(args, task: task); return "" } catch { return "\(error)" }
        }
        #expect(message(["--do_trian"]).contains("did you mean --do_train?"))
        #expect(message(["--lerning-rate", "1"]).contains("did you mean --learning_rate?"))
        #expect(message(["--per_device_batch_size", "8"]).contains("--per_device_eval_batch_size")
            || message(["--per_device_batch_size", "8"]).contains("--per_device_train_batch_size"))
        // An option of the other subcommand says so.
        #expect(message(["--label_all_tokens"]).contains("finetune token-classification"))
        #expect(message(["--eval_strategy", "epochs"]).contains("did you mean 'epoch'?"))
        #expect(message(["stray"]).contains("unexpected argument 'stray'"))
        #expect(message(["--seed"]).contains("--seed needs a value"))
        #expect(message(["--seed", "x"]).contains("whole number"))
    }

    @Test func aSingleJSONFileHoldsEveryOption() throws {
        let dir = try TestPaths.temporaryDirectory("finetune-json")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("args.json")
        try Data("""
            {"model_name_or_path": "m", "do_train": true, "do_eval": false, "num_train_epochs": 8,
             "per_device_train_batch_size": 32, "max_seq_length": 256, "pad_to_max_length": false,
             "output_dir": "out", "report_to": ["tensorboard"], "metric_for_best_model": null}
            """.utf8).write(to: url)
        let fromJSON = try OptionParser.parse([url.path], task: .textClassification)
        let fromLine = try OptionParser.parse(["--model_name_or_path", "m", "--do_train", "--do_eval", "false",
                                               "--num_train_epochs", "8", "--per_device_train_batch_size", "32",
                                               "--max_seq_length", "256", "--pad_to_max_length", "false",
                                               "--output_dir", "out", "--report_to", "tensorboard"], task: .textClassification)
        #expect(fromJSON.values == fromLine.values)
        let options = try FineTuneOptions(fromJSON)
        #expect(options.training.numTrainEpochs == 8 && options.training.reportTo == [.tensorboard])
        #expect(options.maxSeqLength == 256 && !options.padToMaxLength)

        try Data(#"{"model_name_or_path": "m", "num_train_epoch": 3}"#.utf8).write(to: url)
        #expect { try OptionParser.parse([url.path], task: .textClassification) } throws: {
            "\($0)".contains("did you mean --num_train_epochs?") && "\($0)".contains("args.json")
        }
    }

    /// Defaults as run_glue / run_ner and transformers' TrainingArguments have them.
    @Test func defaultsArePythons() throws {
        let text = try FineTuneOptions(try OptionParser.parse(base, task: .textClassification))
        #expect(text.maxSeqLength == 128 && text.padToMaxLength)
        let t = text.training
        #expect(t.outputDir == "trainer_output" && t.learningRate == 5e-5 && t.weightDecay == 0)
        #expect(t.numTrainEpochs == 3 && t.maxSteps == -1 && t.warmupSteps == 0 && t.warmupRatio == 0)
        #expect(t.perDeviceTrainBatchSize == 8 && t.perDeviceEvalBatchSize == 8 && t.gradientAccumulationSteps == 1)
        #expect(t.maxGradNorm == 1 && t.seed == 42 && t.evalStrategy == .no && t.saveStrategy == .steps)
        #expect(t.saveSteps == 500 && t.loggingSteps == 500 && t.saveTotalLimit == nil && !t.loadBestModelAtEnd)
        #expect(t.lrSchedulerType == .linear && t.reportTo.isEmpty && !t.bf16 && !t.pushToHub)
        #expect(t.hubStrategy == .everySave && t.hubModelId == nil)
        let token = try FineTuneOptions(try OptionParser.parse(base, task: .tokenClassification))
        #expect(token.maxSeqLength == nil && !token.padToMaxLength && token.taskName == "ner")
        #expect(!token.labelAllTokens && !token.returnEntityLevelMetrics)
    }

    /// The option table's defaults, as text, against transformers' TrainingArguments
    /// (Fixtures/training_arguments_defaults.json, from Scripts/fixtures/finetune_defaults_fixtures.py).
    @Test func trainingDefaultsMatchTheFixture() throws {
        let url = TestPaths.fixtures().appendingPathComponent("training_arguments_defaults.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let defaults = try #require(object["defaults"] as? [String: Any])
        for (name, value) in defaults {
            for task in FineTuneTask.allCases {
                let spec = try #require(OptionTable.spec(name, for: task), "\(name) is not an option of \(task)")
                #expect(spec.defaultValue == value as? String, "\(name): \(spec.defaultValue ?? "None") vs Python's \(value)")
            }
        }
    }

    @Test func hubOptionsMapOntoTrainingArguments() throws {
        let o = try FineTuneOptions(try OptionParser.parse(base + ["--push_to_hub", "--hub_model_id", "me/x",
                                                                   "--hub_strategy", "end", "--hub_token", "hf_abc",
                                                                   "--hub_private_repo"], task: .textClassification))
        #expect(o.training.pushToHub && o.training.hubModelId == "me/x" && o.training.hubStrategy == .end)
        #expect(o.training.hubToken?.value == "hf_abc" && o.training.hubPrivateRepo == true)
    }

    @Test func missingModelOrNothingToDoIsAnError() {
        #expect(throws: FineTuneError.self) { try FineTuneOptions(try OptionParser.parse(["--do_train"], task: .textClassification)) }
        #expect(throws: FineTuneError.self) {
            try FineTuneOptions(try OptionParser.parse(["--model_name_or_path", "m"], task: .textClassification))
        }
    }

    @Test func unambiguousPrefixesAreAcceptedAsArgparseDoes() throws {
        let p = try OptionParser.parse(["--model_name", "m", "--num_train", "2", "--do_tr"], task: .textClassification)
        #expect(p["model_name_or_path"] == "m" && p["num_train_epochs"] == "2" && p["do_train"] == "true")
        #expect { try OptionParser.parse(["--do", "true"], task: .textClassification) } throws: {
            "\($0)".contains("ambiguous option --do") && "\($0)".contains("--do_eval, --do_predict, --do_train")
        }
    }

    @Test func editDistanceCounts() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(closest(to: "do_trian", in: ["do_eval", "do_train", "do_predict"]) == "do_train")
    }

    @Test func helpListsEveryOptionWithItsDefault() {
        let help = HelpText.options(for: .textClassification)
        for spec in OptionTable.options(for: .textClassification) { #expect(help.contains("--\(spec.name)")) }
        #expect(help.contains("(default: 128)") && help.contains("pad_to_max_length"))
        let r = TinyWorkspace.run(["text-clasification"])
        #expect(r.status == 2 && r.err.joined().contains("did you mean 'text-classification'?"))
    }
}
