import Datasets
import Distributed
import Foundation
import Hub
import Metrics
import Models
import Tokenizers
import Training

// `finetune text-classification`: run_glue.py's steps in its order. Everything that can be
// wrong with the options, the output folder or the data is found in `prepare`, before a model
// is loaded or a file is written; `run` then trains, evaluates, predicts and writes the folder.

/// The prepared text-classification run: data checked and columns found.
public struct TextClassificationPlan: Sendable {
    /// The options.
    public let options: FineTuneOptions
    /// The raw splits.
    public let data: RawData
    /// Columns and classes.
    public let columns: TextColumns
    /// The checkpoint training resumes from, if any.
    public let resume: String?
    /// The split evaluated (`validation`, or `validation_matched` for MNLI), and MNLI's mismatched one.
    public let evalSplits: [(split: String, task: String?)]
    /// The split predicted, and MNLI's mismatched one.
    public let predictSplits: [(split: String, task: String?)]
}

/// run_glue as a function (see the file's comment).
public enum TextClassificationRun {
    /// Checks everything checkable without a model: the output folder, the data, its columns and labels.
    public static func prepare(_ options: FineTuneOptions, hub: Hub = .shared, isMain: Bool = true,
                               say: (String) -> Void = standardError) throws -> TextClassificationPlan {
        let resume = try OutputFolder.prepare(options, say: { if isMain { say($0) } })
        let data = try loadRawData(options, hub: hub)
        let mnli = options.taskName == "mnli"
        var labelled: [String] = []
        if options.doTrain {
            guard data.split("train") != nil else { throw FineTuneError("--do_train needs a train split: give --train_file") }
            labelled.append("train")
        }
        var evalSplits: [(String, String?)] = [], predictSplits: [(String, String?)] = []
        if options.doEval {
            let split = mnli ? "validation_matched" : "validation"
            guard data.split(split) != nil else {
                throw FineTuneError("--do_eval needs a validation split: give --validation_file")
            }
            evalSplits = [(split, options.taskName)] + (mnli ? [("validation_mismatched", "mnli-mm")] : [])
            labelled += evalSplits.map(\.0)
        }
        if options.doPredict {
            let split = mnli ? "test_matched" : "test"
            guard data.split(split) != nil else { throw FineTuneError("--do_predict needs a test split: give --test_file") }
            predictSplits = [(split, options.taskName)] + (mnli ? [("test_mismatched", "mnli-mm")] : [])
        }
        let columns = try TextColumns.infer(data, taskName: options.taskName, needLabels: labelled)
        return TextClassificationPlan(options: options, data: data, columns: columns, resume: resume,
                                      evalSplits: evalSplits, predictSplits: predictSplits)
    }

    /// Runs a prepared plan: tokenise, train, evaluate, predict, and write the output folder.
    public static func run(_ plan: TextClassificationPlan, hub: Hub = .shared,
                           printLine: @escaping (String) -> Void = { print($0) }) throws {
        let options = plan.options, columns = plan.columns
        let args = options.training
        // Regression (float labels, STS-B): one output and no class names, as run_glue's
        // `num_labels=1`; the model records `problem_type: regression` at its first loss.
        let id2label = Dictionary(uniqueKeysWithValues: columns.labelNames.enumerated().map { ($0.offset, $0.element) })
        let config = try options.replacementConfig(hub: hub)
        let model = columns.isRegression
            ? try AutoModelForSequenceClassification.fromPretrained(options.modelNameOrPath, config: config, numLabels: 1,
                                                                    seed: args.seed, hub: hub)
            : try AutoModelForSequenceClassification.fromPretrained(options.modelNameOrPath, config: config, id2label: id2label,
                                                                    seed: args.seed, hub: hub)
        model.finetuningTask = options.taskName   // config.json's finetuning_task, as run_glue sets it
        let tokenizer = try Tokenizer.fromPretrained(options.tokenizerName, hub: hub)
        let maxLength = min(options.maxSeqLength ?? 128, model.config.maxPositionEmbeddings)

        // Rows: input_ids, token_type_ids, attention_mask [T] (T = maxLength when padded), labels.
        func tokenize(_ split: String, labelled: Bool, limit: Int?) throws -> Dataset {
            var raw = try plan.data.splits[split]
            if let limit, limit < raw.count { raw = try raw.select(0..<limit) }
            let first = try raw[column: columns.sentence1], second = try columns.sentence2.map { try raw[column: $0] }
            func texts(_ values: [Value], _ column: String) throws -> [String] {
                try values.enumerated().map { row, value in
                    switch value {
                    case .string(let s): return s
                    case .int, .float, .bool: return labelName(value)
                    default:
                        throw FineTuneError("\(plan.data.locate(split, row: row)): column '\(column)' is \(value.kindName), "
                            + "not a text")
                    }
                }
            }
            let encodings = try tokenizer(try texts(first, columns.sentence1),
                                          try second.map { try texts($0, columns.sentence2 ?? "") },
                                          truncation: true, maxLength: maxLength,
                                          padding: options.padToMaxLength ? .maxLength : false)
            var out: [(String, [Value])] = [
                ("input_ids", encodings.map { $0.inputIds.value }),
                ("token_type_ids", encodings.map { $0.tokenTypeIds.value }),
                ("attention_mask", encodings.map { $0.attentionMask.value }),
            ]
            if labelled {
                let labels = try raw[column: columns.label].map { value -> Value in
                    guard columns.isRegression else { return .int(columns.id(of: value) ?? -100) }
                    guard let x = regressionValue(value) else {
                        throw FineTuneError("\(plan.data.sources[split] ?? split): label \(value) in column '\(columns.label)' "
                            + "is not a number, but this is a regression run: make every label a number")
                    }
                    return .float(x)
                }
                out.append(("labels", labels))
            }
            return try Dataset(out)
        }

        let train = options.doTrain ? try tokenize("train", labelled: true, limit: options.maxTrainSamples) : nil
        let evals = try plan.evalSplits.map { (try tokenize($0.split, labelled: true, limit: options.maxEvalSamples), $0.task) }
        let predicts = try plan.predictSplits.map {
            (try tokenize($0.split, labelled: false, limit: options.maxPredictSamples), $0.task)
        }

        let glueTask = options.taskName
        // run_glue's compute_metrics: the task's GLUE metric (+ combined_score), else accuracy or mse.
        let computeMetrics: (EvalPrediction) throws -> MetricResult = { try $0.glueMetrics(task: glueTask) }
        let trainer = try Trainer(model: model, args: args, trainDataset: train, evalDataset: evals.first?.0,
                                  dataCollator: DataCollatorWithPadding(tokenizer: tokenizer), tokenizer: tokenizer,
                                  computeMetrics: computeMetrics)
        trainer.printLine = printLine

        if let train { try RunMetrics.trainAndSave(trainer, rows: train.count, resumeFrom: plan.resume) }

        var combined = MetricResult()
        for (dataset, task) in evals {
            var metrics = RunMetrics.evaluation(try trainer.evaluate(dataset), prefix: "eval", rows: dataset.count,
                                                epoch: trainer.state.epoch)
            if task == "mnli-mm" { metrics = MetricResult(metrics.entries.map { ($0.key + "_mm", $0.value) }) }
            if task?.contains("mnli") == true { combined.update(with: metrics) }
            trainer.logMetrics(split: "eval", metrics: metrics)
            try trainer.saveMetrics(split: "eval", metrics: task?.contains("mnli") == true ? combined : metrics)
        }

        for (dataset, task) in predicts {
            let output = try trainer.predict(dataset, metricKeyPrefix: "predict")
            let prediction = EvalPrediction(predictions: output.predictions, labelIds: nil)
            guard trainer.isWorldProcessZero else { continue }
            // run_glue writes a regression output with three decimals, a class by its name.
            let values = columns.isRegression
                ? prediction.predictionValues.map { String(format: "%3.3f", $0) }
                : prediction.argmaxPredictions.values.map { id in
                    columns.labelNames.indices.contains(id) ? columns.labelNames[id] : String(id)
                }
            let lines = ["index\tprediction"] + values.enumerated().map { "\($0.offset)\t\($0.element)" }
            try OutputFolder.writeText(lines.joined(separator: "\n") + "\n", to: "predict_results_\(task ?? "None").txt",
                                       in: args.outputDir)
        }

        // The model card, whether or not this run trained (Python's create_model_card).
        if trainer.isWorldProcessZero {
            try OutputFolder.writeText(trainer.modelCard(), to: "README.md", in: args.outputDir)
        }
        // --push_to_hub: the final push of run_glue / run_ner ("End of training"; the Trainer saves the model,
        // card and arguments first).
        if args.pushToHub {
            try trainer.pushToHub()
        }
    }
}

/// Writes a line to stderr (progress and notices; stdout carries only metric blocks and logs).
public func standardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
