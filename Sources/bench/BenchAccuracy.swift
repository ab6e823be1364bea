import ArgumentParser
import FineTuning
import Foundation

/// What dynamic int8 costs in accuracy on a real model: chapter 5's IMDb classifier on the
/// chapter's 1,000 test reviews, through `Trainer.predict` with `evalQuantization` off and on.
/// (Chapter 1's NER model is measured with `finetune token-classification --do_eval --quantize
/// int8-dynamic`, which scores with seqeval as run_ner does; see BENCHMARKS.md.)
struct BenchAccuracy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "fp32 against dynamic int8 accuracy of chapter 5's IMDb model on its 1,000 test reviews.")
    @Option(help: "The trained model folder (chapter 5: .course/work/imdb-sentiment/imdb-minilm/checkpoint-N).")
    var model: String
    @Option(help: "Threads.") var threads = 2

    func run() throws {
        Threads.count = threads
        // The chapter's test reviews and tokenisation (Chapters/05-imdb-sentiment.md, steps subset and tokenize).
        let imdb = try loadDataset("imdb")
        let test = try imdb["test"].shuffle(seed: 42).select(0..<1000)
        let tokenizer = try Tokenizer.fromPretrained(model)
        let tokenized = try test.map(batched: true, removeColumns: ["text"]) { batch in
            let e = try tokenizer(try batch["text"].stringList, truncation: true, maxLength: 128)
            return Row([("input_ids", e.inputIds.value), ("token_type_ids", e.tokenTypeIds.value),
                        ("attention_mask", e.attentionMask.value)])
        }
        let classifier = try AutoModelForSequenceClassification.fromPretrained(model)
        var rows: [(String, Double, Double, [Int])] = []
        for quantization in [Quantization.none, .int8Dynamic] {
            var args = TrainingArguments(FileManager.default.temporaryDirectory.appendingPathComponent("bench-accuracy").path,
                                         perDeviceEvalBatchSize: 64)
            args.disableTqdm = true
            args.evalQuantization = quantization
            let trainer = try Trainer(model: classifier, args: args, tokenizer: tokenizer, computeMetrics: { p in
                var metric = Accuracy()
                return try metric.compute(predictions: p.argmaxPredictions.values, references: p.labelIds?.values ?? [])
            })
            let start = Date()
            let out = try trainer.predict(tokenized)
            let seconds = Date().timeIntervalSince(start)
            rows.append((quantization.rawValue, out.metrics["test_accuracy"] ?? .nan, seconds,
                         EvalPrediction(predictions: out.predictions, labelIds: out.labelIds).argmaxPredictions.values))
        }
        let agree = zip(rows[0].3, rows[1].3).filter { $0.0 == $0.1 }.count
        print("IMDb, 1,000 test reviews, \(model), \(threads) threads")
        for (name, accuracy, seconds, _) in rows {
            print(String(format: "%@  accuracy %.4f  predict %.2f s", name.padding(toLength: 12, withPad: " ", startingAt: 0),
                         accuracy, seconds))
        }
        print("int8 and fp32 predict the same class for \(agree) of \(rows[0].3.count) reviews")
    }
}
