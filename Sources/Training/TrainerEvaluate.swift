import Datasets
import Foundation
import Hub
import Metrics
import Models
import Tensor

/// What `computeMetrics` receives (Python `EvalPrediction`).
///
/// - `predictions`: logits [N, L] (sequence classification) or [N, T, L] (token
///   classification; T is the longest batch, shorter rows padded with -100 as Python pads).
/// - `labelIds`: [N] or [N, T] (-100 where a token is ignored or padded); nil without labels
///   and for a regression model, whose labels are `floatLabelIds` [N] (or [N·L]) instead.
///
/// For regression (STS-B) the predictions are the model's outputs [N, 1]:
///
///     var stsb = try loadMetric("glue", "stsb")
///     trainer.computeMetrics = { p in try stsb.compute(predictions: p.predictionValues, references: p.labelValues ?? []) }
public struct EvalPrediction: Sendable {
    /// The logits: [N, L], or [N, T, L] for tokens (a regression model's outputs: [N, 1]).
    public let predictions: Tensor
    /// The labels: [N], or [N, T] for tokens; nil without labels or for a regression model.
    public let labelIds: BatchTensor?
    /// A regression model's float labels, [N] (row-major [N·L] for L outputs); nil otherwise.
    public let floatLabelIds: [Float]?

    /// Predictions and labels as the Trainer gathers them.
    public init(predictions: Tensor, labelIds: BatchTensor?, floatLabelIds: [Float]? = nil) {
        self.predictions = predictions
        self.labelIds = labelIds
        self.floatLabelIds = floatLabelIds
    }

    /// The predictions as floats, row-major (`np.squeeze(predictions)` of a regression model: [N]).
    public var predictionValues: [Double] {
        (0..<predictions.count).map { Double(predictions.data[$0]) }
    }

    /// `floatLabelIds` as Doubles, for the float metrics (`pearsonr`, GLUE `stsb`); nil without them.
    public var labelValues: [Double]? { floatLabelIds?.map(Double.init) }

    /// `predictions.argmax(-1)`: [N] or [N, T] class ids (ties pick the first).
    public var argmaxPredictions: BatchTensor {
        let l = predictions.shape.last ?? 1
        let outer = Array(predictions.shape.dropLast())
        var ids = [Int](repeating: 0, count: predictions.count / max(1, l))
        for i in ids.indices {
            let row = predictions.data + i * l
            var best = 0
            for j in 1..<max(1, l) where row[j] > row[best] { best = j }
            ids[i] = best
        }
        return BatchTensor(shape: outer, values: ids)
    }
}

/// What `predict` returns (Python `PredictionOutput`): the logits, the labels, and the
/// metrics with the `test_` prefix (`test_loss`, `test_f1`, ...).
public struct PredictionOutput: Sendable {
    /// The logits: [N, L], or [N, T, L] for tokens (padded with -100).
    public let predictions: Tensor
    /// The labels: [N], or [N, T] for tokens; nil without labels or for a regression model.
    public let labelIds: BatchTensor?
    /// A regression model's float labels [N]; nil otherwise.
    public let floatLabelIds: [Float]?
    /// `test_loss` and the `computeMetrics` scores with the `test_` prefix.
    public let metrics: MetricResult
}

extension Trainer {
    /// Evaluates on `evalDataset` (default: the Trainer's) in eval mode (no dropout) and returns
    /// `eval_loss` (the mean over rows of the batch losses, as Python weighs them) and the
    /// `computeMetrics` scores, all prefixed `eval_`. Logged in `state.logHistory`.
    @discardableResult
    public func evaluate(_ evalDataset: Dataset? = nil, metricKeyPrefix: String = "eval") throws -> MetricResult {
        guard let dataset = evalDataset ?? self.evalDataset else {
            throw TrainerError("evaluate needs an evalDataset: pass one to the Trainer or to evaluate(_:)")
        }
        let output = try timedPredictionLoop(dataset, description: "Evaluation", metricKeyPrefix: metricKeyPrefix)
        var entry: [String: Double] = ["epoch": state.epoch, "step": Double(state.globalStep)]
        for (key, value) in output.metrics { if case .double(let x) = value { entry[key] = x } }
        try log(entry)
        control.shouldEvaluate = false
        try callbackEvent { try $0.onEvaluate(args: args, state: state, control: &$1, metrics: output.metrics) }
        return output.metrics
    }

    /// Predicts `testDataset`: logits, labels (if the rows have them) and `test_` metrics
    /// (with `test_runtime`, `test_samples_per_second`, `test_steps_per_second`, as Python's).
    public func predict(_ testDataset: Dataset, metricKeyPrefix: String = "test") throws -> PredictionOutput {
        try timedPredictionLoop(testDataset, description: "Prediction", metricKeyPrefix: metricKeyPrefix)
    }

    /// `predictionLoop` with Python's speed metrics added after the others: `<prefix>_runtime`,
    /// `_samples_per_second`, `_steps_per_second` (batches of `perDeviceEvalBatchSize` × ranks).
    func timedPredictionLoop(_ dataset: Dataset, description: String, metricKeyPrefix: String) throws -> PredictionOutput {
        let start = Date()
        let output = try predictionLoop(dataset, description: description, metricKeyPrefix: metricKeyPrefix)
        let perStep = max(1, args.perDeviceEvalBatchSize * group.size)
        let steps = (dataset.count + perStep - 1) / perStep
        var metrics = output.metrics
        let speeds = Self.speedMetrics(metricKeyPrefix, since: start, samples: Double(dataset.count), steps: Double(steps))
        for key in ["runtime", "samples_per_second", "steps_per_second"].map({ metricKeyPrefix + "_" + $0 }) {
            if let value = speeds[key] { metrics[value: key] = .double(value) }
        }
        return PredictionOutput(predictions: output.predictions, labelIds: output.labelIds,
                                floatLabelIds: output.floatLabelIds, metrics: metrics)
    }

    /// Runs the model over `dataset` and returns every row's logits and labels in dataset order.
    /// A regression model's labels are floats and its loss the mean-squared error.
    ///
    /// The numbers are those of Python's loop over batches of `perDeviceEvalBatchSize` rows in
    /// order, but the model runs the rows sorted by length (when the dataset has the
    /// `args.lengthColumnName` list column), so a batch pads to little more than its own rows:
    /// on CoNLL-2003 validation that is about half the tokens. Rows do not interact in eval mode,
    /// so each row's logits are the same either way; `eval_loss` is rebuilt from per-row sums
    /// of token losses into the mean over the in-order batches that Python reports.
    func predictionLoop(_ dataset: Dataset, description: String, metricKeyPrefix: String) throws -> PredictionOutput {
        guard dataset.count > 0 else { throw TrainerError("the \(description.lowercased()) dataset has no rows") }
        let rows = try cachedForwardRows(dataset) { try forwardRows(dataset, description: description) }
        var metrics = MetricResult()
        if let loss = rows.loss { metrics[value: metricKeyPrefix + "_loss"] = .double(loss) }
        if let computeMetrics, rows.labelIds != nil || rows.floatLabelIds != nil {
            let scores = try computeMetrics(EvalPrediction(predictions: rows.predictions, labelIds: rows.labelIds,
                                                           floatLabelIds: rows.floatLabelIds))
            for (key, value) in scores {
                let name = key.hasPrefix(metricKeyPrefix + "_") ? key : metricKeyPrefix + "_" + key
                metrics[value: name] = value
            }
        }
        return PredictionOutput(predictions: rows.predictions, labelIds: rows.labelIds, floatLabelIds: rows.floatLabelIds,
                                metrics: metrics)
    }

    /// The model's part of `predictionLoop`: every row's logits and labels in dataset order,
    /// and Python's `eval_loss` (nil without labels).
    func forwardRows(_ dataset: Dataset, description: String) throws -> ForwardRows {
        datasetForwardPasses += 1
        let restorePrecision = try model.enterBF16(args.bf16)
        defer { restorePrecision() }
        let wasTraining = model.training
        model.eval()
        defer { if wasTraining { model.train() } }
        // After eval(): quantising sets eval mode, and leaving it first restores train mode above.
        let restoreQuantization = try model.enterQuantization(args.evalQuantization)
        defer { restoreQuantization() }
        let n = dataset.count, bs = args.perDeviceEvalBatchSize
        // Under MPI the in-order batches are dealt round-robin over the ranks and the rows gathered
        // after the loop (`gatherPredictionRows`): each batch is the one a single process runs.
        let ranks = group.size, rank = group.rank
        let bar = args.disableTqdm || !isWorldProcessZero ? nil
            : ProgressBar(total: Int64(((n + bs - 1) / bs + ranks - 1) / ranks), description: description)
        let lengths = try? rowLengths(dataset)
        let order = lengths.map { l in (0..<n).sorted { l[$0] != l[$1] ? l[$0] > l[$1] : $0 < $1 } } ?? Array(0..<n)
        // Per row (in dataset order): its T (1 for sequence labels) and T·L logits, its labels
        // (class ids or regression targets, both exact as Float), and the sum and count of its
        // token losses (squared errors for regression).
        let regression = model.config.isRegression
        var logits = [(t: Int, values: [Float])](repeating: (0, []), count: n)
        var labels = [[Float]](repeating: [], count: n)
        var rowLoss = [(sum: Double, count: Int)](repeating: (0, 0), count: n)
        var haveLabels = true, labelShape2D = false
        var numLabels = 0
        var tokenLevel = false // logits [B, T, L] rather than [B, L]
        var computed: [Int] = []
        for (j, start) in stride(from: 0, to: n, by: bs).enumerated() where j % ranks == rank {
            let indices = Array(order[start..<min(n, start + bs)])
            computed += indices
            let rows = try indices.map { try dataset[$0] }
            let batch = try dataCollator(rows)
            let out = try model.withNoGrad { try model.forward(batch.input, labels: nil) }
            let perRow = out.logits.count / rows.count
            numLabels = out.logits.shape.last ?? 0
            tokenLevel = out.logits.shape.count == 3
            // A row keeps only its own tokens: what lies past them is padding of this batch.
            let t = tokenLevel ? out.logits.shape[1] : 1
            for (i, row) in indices.enumerated() {
                let own = tokenLevel ? min(t, lengths?[row] ?? t) : 1
                logits[row] = (own, Array(UnsafeBufferPointer(start: out.logits.data + i * perRow, count: own * numLabels)))
            }
            if batch.floatLabels != nil, !regression {
                throw TrainerError("the \(description.lowercased()) rows have float labels but the model classifies into "
                    + "\(model.config.numLabels) classes: for regression load the model with num_labels 1")
            }
            if let l = batch.floatLabels ?? batch.labels?.map(Float.init), let shape = batch.labelsShape {
                labelShape2D = shape.count == 2
                let per = l.count / rows.count
                for (i, row) in indices.enumerated() {
                    let own = labelShape2D ? logits[row].t : per
                    labels[row] = Array(l[(i * per)..<(i * per + own)])
                    if regression, labels[row].count != logits[row].values.count {
                        throw TrainerError("the model has \(numLabels) regression outputs but row \(row) has "
                            + "\(labels[row].count) labels: give one float label per output")
                    }
                    rowLoss[row] = regression ? Self.squaredErrorSum(logits[row].values, labels[row])
                        : try Self.crossEntropySum(logits[row].values, labels: labels[row].map { Int32($0) }, numLabels: numLabels)
                }
            } else {
                haveLabels = false
            }
            bar?.advance()
        }
        bar?.finish()
        if ranks > 1 {
            var rows = PredictionRows(logits: logits, labels: labels, rowLoss: rowLoss, haveLabels: haveLabels,
                                      labelShape2D: labelShape2D, numLabels: numLabels, tokenLevel: tokenLevel)
            try gatherPredictionRows(&rows, computed: computed)
            (logits, labels, rowLoss) = (rows.logits, rows.labels, rows.rowLoss)
            (haveLabels, labelShape2D, numLabels, tokenLevel) = (rows.haveLabels, rows.labelShape2D, rows.numLabels, rows.tokenLevel)
        }
        // Python's eval_loss: each in-order batch's mean token loss, weighted by its rows.
        var lossSum = 0.0, lossRows = 0
        if haveLabels {
            for start in stride(from: 0, to: n, by: bs) {
                let batch = rowLoss[start..<min(n, start + bs)]
                let count = batch.reduce(0) { $0 + $1.count }
                guard count > 0 else { continue }
                lossSum += batch.reduce(0) { $0 + $1.sum } / Double(count) * Double(batch.count)
                lossRows += batch.count
            }
        }
        let maxT = logits.map(\.t).max() ?? 1
        // Concatenate, padding shorter rows with -100 like Python's nested concat.
        let predictions = Tensor(shape: tokenLevel ? [n, maxT, numLabels] : [n, numLabels])
        let perRow = (tokenLevel ? maxT : 1) * numLabels
        predictions.data.update(repeating: -100, count: predictions.count)
        for (i, row) in logits.enumerated() {
            row.values.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { predictions.data.advanced(by: i * perRow).update(from: base, count: src.count) }
            }
        }
        var labelIds: BatchTensor?
        var floatLabelIds: [Float]?
        if haveLabels, regression {
            floatLabelIds = labels.flatMap { $0 }
        } else if haveLabels {
            if labelShape2D {
                labelIds = BatchTensor(shape: [n, maxT], values: labels.flatMap { row in
                    row.map { Int($0) } + Array(repeating: -100, count: maxT - row.count)
                })
            } else {
                labelIds = BatchTensor(shape: [n], values: labels.flatMap { $0.map { Int($0) } })
            }
        }
        return ForwardRows(predictions: predictions, labelIds: labelIds, floatLabelIds: floatLabelIds,
                           loss: lossRows > 0 ? lossSum / Double(lossRows) : nil)
    }

    /// Σ (output − target)² over a row's values and their count: the regression loss's parts.
    static func squaredErrorSum(_ outputs: [Float], _ targets: [Float]) -> (sum: Double, count: Int) {
        guard outputs.count == targets.count else { return (0, 0) }
        var sum = 0.0
        for (x, y) in zip(outputs, targets) { let d = Double(x - y); sum += d * d }
        return (sum, targets.count)
    }

    /// Σ −log softmax(logits)[label] over the positions whose label is not -100, and their count:
    /// the model's own cross-entropy kernel on one row. logits: [T, L] (T = labels.count).
    static func crossEntropySum(_ logits: [Float], labels: [Int32], numLabels l: Int) throws -> (sum: Double, count: Int) {
        if let bad = labels.first(where: { $0 != ignoreIndex && ($0 < 0 || Int($0) >= l) }) {
            throw TrainerError("label id \(bad) is out of range for a model with \(l) labels (ids 0..<\(l), or -100 "
                + "to ignore a position): check the dataset's labels against the model's id2label")
        }
        guard !labels.isEmpty, logits.count == labels.count * l else { return (0, 0) }
        var probs = [Float](repeating: 0, count: logits.count)
        let (mean, count) = try logits.withUnsafeBufferPointer { x in
            try labels.withUnsafeBufferPointer { y in
                try probs.withUnsafeMutableBufferPointer { p in
                    try crossEntropyForward(probs: p.baseAddress!, logits: x.baseAddress!, targets: y.baseAddress!,
                                            n: labels.count, l: l)
                }
            }
        }
        return (Double(mean) * Double(count), count)
    }
}
