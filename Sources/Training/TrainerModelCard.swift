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

    /// The model card (Python `trainer.create_model_card()`): the last evaluation's results,
    /// the hyper-parameters, and a table of every evaluation during training.
    public func modelCard(modelName: String? = nil) -> String {
        let name = modelName ?? URL(fileURLWithPath: args.outputDir).lastPathComponent
        let evals = state.logHistory.filter { $0.keys.contains { $0.hasPrefix("eval_") } }
        var lines = ["---", "library_name: FineTuning", "tags:", "- generated_from_trainer", "---", "",
                     "# \(name)", "",
                     "This \(model.architectureName) model was fine-tuned with the Swift FineTuning Trainer."]
        if let last = evals.last {
            lines += ["It achieves the following results on the evaluation set:", ""]
            for key in last.keys.filter({ $0.hasPrefix("eval_") }).sorted(by: Self.metricOrder) {
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
            let keys = Array(Set(evals.flatMap(\.keys)).filter { $0.hasPrefix("eval_") }).sorted(by: Self.metricOrder)
            lines += ["", "## Training results", "",
                      "| Epoch | Step | " + keys.map(Self.metricTitle).joined(separator: " | ") + " |",
                      "|" + String(repeating: ":---:|", count: keys.count + 2)]
            for e in evals {
                let cells = [String(format: "%.2f", e["epoch"] ?? 0), String(Int(e["step"] ?? 0))]
                    + keys.map { e[$0].map(Self.format4) ?? "" }
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

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
