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
/// - `labelIds`: [N] or [N, T] (-100 where a token is ignored or padded); nil without labels.
public struct EvalPrediction: Sendable {
    public let predictions: Tensor
    public let labelIds: BatchTensor?

    public init(predictions: Tensor, labelIds: BatchTensor?) {
        self.predictions = predictions
        self.labelIds = labelIds
    }

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
    public let predictions: Tensor
    public let labelIds: BatchTensor?
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
        let output = try predictionLoop(dataset, description: "Evaluation", metricKeyPrefix: metricKeyPrefix)
        var entry: [String: Double] = ["epoch": state.epoch, "step": Double(state.globalStep)]
        for (key, value) in output.metrics { if case .double(let x) = value { entry[key] = x } }
        state.logHistory.append(entry)
        return output.metrics
    }

    /// Predicts `testDataset`: logits, labels (if the rows have them) and `test_` metrics.
    public func predict(_ testDataset: Dataset, metricKeyPrefix: String = "test") throws -> PredictionOutput {
        try predictionLoop(testDataset, description: "Prediction", metricKeyPrefix: metricKeyPrefix)
    }

    /// Runs the model over `dataset` in order, in batches of `perDeviceEvalBatchSize`.
    func predictionLoop(_ dataset: Dataset, description: String, metricKeyPrefix: String) throws -> PredictionOutput {
        guard dataset.count > 0 else { throw TrainerError("the \(description.lowercased()) dataset has no rows") }
        let wasTraining = model.training
        model.eval()
        defer { if wasTraining { model.train() } }
        let n = dataset.count, bs = args.perDeviceEvalBatchSize
        let bar = args.disableTqdm ? nil : ProgressBar(total: Int64((n + bs - 1) / bs), description: description)
        var lossSum = 0.0, lossRows = 0
        var logits: [(t: Int, values: [Float])] = [] // per row: T (1 for sequence labels) and T·L logits
        var labels: [[Int32]] = []
        var labelShape2D = false
        var numLabels = 0
        var tokenLevel = false // logits [B, T, L] rather than [B, L]
        for start in stride(from: 0, to: n, by: bs) {
            let rows = try (start..<min(n, start + bs)).map { try dataset[$0] }
            let batch = try dataCollator(rows)
            let out = try model.forward(batch.input, labels: batch.labels)
            if let loss = out.loss { lossSum += Double(loss) * Double(rows.count); lossRows += rows.count }
            let perRow = out.logits.count / rows.count
            numLabels = out.logits.shape.last ?? 0
            tokenLevel = out.logits.shape.count == 3
            let t = tokenLevel ? out.logits.shape[1] : 1
            for i in 0..<rows.count {
                logits.append((t, Array(UnsafeBufferPointer(start: out.logits.data + i * perRow, count: perRow))))
            }
            if let l = batch.labels, let shape = batch.labelsShape {
                labelShape2D = shape.count == 2
                let per = l.count / rows.count
                for i in 0..<rows.count { labels.append(Array(l[(i * per)..<((i + 1) * per)])) }
            }
            bar?.advance()
        }
        bar?.finish()
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
        if labels.count == n {
            if labelShape2D {
                labelIds = BatchTensor(shape: [n, maxT], values: labels.flatMap { row in
                    row.map(Int.init) + Array(repeating: -100, count: maxT - row.count)
                })
            } else {
                labelIds = BatchTensor(shape: [n], values: labels.flatMap { $0.map(Int.init) })
            }
        }
        var metrics = MetricResult()
        if lossRows > 0 { metrics[value: metricKeyPrefix + "_loss"] = .double(lossSum / Double(lossRows)) }
        if let computeMetrics, let labelIds {
            let scores = try computeMetrics(EvalPrediction(predictions: predictions, labelIds: labelIds))
            for (key, value) in scores {
                let name = key.hasPrefix(metricKeyPrefix + "_") ? key : metricKeyPrefix + "_" + key
                metrics[value: name] = value
            }
        }
        return PredictionOutput(predictions: predictions, labelIds: labelIds, metrics: metrics)
    }
}
