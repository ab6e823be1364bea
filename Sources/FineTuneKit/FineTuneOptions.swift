import Foundation
import Hub
import Models
import Training

/// The parsed options, typed: the model and data arguments of run_glue / run_ner, and the
/// `TrainingArguments` the Trainer gets.
public struct FineTuneOptions: Sendable {
    /// The subcommand.
    public let task: FineTuneTask
    /// The raw values (for training_args.json's extra keys and tests).
    public let parsed: ParsedOptions
    /// `--model_name_or_path`.
    public let modelNameOrPath: String
    /// `--config_name`, else the model.
    public let configName: String
    /// `--tokenizer_name`, else the model.
    public let tokenizerName: String
    /// `--task_name` (a GLUE task for text classification; "ner" by default for tokens).
    public let taskName: String?
    /// `--dataset_name` / `--dataset_config_name`.
    public let datasetName: String?, datasetConfigName: String?
    /// `--train_file`, `--validation_file`, `--test_file`.
    public let trainFile: String?, validationFile: String?, testFile: String?
    /// `--text_column_name` / `--label_column_name` (token classification).
    public let textColumnName: String?, labelColumnName: String?
    /// `--max_seq_length` (nil: the model's maximum).
    public let maxSeqLength: Int?
    /// `--pad_to_max_length`.
    public let padToMaxLength: Bool
    /// `--label_all_tokens`, `--return_entity_level_metrics`.
    public let labelAllTokens: Bool, returnEntityLevelMetrics: Bool
    /// `--max_train_samples`, `--max_eval_samples`, `--max_predict_samples`.
    public let maxTrainSamples: Int?, maxEvalSamples: Int?, maxPredictSamples: Int?
    /// `--do_train`, `--do_eval`, `--do_predict`.
    public let doTrain: Bool, doEval: Bool, doPredict: Bool
    /// `--overwrite_output_dir`.
    public let overwriteOutputDir: Bool
    /// `--resume_from_checkpoint`.
    public let resumeFromCheckpoint: String?
    /// Everything the Trainer reads.
    public let training: TrainingArguments

    /// Types `parsed`; throws a `FineTuneError` for a missing model or a contradiction.
    public init(_ parsed: ParsedOptions) throws {
        task = parsed.task
        self.parsed = parsed
        func int(_ name: String) -> Int? { parsed[name].flatMap { Int($0) } }
        func float(_ name: String) -> Double? { parsed[name].flatMap { Double($0) } }
        func bool(_ name: String) -> Bool { parsed[name] == "true" }
        guard let model = parsed["model_name_or_path"], !model.isEmpty else {
            throw FineTuneError("--model_name_or_path is required: a model directory or Hub name, "
                + "e.g. --model_name_or_path sentence-transformers/all-MiniLM-L6-v2")
        }
        modelNameOrPath = model
        configName = parsed["config_name"] ?? model
        tokenizerName = parsed["tokenizer_name"] ?? model
        taskName = parsed["task_name"]?.lowercased()
        datasetName = parsed["dataset_name"]
        datasetConfigName = parsed["dataset_config_name"]
        trainFile = parsed["train_file"]
        validationFile = parsed["validation_file"]
        testFile = parsed["test_file"]
        textColumnName = parsed["text_column_name"]
        labelColumnName = parsed["label_column_name"]
        maxSeqLength = int("max_seq_length")
        padToMaxLength = bool("pad_to_max_length")
        labelAllTokens = bool("label_all_tokens")
        returnEntityLevelMetrics = bool("return_entity_level_metrics")
        maxTrainSamples = int("max_train_samples")
        maxEvalSamples = int("max_eval_samples")
        maxPredictSamples = int("max_predict_samples")
        doTrain = bool("do_train")
        doEval = bool("do_eval")
        doPredict = bool("do_predict")
        overwriteOutputDir = bool("overwrite_output_dir")
        resumeFromCheckpoint = parsed["resume_from_checkpoint"]
        for name in ["max_train_samples", "max_eval_samples", "max_predict_samples", "max_seq_length"] {
            if let n = int(name), n <= 0 { throw FineTuneError("--\(name) must be at least 1, got \(n)") }
        }
        if !(doTrain || doEval || doPredict) {
            throw FineTuneError("nothing to do: add --do_train, --do_eval and/or --do_predict")
        }

        let outputDir = parsed["output_dir"] ?? "trainer_output"
        var args = TrainingArguments(outputDir)
        args.learningRate = Float(float("learning_rate") ?? 5e-5)
        args.weightDecay = Float(float("weight_decay") ?? 0)
        args.numTrainEpochs = float("num_train_epochs") ?? 3
        args.maxSteps = int("max_steps") ?? -1
        args.warmupSteps = int("warmup_steps") ?? 0
        args.warmupRatio = float("warmup_ratio") ?? 0
        args.lrSchedulerType = SchedulerType(rawValue: parsed["lr_scheduler_type"] ?? "linear") ?? .linear
        args.gradientAccumulationSteps = int("gradient_accumulation_steps") ?? 1
        args.maxGradNorm = Float(float("max_grad_norm") ?? 1)
        args.perDeviceTrainBatchSize = int("per_device_train_batch_size") ?? 8
        args.perDeviceEvalBatchSize = int("per_device_eval_batch_size") ?? 8
        guard let seed = int("seed"), seed >= 0 else {
            throw FineTuneError("--seed must be a whole number ≥ 0, got \(parsed["seed"] ?? "None")")
        }
        args.seed = UInt64(seed)
        args.evalStrategy = IntervalStrategy(rawValue: parsed["eval_strategy"] ?? "no") ?? .no
        args.evalSteps = int("eval_steps")
        args.saveStrategy = IntervalStrategy(rawValue: parsed["save_strategy"] ?? "steps") ?? .steps
        args.saveSteps = int("save_steps") ?? 500
        args.saveTotalLimit = int("save_total_limit")
        args.loggingSteps = int("logging_steps") ?? 500
        args.loadBestModelAtEnd = bool("load_best_model_at_end")
        args.metricForBestModel = parsed["metric_for_best_model"]
        let reports = (parsed["report_to"] ?? "none").split(separator: ",")
        args.reportTo = reports.contains("tensorboard") || reports.contains("all") ? [.tensorboard] : []
        args.bf16 = bool("bf16")
        args.evalQuantization = Quantization(rawValue: parsed["quantize"] ?? "none") ?? .none
        args.pushToHub = bool("push_to_hub")
        args.hubModelId = parsed["hub_model_id"]
        args.hubStrategy = HubStrategy(rawValue: parsed["hub_strategy"] ?? "every_save") ?? .everySave
        args.hubToken = parsed["hub_token"].map { HubTokenArgument($0) }
        args.hubPrivateRepo = parsed["hub_private_repo"].map { $0 == "true" }
        do { try args.validate() } catch let error as TrainerError {
            throw FineTuneError("the training options do not fit together: \(error.description)")
        }
        training = args
    }
}

extension FineTuneOptions {
    /// `--config_name` when it names another config than the model's (run_glue's `config=`):
    /// read with `AutoConfig`, then given to the model in place of its own config.json.
    func replacementConfig(hub: Hub) throws -> BertConfig? {
        guard configName != modelNameOrPath else { return nil }
        return try AutoConfig.fromPretrained(configName, hub: hub)
    }
}
