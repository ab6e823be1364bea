import FineTuning
import Foundation

// mpi-check: small data-parallel runs on a tiny random BERT (or DistilBERT), for the distributed tests
// (Tests/DistributedTests spawn it under `mpirun -n 2` and alone). Rank 0 prints one JSON object
// per line on stdout; every rank checks what it can against the others.
//
//   mpi-check shard                      9 rows, batch 5: each rank's rows, gatherForMetrics
//   mpi-check train   [--batch B] [--epochs E] [--rows R] [--seed S] [--dropout P] [--out FILE] [--ragged]
//                     [--model bert|distilbert]
//                                        the Accelerator loop; per step: mean loss, lr, weights identical?
//   mpi-check trainer [--batch B] [--epochs E] [--out DIR] [--best]
//                                        the Trainer: its log history, what each rank printed and saved
//   mpi-check fail    --rank R --how throw|crash [--at-step K]
//                                        rank R fails at step K of the train loop

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}

func intOption(_ name: String, _ fallback: Int) throws -> Int {
    let text = option(name, String(fallback))
    guard let value = Int(text) else { throw TrainerError("--\(name) takes an integer, got '\(text)'") }
    return value
}

/// One JSON line on rank 0's stdout.
func emit(_ accelerator: Accelerator, _ object: [String: Any]) throws {
    guard accelerator.isMainProcess else { return }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// A tiny sequence classifier: vocabulary 64, hidden 32, 2 layers, 3 labels.
func tinyConfig(dropout: Float) -> BertConfig {
    BertConfig(vocabSize: 64, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64,
               maxPositionEmbeddings: 16, hiddenDropoutProb: dropout, attentionProbsDropoutProb: dropout, numLabels: 3)
}

/// The same sizes as DistilBERT (`dim` 32, `n_layers` 2, `n_heads` 4, `hidden_dim` 64): its own
/// tensor names, no token types, and a `pre_classifier` with ReLU instead of the tanh pooler.
func tinyDistilConfig(dropout: Float) -> DistilBertConfig {
    DistilBertConfig(vocabSize: 64, dim: 32, nLayers: 2, nHeads: 4, hiddenDim: 64, maxPositionEmbeddings: 16,
                     dropout: dropout, attentionDropout: dropout, seqClassifDropout: dropout, numLabels: 3)
}

/// The sequence classifier `--model` names, with seeded random weights.
func tinyModel(dropout: Float, seed: UInt64) throws -> BertForSequenceClassification {
    switch option("model", "bert") {
    case "bert": return BertForSequenceClassification(config: tinyConfig(dropout: dropout), seed: seed)
    case "distilbert": return DistilBertForSequenceClassification(config: tinyDistilConfig(dropout: dropout), seed: seed)
    case let other: throw TrainerError("--model takes bert or distilbert, got '\(other)'")
    }
}

/// `n` rows of 8 token ids (no padding, so a batch's rows never depend on its other rows) and a
/// label (the first content token mod 3), plus `row` = the row's index, for the sharding check.
/// With `ragged`, rows have 2–6 content tokens instead, so batches are padded to their longest row.
func tinyDataset(_ n: Int, seed: UInt64, ragged: Bool = false) throws -> Dataset {
    var s = seed
    func next(_ bound: Int) -> Int { s = CounterRandom.mix(s &+ 0x9E37_79B9_7F4A_7C15); return Int(s % UInt64(bound)) }
    let rows: [Row] = (0..<n).map { i in
        let ids = [2] + (0..<(ragged ? 2 + next(5) : 6)).map { _ in 5 + next(59) } + [3]
        return Row([("input_ids", ids.value), ("labels", .int(ids[1] % 3)), ("row", .int(i))])
    }
    return try Dataset(rows: rows)
}

/// Collates rows padded (id 0, attention 0) to the batch's longest: input ids [B, T], labels [B].
let collate: @Sendable ([Row]) throws -> Batch = { rows in
    var sequences: [[Int32]] = [], labels: [Int32] = []
    for row in rows {
        guard case .list(let items) = try row["input_ids"], case .int(let label) = try row["labels"] else {
            throw TrainerError("a row without input_ids or labels")
        }
        sequences.append(items.compactMap { if case .int(let v) = $0 { Int32(v) } else { nil } })
        labels.append(Int32(label))
    }
    let t = sequences.map(\.count).max() ?? 1
    let ids = sequences.flatMap { $0 + Array(repeating: 0, count: t - $0.count) }
    let mask = sequences.flatMap { Array(repeating: Float(1), count: $0.count) + Array(repeating: 0, count: t - $0.count) }
    return try Batch(input: try BertInput(batchSize: rows.count, sequenceLength: t, inputIds: ids, attentionMask: mask),
                     labels: labels, labelsShape: [rows.count], keys: ["input_ids", "attention_mask", "labels"])
}

/// Whether every rank holds the same bits in `parameters`.
func identical(_ parameters: [Parameter], _ accelerator: Accelerator) throws -> Bool {
    let digests = try accelerator.group.allGather([parameterDigest(parameters)]).map { $0[0] }
    return Set(digests).count == 1
}

func shard(_ accelerator: Accelerator) throws {
    let data = try tinyDataset(9, seed: 7)
    let loader = try accelerator.prepare(try DataLoader(data, batchSize: 5, collateFn: collate))
    let mine = loader.batchIndices(epoch: 0)
    let everyRank = try accelerator.group.allGather(mine.flatMap { $0 })
    var gathered: [Int] = [], plain: [Int] = []
    var step = 0
    for _ in loader {
        // The rows' own indices stand in for predictions: gathered, they say which rows a metric sees.
        let rows = BatchTensor(shape: [mine[step].count], values: mine[step])
        plain += try accelerator.gather(rows).values
        gathered += try accelerator.gatherForMetrics(rows).values
        step += 1
    }
    // Rows of rank-specific length (rank r: 2 + r tokens, all r + 1): padded to the longest, then gathered.
    let r = accelerator.processIndex
    let ragged = BatchTensor(shape: [1, 2 + r], values: Array(repeating: r + 1, count: 2 + r))
    let padded = try accelerator.gather(try accelerator.padAcrossProcesses(ragged, dim: 1, padIndex: -100))
    let floats = Tensor(shape: [1, 2])
    floats.data[0] = Float(r); floats.data[1] = 0.5
    let gatheredFloats = try accelerator.gather(floats)
    try emit(accelerator, ["ranks": everyRank, "gather": plain, "gather_for_metrics": gathered, "steps": loader.count,
                           "padded_shape": padded.shape, "padded": padded.values,
                           "float_shape": gatheredFloats.shape, "floats": gatheredFloats.scalars.map(Double.init)])
}

func train(_ accelerator: Accelerator, failing: (rank: Int, how: String, step: Int)? = nil) throws {
    let batch = try intOption("batch", 4), epochs = try intOption("epochs", 2), rows = try intOption("rows", 40)
    let seed = UInt64(try intOption("seed", 42))
    guard let dropout = Float(option("dropout", "0")) else { throw TrainerError("--dropout takes a number") }
    // Each rank draws different initial weights: prepare must replace them by rank 0's.
    let model = try tinyModel(dropout: dropout, seed: 1 + UInt64(accelerator.processIndex))
    model.bert.seed = seed
    let loader = try DataLoader(try tinyDataset(rows, seed: 7, ragged: arguments.contains("--ragged")), batchSize: batch,
                                shuffle: true, seed: seed, collateFn: collate)
    let optimizer = try AdamW(model.parameters, lr: 3e-3, weightDecay: 0.01)
    try accelerator.prepare(model)
    let trainLoader = try accelerator.prepare(loader)
    _ = try accelerator.prepare(optimizer)
    try emit(accelerator, ["broadcast_identical": try identical(model.parameters, accelerator),
                           "processes": accelerator.numProcesses, "architecture": model.architectureName])
    let total = epochs * trainLoader.count
    let scheduler = try getScheduler(.linear, optimizer: optimizer, numWarmupSteps: 2, numTrainingSteps: total)
    model.train()
    var step = 0
    for _ in 0..<epochs {
        for b in trainLoader {
            step += 1
            if let failing, failing.rank == accelerator.processIndex, failing.step == step {
                if failing.how == "crash" {
                    let missing: Int? = nil
                    print(missing! + 1) // a deliberate trap, as a crashing rank
                }
                throw TrainerError("rank \(accelerator.processIndex) failed on purpose at step \(step)")
            }
            let lr = scheduler.lastLR
            let outputs = try model(b)
            let loss = try accelerator.backward(outputs)
            let clip = clipCoefficient(norm: gradNorm(model.parameters), maxNorm: 1)
            optimizer.step(gradientScale: clip)
            scheduler.step()
            optimizer.zeroGrad()
            let losses = try accelerator.gather(Double(loss))
            try emit(accelerator, ["step": step, "loss": losses.reduce(0, +) / Double(losses.count), "lr": Double(lr),
                                   "identical": try identical(model.parameters, accelerator)])
        }
    }
    let values = model.parameters.flatMap(\.value.scalars)
    if accelerator.isMainProcess, let out = Optional(option("out", "")), !out.isEmpty {
        try values.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
    }
    try emit(accelerator, ["digest": String(parameterDigest(model.parameters), radix: 16), "steps": step])
}

func trainer(_ accelerator: Accelerator) throws {
    let batch = try intOption("batch", 4), epochs = try intOption("epochs", 2)
    let dir = option("out", FileManager.default.temporaryDirectory.appendingPathComponent("mpi-check-\(getpid())").path)
    let model = BertForSequenceClassification(config: tinyConfig(dropout: 0), seed: 1 + UInt64(accelerator.processIndex))
    // --best: keep one checkpoint and load the best one at the end (every rank loads it, rank 0 deletes the rest).
    let best = arguments.contains("--best")
    let args = TrainingArguments(dir, evalStrategy: .epoch, saveStrategy: .epoch, loggingSteps: 1, learningRate: 3e-3,
                                 numTrainEpochs: Double(epochs), warmupSteps: 2, perDeviceTrainBatchSize: batch,
                                 perDeviceEvalBatchSize: 3, saveTotalLimit: best ? 1 : nil, loadBestModelAtEnd: best,
                                 metricForBestModel: best ? "loss" : nil, disableTqdm: true)
    let trainer = try Trainer(model: model, args: args, trainDataset: try tinyDataset(40, seed: 7),
                              evalDataset: try tinyDataset(11, seed: 99), dataCollator: ClosureCollatorBox(collate)) { p in
        let predictions = p.argmaxPredictions.values, labels = p.labelIds?.values ?? []
        var metric = Accuracy()
        return try metric.compute(predictions: predictions, references: labels)
    }
    nonisolated(unsafe) var printed: [String] = []
    trainer.printLine = { printed.append($0) }
    try trainer.train()
    try trainer.saveModel()
    let lines = try accelerator.group.allGather([Int64(printed.count)]).map { $0[0] }
    try emit(accelerator, ["best_checkpoint": trainer.state.bestModelCheckpoint.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "",
                           "log_history": trainer.state.logHistory, "printed_lines": lines, "printed": printed,
                           "identical": try identical(model.parameters, accelerator),
                           "world_process_zero": try accelerator.group.allGather([trainer.isWorldProcessZero ? 1 : 0] as [Int64]).map { $0[0] }])
}

/// A collate closure as a `DataCollator`.
struct ClosureCollatorBox: DataCollator {
    let body: @Sendable ([Row]) throws -> Batch
    init(_ body: @escaping @Sendable ([Row]) throws -> Batch) { self.body = body }
    func callAsFunction(_ features: [Row]) throws -> Batch { try body(features) }
}

let accelerator: Accelerator
do { accelerator = try Accelerator() } catch {
    FileHandle.standardError.write(Data("mpi-check: \(error)\n".utf8))
    exit(2)
}
do {
    switch arguments.first {
    case "shard": try shard(accelerator)
    case "train": try train(accelerator)
    case "trainer": try trainer(accelerator)
    case "fail":
        try train(accelerator, failing: (try intOption("rank", 1), option("how", "throw"), try intOption("at-step", 2)))
    default:
        throw TrainerError("usage: mpi-check shard | train | trainer | fail (see Sources/mpi-check/main.swift)")
    }
} catch {
    // The other ranks may be waiting in a collective: end the whole job, naming this rank.
    accelerator.group.abort("error: \(error)")
}
