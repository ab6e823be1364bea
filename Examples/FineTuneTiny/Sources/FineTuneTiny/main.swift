// Fine-tunes all-MiniLM-L6-v2 on 64 GLUE MRPC pairs through the toolkit, with no course runner:
// load the data and the model, tokenize pairs, train one epoch with the Trainer, evaluate on 32
// validation pairs, save the model, then load it back in a pipeline and classify one pair.
// Everything is read from a local mirror (COURSE_MIRROR, else ../shared/mirror beside the
// repository), offline; without one the program says so and exits with status 2.
import Foundation
import FineTuning

let checkpoint = "sentence-transformers/all-MiniLM-L6-v2"

/// The mirror directory and where its name came from: COURSE_MIRROR, else `../shared/mirror`
/// beside the repository this example lives in (found from this file's path,
/// <repository>/Examples/FineTuneTiny/Sources/FineTuneTiny/main.swift).
func mirrorDirectory() -> (path: String, origin: String) {
    if let set = ProcessInfo.processInfo.environment["COURSE_MIRROR"], !set.isEmpty {
        return (set.hasPrefix("file://") ? String(set.dropFirst("file://".count)) : set, "COURSE_MIRROR")
    }
    var repository = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { repository.deleteLastPathComponent() }
    return (repository.deletingLastPathComponent().appendingPathComponent("shared/mirror").standardized.path,
            "the default, ../shared/mirror beside the repository; COURSE_MIRROR is not set")
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("FineTuneTiny: \(message)\n".utf8))
    exit(2)
}

let (mirror, origin) = mirrorDirectory()
let advice = "set COURSE_MIRROR to a directory holding models/\(checkpoint) and datasets/nyu-mll/glue/mrpc "
    + "(see the repository's README, \"Where data and models come from\")"
var isDirectory: ObjCBool = false
guard FileManager.default.fileExists(atPath: mirror, isDirectory: &isDirectory), isDirectory.boolValue else {
    fail("no data mirror at \(mirror) (\(origin)): this example reads the model and MRPC from a local mirror, "
        + "offline; \(advice)")
}
for needed in ["models/\(checkpoint)/model.safetensors", "datasets/nyu-mll/glue/mrpc"]
where !FileManager.default.fileExists(atPath: mirror + "/" + needed) {
    fail("the data mirror \(mirror) (\(origin)) lacks \(needed): \(advice)")
}
// The mirror directory is used in place; offline, so nothing is fetched from the Hub.
let hub = Hub(mirror: mirror, offline: true)

do {
    let started = Date()
    // Data: the first 64 training pairs and 32 validation pairs, tokenized to at most 64 tokens.
    let raw = try loadDataset("glue", "mrpc", hub: hub)
    let labelNames = try raw["train"].features["label"].names
    let tokenizer = try Tokenizer.fromPretrained(checkpoint, hub: hub)
    let tokenized = try raw.map(batched: true) { batch in
        let encodings = try tokenizer(try batch["sentence1"].stringList, try batch["sentence2"].stringList,
                                      truncation: true, maxLength: 64)
        return Row([("input_ids", encodings.inputIds.value), ("token_type_ids", encodings.tokenTypeIds.value),
                    ("attention_mask", encodings.attentionMask.value)])
    }
    let trainDataset = try tokenized["train"].select(0..<64)
    let evalDataset = try tokenized["validation"].select(0..<32)

    // The pretrained encoder with a new two-way head that answers in MRPC's label names.
    let id2label = Dictionary(uniqueKeysWithValues: labelNames.enumerated().map { ($0.offset, $0.element) })
    let model = try AutoModelForSequenceClassification.fromPretrained(checkpoint, id2label: id2label, hub: hub)

    let outputDir = FileManager.default.temporaryDirectory
        .appendingPathComponent("fine-tune-tiny-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: outputDir) }
    let args = TrainingArguments(outputDir, saveStrategy: .no, loggingSteps: 4, numTrainEpochs: 1,
                                 perDeviceTrainBatchSize: 8, perDeviceEvalBatchSize: 8, disableTqdm: true)
    let trainer = try Trainer(model: model, args: args, trainDataset: trainDataset, evalDataset: evalDataset,
                              dataCollator: DataCollatorWithPadding(tokenizer: tokenizer), tokenizer: tokenizer,
                              computeMetrics: { prediction in
                                  var accuracy = try loadMetric("accuracy")
                                  return try accuracy.compute(predictions: prediction.argmaxPredictions.values,
                                                              references: prediction.labelIds?.values ?? [])
                              })
    let output = try trainer.train()
    let metrics = try trainer.evaluate()
    print("trained on \(trainDataset.count) pairs in \(output.globalStep) steps, train_loss",
          String(format: "%.4f", output.trainingLoss))
    print("accuracy on \(evalDataset.count) validation pairs:", String(format: "%.4f", metrics["eval_accuracy"] ?? .nan))

    // Save in the Hugging Face layout, load back from the directory, classify one pair.
    try trainer.saveModel()
    let classifier = try pipeline(.textClassification, model: outputDir)
    let a = "The company said its profit rose 12 percent in the third quarter."
    let b = "Third-quarter profit climbed 12 percent, the company said."
    print("saved to and loaded back from \(outputDir):", try classifier(a, textPair: b))
    print("done in", String(format: "%.1f s", Date().timeIntervalSince(started)))
} catch {
    FileHandle.standardError.write(Data("FineTuneTiny: error: \(error)\n".utf8))
    exit(1)
}
