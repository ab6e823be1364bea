// `finetune --help` and `finetune <subcommand> --help`, from the option table.

/// The help texts.
public enum HelpText {
    /// The top-level usage.
    public static let usage = """
        finetune: fine-tune a BERT or DistilBERT checkpoint on GLUE, a Hub dataset or your own files, as
        transformers' run_glue.py and run_ner.py do (same options, same output folder).

        USAGE: finetune text-classification  [--option value ...] | <options.json>
               finetune token-classification [--option value ...] | <options.json>
               mpirun -n N finetune ...          (data-parallel: N processes, rank 0 writes the files)

        Options are spelt as in Python (--do_train or --do-train; --do_train false); a single .json
        argument holds them all. 'finetune <subcommand> --help' lists the options.
        """

    /// The option list of one subcommand, with defaults.
    public static func options(for task: FineTuneTask) -> String {
        let what = task == .textClassification ? "run_glue.py" : "run_ner.py"
        var lines = ["finetune \(task.rawValue): what transformers' \(what) does.", "",
                     "USAGE: finetune \(task.rawValue) --model_name_or_path M (--task_name T | --train_file F ...) "
                        + "--do_train --output_dir D", "       finetune \(task.rawValue) options.json", "", "OPTIONS:"]
        for spec in OptionTable.options(for: task) {
            let value = spec.kind == .bool ? " [true|false]" : " <\(spec.choices?.joined(separator: "|") ?? kindName(spec.kind))>"
            lines.append("  --\(spec.name)\(value)")
            lines.append("      \(spec.help) (default: \(spec.defaultValue.map(pythonDefault) ?? "None"))")
        }
        lines += ["", "Not every Python default suits a 2-core CPU: --per_device_train_batch_size 8 and, for text "
                    + "classification, --pad_to_max_length true are kept as in Python; --pad_to_max_length false and "
                    + "--max_seq_length 128 or less are much faster here."]
        return lines.joined(separator: "\n")
    }

    static func kindName(_ kind: OptionKind) -> String {
        switch kind {
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "text"
        }
    }

    static func pythonDefault(_ text: String) -> String {
        switch text {
        case "true": return "True"
        case "false": return "False"
        default: return text
        }
    }
}
