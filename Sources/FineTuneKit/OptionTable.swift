// The options `finetune` accepts: one table, named and defaulted as in transformers'
// run_glue.py / run_ner.py and their TrainingArguments, so a Python command line pastes with
// only the script name changed. The parser, `--help` and the typed `FineTuneOptions` all read it.

/// What a `finetune` subcommand does: run_glue (`text-classification`) or run_ner (`token-classification`).
public enum FineTuneTask: String, CaseIterable, Sendable {
    /// run_glue.py: one label per text or text pair.
    case textClassification = "text-classification"
    /// run_ner.py: one label per word.
    case tokenClassification = "token-classification"
}

/// The type of an option's value, which decides how the parser reads it.
public enum OptionKind: Sendable, Equatable {
    /// `--name` alone means true; `--name true|false|yes|no|1|0` as HfArgumentParser's `string_to_bool`.
    case bool
    /// A whole number.
    case int
    /// A decimal number.
    case float
    /// Any text (a path, a name, a choice).
    case string
}

/// One option: its snake_case name (the kebab-case spelling is derived), type, default and help.
public struct OptionSpec: Sendable {
    /// The snake_case name, without dashes (`per_device_train_batch_size`).
    public let name: String
    /// How its value is read.
    public let kind: OptionKind
    /// The default as text (nil: none, Python's `None`).
    public let defaultValue: String?
    /// One line for `--help`.
    public let help: String
    /// The allowed values, if the option is a choice.
    public let choices: [String]?
    /// Which subcommands have it (both unless it is run_ner's own).
    public let tasks: Set<FineTuneTask>

    /// An option with these properties.
    public init(_ name: String, _ kind: OptionKind, _ defaultValue: String?, _ help: String, choices: [String]? = nil,
                tasks: Set<FineTuneTask> = Set(FineTuneTask.allCases)) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.choices = choices
        self.tasks = tasks
    }

    /// The kebab-case spelling (`per-device-train-batch-size`), which HfArgumentParser also accepts.
    public var kebabName: String { name.replacingOccurrences(of: "_", with: "-") }
}

/// The option table of each subcommand.
public enum OptionTable {
    /// Every option, in `--help` order (model, data, training).
    public static let all: [OptionSpec] = model + data + training + hub

    /// The options of one subcommand.
    public static func options(for task: FineTuneTask) -> [OptionSpec] { all.filter { $0.tasks.contains(task) } }

    /// The option named `name` (snake_case) for `task`, or nil.
    public static func spec(_ name: String, for task: FineTuneTask) -> OptionSpec? {
        all.first { $0.name == name && $0.tasks.contains(task) }
    }

    static let text: Set<FineTuneTask> = [.textClassification]
    static let token: Set<FineTuneTask> = [.tokenClassification]

    static let model: [OptionSpec] = [
        OptionSpec("model_name_or_path", .string, nil, "Model directory or Hub name (BERT or DistilBERT). Required."),
        OptionSpec("config_name", .string, nil, "config.json to use instead of the model's (its sizes must fit the weights; dropout and other settings are its own)."),
        OptionSpec("tokenizer_name", .string, nil, "Tokenizer source if not the model's."),
    ]

    static let data: [OptionSpec] = [
        OptionSpec("task_name", .string, nil, "GLUE task: " + GlueTasks.names.joined(separator: ", ") + ".",
                   choices: GlueTasks.names, tasks: text),
        OptionSpec("task_name", .string, "ner", "Name of the task (ner, pos, chunk): finds the <task>_tags column.",
                   tasks: token),
        OptionSpec("dataset_name", .string, nil, "Hub dataset served as Parquet (or a local Parquet directory)."),
        OptionSpec("dataset_config_name", .string, nil, "Configuration of --dataset_name."),
        OptionSpec("train_file", .string, nil, "Training data: .csv, .json/.jsonl or .parquet."),
        OptionSpec("validation_file", .string, nil, "Evaluation data, same extension as --train_file."),
        OptionSpec("test_file", .string, nil, "Prediction data, same extension as --train_file."),
        OptionSpec("text_column_name", .string, nil, "Column of word lists (default: tokens, else the first).",
                   tasks: token),
        OptionSpec("label_column_name", .string, nil, "Column of tag lists (default: <task>_tags, else ner_tags, else the second).",
                   tasks: token),
        OptionSpec("max_seq_length", .int, "128", "Longest input after tokenizing; longer is truncated.", tasks: text),
        OptionSpec("max_seq_length", .int, nil, "Longest input after tokenizing (default: the model's maximum).",
                   tasks: token),
        OptionSpec("pad_to_max_length", .bool, "true",
                   "Pad every row to max_seq_length (run_glue's default; on a CPU --pad_to_max_length false, "
                   + "padding each batch to its longest row, is several times faster).", tasks: text),
        OptionSpec("pad_to_max_length", .bool, "false", "Pad every row to max_seq_length instead of per batch.",
                   tasks: token),
        OptionSpec("label_all_tokens", .bool, "false",
                   "Label every sub-token of a word (B- becomes I- after the first), not only the first.", tasks: token),
        OptionSpec("return_entity_level_metrics", .bool, "false", "Report precision/recall/F1 per entity type too.",
                   tasks: token),
        OptionSpec("max_train_samples", .int, nil, "Keep only the first N training rows."),
        OptionSpec("max_eval_samples", .int, nil, "Keep only the first N evaluation rows."),
        OptionSpec("max_predict_samples", .int, nil, "Keep only the first N prediction rows."),
    ]

    static let training: [OptionSpec] = [
        OptionSpec("output_dir", .string, "trainer_output", "Folder for the model, checkpoints, metrics and predictions."),
        OptionSpec("overwrite_output_dir", .bool, "false", "Train from scratch into a non-empty --output_dir."),
        OptionSpec("do_train", .bool, "false", "Train."),
        OptionSpec("do_eval", .bool, "false", "Evaluate on the validation split."),
        OptionSpec("do_predict", .bool, "false", "Predict the test split and write the predictions file."),
        OptionSpec("per_device_train_batch_size", .int, "8", "Rows per step on each process."),
        OptionSpec("per_device_eval_batch_size", .int, "8", "Rows per evaluation batch on each process."),
        OptionSpec("learning_rate", .float, "5e-05", "AdamW's initial learning rate."),
        OptionSpec("weight_decay", .float, "0.0", "AdamW's decoupled weight decay."),
        OptionSpec("num_train_epochs", .float, "3.0", "Epochs (ignored when --max_steps > 0)."),
        OptionSpec("max_steps", .int, "-1", "Optimizer steps in all (> 0 overrides --num_train_epochs)."),
        OptionSpec("warmup_steps", .int, "0", "Linear warmup steps."),
        OptionSpec("warmup_ratio", .float, "0.0", "Warmup as a fraction of the steps (if --warmup_steps is 0)."),
        OptionSpec("lr_scheduler_type", .string, "linear", "Learning-rate schedule.",
                   choices: ["linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
                             "inverse_sqrt"]),
        OptionSpec("gradient_accumulation_steps", .int, "1", "Batches summed into one optimizer step."),
        OptionSpec("max_grad_norm", .float, "1.0", "Gradient clipping norm (0: off)."),
        OptionSpec("seed", .int, "42", "Seed of the head's initialisation, dropout and shuffling."),
        OptionSpec("eval_strategy", .string, "no", "When to evaluate while training.", choices: ["no", "steps", "epoch"]),
        OptionSpec("eval_steps", .int, nil, "Steps between evaluations (default: --logging_steps)."),
        OptionSpec("save_strategy", .string, "steps", "When to write checkpoint-N/.", choices: ["no", "steps", "epoch"]),
        OptionSpec("save_steps", .int, "500", "Steps between checkpoints."),
        OptionSpec("save_total_limit", .int, nil, "Keep at most N checkpoints (the best one is kept too)."),
        OptionSpec("logging_steps", .int, "500", "Steps between loss logs."),
        OptionSpec("load_best_model_at_end", .bool, "false", "Reload the best checkpoint when training ends."),
        OptionSpec("metric_for_best_model", .string, nil, "Metric that picks the best checkpoint (default: loss)."),
        OptionSpec("resume_from_checkpoint", .string, nil, "A checkpoint-N folder to resume training from."),
        OptionSpec("report_to", .string, "none", "Where logs go besides stdout: none or tensorboard (runs/).",
                   choices: ["none", "tensorboard", "all"]),
        OptionSpec("bf16", .bool, "false", "Mixed precision with the bf16 engine (oneDNN)."),
        OptionSpec("quantize", .string, "none", "Not a Python run_glue/run_ner option: evaluate and predict through "
                   + "dynamic int8 linear layers (oneDNN); training stays fp32/bf16.", choices: ["none", "int8-dynamic"]),
    ]

    static let hub: [OptionSpec] = [
        OptionSpec("push_to_hub", .bool, "false", "Push the model to the Hub (see --hub_strategy)."),
        OptionSpec("hub_model_id", .string, nil, "The repository (owner/name; default: --output_dir's name)."),
        OptionSpec("hub_strategy", .string, "every_save", "What is pushed and when.",
                   choices: ["end", "every_save", "checkpoint", "all_checkpoints"]),
        OptionSpec("hub_token", .string, nil, "Hub token (default: HF_TOKEN, else the login file)."),
        OptionSpec("hub_private_repo", .bool, nil, "Create the repository private."),
    ]
}
