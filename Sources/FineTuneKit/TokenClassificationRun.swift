import Datasets
import Foundation
import Hub
import Metrics
import Models
import Tokenizers
import Training

// `finetune token-classification`: run_ner.py's steps in its order. As for text
// classification, `prepare` finds every problem before a model is loaded or a file written.

/// The prepared token-classification run.
public struct TokenClassificationPlan: Sendable {
    /// The options.
    public let options: FineTuneOptions
    /// The raw splits.
    public let data: RawData
    /// Word and tag columns and the tag names.
    public let columns: TokenColumns
    /// The checkpoint training resumes from, if any.
    public let resume: String?
}

/// run_ner as a function (see the file's comment).
public enum TokenClassificationRun {
    /// Checks the output folder, the data, its columns and tags.
    public static func prepare(_ options: FineTuneOptions, hub: Hub = .shared, isMain: Bool = true,
                               say: (String) -> Void = standardError) throws -> TokenClassificationPlan {
        let resume = try OutputFolder.prepare(options, say: { if isMain { say($0) } })
        let data = try loadRawData(options, hub: hub)
        var labelled: [String] = []
        for (wanted, split, option) in [(options.doTrain, "train", "train"), (options.doEval, "validation", "eval"),
                                        (options.doPredict, "test", "predict")] where wanted {
            guard data.split(split) != nil else {
                throw FineTuneError("--do_\(option) needs a \(split) split: give --\(split)_file")
            }
            labelled.append(split)
        }
        let columns = try TokenColumns.infer(data, textColumn: options.textColumnName, labelColumn: options.labelColumnName,
                                             taskName: options.taskName ?? "ner", needLabels: labelled)
        return TokenClassificationPlan(options: options, data: data, columns: columns, resume: resume)
    }

    /// The labels of one row's tokens: the word's tag id on its first sub-token; on the others
    /// the tag (B- turned into I-) with `labelAllTokens`, else -100; -100 on special tokens.
    public static func alignLabels(wordIds: [Int?], tags: [Int], labelAllTokens: Bool, bToI: [Int]) -> [Int] {
        var previous: Int?
        return wordIds.map { word in
            defer { previous = word }
            guard let word, tags.indices.contains(word) else { return -100 }
            if word != previous { return tags[word] }
            return labelAllTokens ? bToI[tags[word]] : -100
        }
    }

    /// Runs a prepared plan: tokenise, train, evaluate, predict, and write the output folder.
    public static func run(_ plan: TokenClassificationPlan, hub: Hub = .shared,
                           printLine: @escaping (String) -> Void = { print($0) }) throws {
        let options = plan.options, columns = plan.columns, args = options.training
        let id2label = Dictionary(uniqueKeysWithValues: columns.labelNames.enumerated().map { ($0.offset, $0.element) })
        let model = try AutoModelForTokenClassification.fromPretrained(options.modelNameOrPath, config: try options.replacementConfig(hub: hub),
                                                                          id2label: id2label,
                                                                       seed: args.seed, hub: hub)
        model.finetuningTask = options.taskName ?? "ner"   // run_ner's task_name default
        let tokenizer = try Tokenizer.fromPretrained(options.tokenizerName, hub: hub)
        let maxLength = min(options.maxSeqLength ?? model.config.maxPositionEmbeddings, model.config.maxPositionEmbeddings)
        let bToI = columns.bToI

        // Rows: input_ids, token_type_ids, attention_mask, labels [T] (-100 where not scored).
        func tokenize(_ split: String, limit: Int?) throws -> Dataset {
            var raw = try plan.data.splits[split]
            if let limit, limit < raw.count { raw = try raw.select(0..<limit) }
            let words = try raw[column: columns.text].map { try $0.stringList }
            let tags = try raw[column: columns.label].map { try $0.listValue.map { columns.id(of: $0) ?? 0 } }
            let encodings = try tokenizer(words, isSplitIntoWords: true, truncation: true, maxLength: maxLength,
                                          padding: options.padToMaxLength ? .maxLength : false)
            let labels = zip(encodings, tags).map { encoding, rowTags in
                alignLabels(wordIds: encoding.wordIds(), tags: rowTags, labelAllTokens: options.labelAllTokens, bToI: bToI)
            }
            return try Dataset([
                ("input_ids", encodings.map { $0.inputIds.value }),
                ("token_type_ids", encodings.map { $0.tokenTypeIds.value }),
                ("attention_mask", encodings.map { $0.attentionMask.value }),
                ("labels", labels.map { $0.value }),
            ])
        }
        let train = options.doTrain ? try tokenize("train", limit: options.maxTrainSamples) : nil
        let eval = options.doEval ? try tokenize("validation", limit: options.maxEvalSamples) : nil
        let test = options.doPredict ? try tokenize("test", limit: options.maxPredictSamples) : nil

        let names = columns.labelNames, entityLevel = options.returnEntityLevelMetrics
        let computeMetrics: (EvalPrediction) throws -> MetricResult = { prediction in
            let (preds, refs) = try Seqeval.tags(predictions: prediction.argmaxPredictions.rows,
                                                 references: prediction.labelIds?.rows ?? [], labelNames: names)
            var seqeval = Seqeval()
            return seqevalMetrics(try seqeval.compute(predictions: preds, references: refs), entityLevel: entityLevel)
        }
        let trainer = try Trainer(model: model, args: args, trainDataset: train, evalDataset: eval,
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: tokenizer), tokenizer: tokenizer,
                                  computeMetrics: computeMetrics)
        trainer.printLine = printLine

        if let train { try RunMetrics.trainAndSave(trainer, rows: train.count, resumeFrom: plan.resume) }
        if let eval {
            let metrics = RunMetrics.evaluation(try trainer.evaluate(eval), prefix: "eval", rows: eval.count,
                                                epoch: trainer.state.epoch)
            trainer.logMetrics(split: "eval", metrics: metrics)
            try trainer.saveMetrics(split: "eval", metrics: metrics)
        }
        if let test {
            let output = try trainer.predict(test, metricKeyPrefix: "predict")
            let metrics = RunMetrics.evaluation(output.metrics, prefix: "predict", rows: test.count, epoch: nil,
                                                countRows: false)
            trainer.logMetrics(split: "predict", metrics: metrics)
            try trainer.saveMetrics(split: "predict", metrics: metrics)
            // predictions.txt: one line per sentence, the predicted tags of its scored tokens.
            let predicted = EvalPrediction(predictions: output.predictions, labelIds: nil).argmaxPredictions.rows
            let references = output.labelIds?.rows ?? []
            if trainer.isWorldProcessZero {
                let lines = zip(predicted, references).map { p, r in
                    zip(p, r).filter { $0.1 != -100 }.map { names.indices.contains($0.0) ? names[$0.0] : String($0.0) }
                        .joined(separator: " ")
                }
                try OutputFolder.writeText(lines.map { $0 + "\n" }.joined(), to: "predictions.txt", in: args.outputDir)
            }
        }
        if trainer.isWorldProcessZero {
            try OutputFolder.writeText(trainer.modelCard(), to: "README.md", in: args.outputDir)
        }
        // --push_to_hub: the final push of run_glue / run_ner ("End of training"; the Trainer saves the model,
        // card and arguments first).
        if args.pushToHub {
            try trainer.pushToHub()
        }
    }

    /// run_ner's `compute_metrics`: overall precision, recall, f1 and accuracy, or with
    /// `entityLevel` every seqeval key, nested per-entity scores flattened as `PER_f1`.
    public static func seqevalMetrics(_ result: MetricResult, entityLevel: Bool) -> MetricResult {
        if entityLevel {
            var out = MetricResult()
            for (key, value) in result.entries {
                if case .nested(let inner) = value {
                    for (k, v) in inner.entries { out[value: "\(key)_\(k)"] = v }
                } else {
                    out[value: key] = value
                }
            }
            return out
        }
        return MetricResult([("precision", .double(result["overall_precision"] ?? 0)),
                             ("recall", .double(result["overall_recall"] ?? 0)),
                             ("f1", .double(result["overall_f1"] ?? 0)),
                             ("accuracy", .double(result["overall_accuracy"] ?? 0))])
    }
}
