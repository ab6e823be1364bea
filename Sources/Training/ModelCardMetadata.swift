import Foundation

/// The YAML metadata block of a model card, as transformers' `TrainingSummary.create_metadata`
/// builds it, e.g.
///
///     ---
///     library_name: transformers
///     license: apache-2.0
///     base_model: sentence-transformers/all-MiniLM-L6-v2
///     tags:
///     - generated_from_trainer
///     datasets:
///     - glue
///     metrics:
///     - accuracy
///     model-index:
///     - name: mrpc-minilm
///       results:
///       - task:
///           name: Text Classification
///           type: text-classification
///         dataset:
///           name: glue
///           type: glue
///           args: mrpc
///         metrics:
///         - name: Accuracy
///           type: accuracy
///           value: 0.8406862745098039
///     ---
///
/// `huggingface_hub.ModelCard` reads the `model-index` results as `eval_results`.
struct CardMetadata {
    var modelName: String
    var language: [String]
    var license: String?
    var tags: [String]
    var finetunedFrom: String?
    var tasks: [String]
    var datasetTags: [String]
    var datasetNames: [String]
    var datasetArgs: [String]
    /// The last evaluation's log entry (`eval_loss`, `eval_accuracy`, ..., `epoch`, `step`).
    var evalResults: [String: Double]

    /// Python's task names by task tag (the Hub's pipeline tags).
    static let taskNames = [
        "fill-mask": "Masked Language Modeling", "multiple-choice": "Multiple Choice",
        "question-answering": "Question Answering", "text-classification": "Text Classification",
        "text-generation": "Causal Language Modeling", "token-classification": "Token Classification",
        "zero-shot-classification": "Zero Shot Classification",
    ]

    /// The metric types the Hub knows (transformers' `METRIC_TAGS`).
    static let metricTags: Set<String> = ["accuracy", "bleu", "f1", "matthews_correlation", "pearsonr", "precision",
                                          "recall", "rouge", "sacrebleu", "spearmanr", "wer"]

    /// The scores as Python's `parse_log_history` names them (`eval_matthews_correlation` →
    /// `Matthews Correlation`), keyed by Hub metric type, for the types the Hub knows.
    var metrics: [(type: String, name: String, value: Double)] {
        evalResults.keys.sorted().compactMap { key in
            guard key.hasPrefix("eval_"), !TrainerState.isTiming(key) else { return nil }
            let bare = String(key.dropFirst("eval_".count))
            let name = bare.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
                .joined(separator: " ")
            let type = bare.lowercased() == "rouge1" ? "rouge" : bare.lowercased()
            guard Self.metricTags.contains(type), let value = evalResults[key] else { return nil }
            return (type, name, value)
        }
    }

    /// The lines from the opening `---` to the closing one.
    var yaml: [String] {
        var lines = ["---", "library_name: transformers"]
        func list(_ key: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            lines.append(key + ":")
            lines += values.map { "- " + Self.scalar($0) }
        }
        list("language", language)
        if let license, !license.isEmpty { lines.append("license: " + Self.scalar(license)) }
        if let finetunedFrom, !finetunedFrom.isEmpty { lines.append("base_model: " + Self.scalar(finetunedFrom)) }
        list("tags", tags)
        list("datasets", datasetTags)
        let metrics = self.metrics
        list("metrics", metrics.map(\.type))
        lines += ["model-index:", "- name: " + Self.scalar(modelName)]
        let results = self.results(metrics)
        lines.append(results.isEmpty ? "  results: []" : "  results:")
        lines += results
        lines.append("---")
        return lines
    }

    /// One result per (task, dataset) pair with a task, a dataset and at least one metric;
    /// partial results are dropped as Python drops them (the Hub rejects them).
    func results(_ metrics: [(type: String, name: String, value: Double)]) -> [String] {
        let tasks = tasks.filter { Self.taskNames[$0] != nil }
        guard !tasks.isEmpty, !datasetTags.isEmpty, !metrics.isEmpty else { return [] }
        var lines: [String] = []
        for task in tasks {
            for (i, tag) in datasetTags.enumerated() {
                lines += ["  - task:",
                          "      name: " + Self.scalar(Self.taskNames[task] ?? task),
                          "      type: " + Self.scalar(task),
                          "    dataset:",
                          "      name: " + Self.scalar(i < datasetNames.count ? datasetNames[i] : tag),
                          "      type: " + Self.scalar(tag)]
                if i < datasetArgs.count { lines.append("      args: " + Self.scalar(datasetArgs[i])) }
                lines.append("    metrics:")
                for m in metrics {
                    lines += ["    - name: " + Self.scalar(m.name), "      type: " + Self.scalar(m.type),
                              "      value: " + PythonJSON.repr(m.value)]
                }
            }
        }
        return lines
    }

    /// A YAML scalar: plain when it cannot be read as anything but this string, else a
    /// double-quoted JSON string (valid YAML).
    static func scalar(_ s: String) -> String {
        let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./ ")
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", ""]
        let looksNumeric = Double(s) != nil || s.first.map { "0123456789-.".contains($0) } == true
        if s.unicodeScalars.allSatisfy(plain.contains), !reserved.contains(s.lowercased()), !looksNumeric,
           s.first != " ", s.last != " " {
            return s
        }
        var out = ""
        PythonJSON.quote(s, into: &out)
        return out
    }
}
