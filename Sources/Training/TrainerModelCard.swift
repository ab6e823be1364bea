import Files
import Foundation
import Models

extension Trainer {
    /// Saves the model (config.json, model.safetensors), the tokenizer if any, and a model
    /// card README.md with the evaluation results, into `outputDir` (default `args.outputDir`).
    /// Under MPI only world process zero writes; every rank returns once the files exist.
    public func saveModel(_ outputDir: String? = nil) throws {
        defer { try? group.barrier() }
        guard isWorldProcessZero else { return }
        let dir = outputDir ?? args.outputDir
        try model.savePretrained(dir)
        try tokenizer?.savePretrained(URL(fileURLWithPath: dir))
        let url = URL(fileURLWithPath: dir).appendingPathComponent("README.md")
        do { try modelCard().write(to: url, atomically: true, encoding: .utf8) } catch {
            throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    /// Writes the model card to `<outputDir>/README.md` (Python `trainer.create_model_card(...)`;
    /// see `modelCard` for the arguments). Under MPI only world process zero writes.
    public func createModelCard(language: [String] = [], license: String? = nil, tags: [String] = [],
                                modelName: String? = nil, finetunedFrom: String? = nil, tasks: [String] = [],
                                datasetTags: [String] = [], dataset: [String] = [], datasetArgs: [String] = []) throws {
        guard isWorldProcessZero else { return }
        let url = URL(fileURLWithPath: args.outputDir).appendingPathComponent("README.md")
        let card = modelCard(language: language, license: license, tags: tags, modelName: modelName,
                             finetunedFrom: finetunedFrom, tasks: tasks, datasetTags: datasetTags, dataset: dataset,
                             datasetArgs: datasetArgs)
        do {
            try FileManager.default.createDirectory(atPath: args.outputDir, withIntermediateDirectories: true)
            try card.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    /// The model card (Python `trainer.create_model_card()`): YAML metadata as Python's Trainer
    /// writes it, then the last evaluation's results, the hyper-parameters, and a table of every
    /// evaluation during training.
    ///
    /// The metadata holds `library_name: transformers` (the saved folder loads there),
    /// `language`, `license`, `base_model` (`finetunedFrom`), `tags` (`generated_from_trainer`
    /// first), `datasets` (`datasetTags`), `metrics`, and a `model-index` with one result per task
    /// (`text-classification`, `token-classification`, ...) and dataset tag: the task, the
    /// dataset (`dataset` names, `datasetArgs` such as the GLUE config `mrpc`) and the last
    /// evaluation's scores whose names the Hub knows (accuracy, f1, precision, recall,
    /// matthews_correlation, pearsonr, spearmanr, ...), so `huggingface_hub.ModelCard` reads
    /// them as `eval_results`. As in Python, a result needs a task, a dataset and a metric.
    public func modelCard(language: [String] = [], license: String? = nil, tags: [String] = [],
                          modelName: String? = nil, finetunedFrom: String? = nil, tasks: [String] = [],
                          datasetTags: [String] = [], dataset: [String] = [], datasetArgs: [String] = []) -> String {
        let name = modelName ?? URL(fileURLWithPath: args.outputDir).lastPathComponent
        let evals = state.logHistory.filter { $0.keys.contains { $0.hasPrefix("eval_") } }
        let card = CardMetadata(modelName: name, language: language, license: license,
                                tags: ["generated_from_trainer"] + tags.filter { $0 != "generated_from_trainer" },
                                finetunedFrom: finetunedFrom, tasks: tasks, datasetTags: datasetTags, datasetNames: dataset,
                                datasetArgs: datasetArgs, evalResults: evals.last ?? [:])
        var lines = card.yaml + ["", "# \(name)", ""]
        var sentence = "This \(model.architectureName) model was fine-tuned with the Swift FineTuning Trainer"
        if let base = finetunedFrom, !base.isEmpty { sentence += " from [\(base)](https://huggingface.co/\(base))" }
        if !dataset.isEmpty { sentence += " on the \(dataset.joined(separator: ", ")) dataset" }
        lines.append(sentence + ".")
        if let last = evals.last {
            lines += ["It achieves the following results on the evaluation set:", ""]
            for key in last.keys.filter(Self.isCardMetric).sorted(by: Self.metricOrder) {
                lines.append("- \(Self.metricTitle(key)): \(Self.format4(last[key] ?? 0))")
            }
        }
        lines += ["", "## Training hyperparameters", "",
                  "- learning_rate: \(args.learningRate)",
                  "- train_batch_size: \(args.perDeviceTrainBatchSize)",
                  "- eval_batch_size: \(args.perDeviceEvalBatchSize)",
                  "- seed: \(args.seed)"]
        if args.gradientAccumulationSteps > 1 {
            lines.append("- gradient_accumulation_steps: \(args.gradientAccumulationSteps)")
            lines.append("- total_train_batch_size: \(args.perDeviceTrainBatchSize * args.gradientAccumulationSteps)")
        }
        lines += ["- optimizer: AdamW with betas=(\(args.adamBeta1),\(args.adamBeta2)), epsilon=\(args.adamEpsilon), "
                    + "weight_decay=\(args.weightDecay)",
                  "- lr_scheduler_type: linear"]
        if args.numWarmupSteps(state.maxSteps) > 0 { lines.append("- lr_scheduler_warmup_steps: \(args.numWarmupSteps(state.maxSteps))") }
        lines.append(args.maxSteps > 0 ? "- training_steps: \(args.maxSteps)" : "- num_epochs: \(args.numTrainEpochs)")
        if !evals.isEmpty {
            let keys = Array(Set(evals.flatMap(\.keys)).filter(Self.isCardMetric)).sorted(by: Self.metricOrder)
            // Python's columns: the latest training loss logged by then ("No log" before the
            // first), epoch, step, the validation loss, then the other scores.
            let titles = keys.map { $0 == "eval_loss" ? "Validation Loss" : Self.metricTitle($0) }
            lines += ["", "## Training results", "",
                      "| Training Loss | Epoch | Step | " + titles.joined(separator: " | ") + " |",
                      "|" + String(repeating: ":---:|", count: keys.count + 3)]
            var trainingLoss = "No log"
            for e in state.logHistory {
                if let loss = e["loss"] { trainingLoss = Self.format4(loss) }
                guard e.keys.contains(where: { $0.hasPrefix("eval_") }) else { continue }
                let cells = [trainingLoss, String(format: "%.2f", e["epoch"] ?? 0), String(Int(e["step"] ?? 0))]
                    + keys.map { e[$0].map(Self.format4) ?? "" }
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An evaluation score for the card: an `eval_` key other than the wall-clock speeds.
    static func isCardMetric(_ key: String) -> Bool { key.hasPrefix("eval_") && !TrainerState.isTiming(key) }

    /// eval_loss first, then the other metrics alphabetically.
    static func metricOrder(_ a: String, _ b: String) -> Bool {
        if a == "eval_loss" || b == "eval_loss" { return a == "eval_loss" && b != "eval_loss" }
        return a < b
    }

    /// `eval_overall_f1` → `Overall F1`, `eval_loss` → `Loss` (the Python card's titles).
    static func metricTitle(_ key: String) -> String {
        key.dropFirst("eval_".count).split(separator: "_").map { word in
            ["f1", "mcc"].contains(word) ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
        }.joined(separator: " ")
    }
}
