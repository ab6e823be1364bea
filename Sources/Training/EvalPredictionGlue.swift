import Metrics

// run_glue's `compute_metrics` (transformers' text-classification example) as one call, so a
// Trainer on a GLUE task or on one's own CSV reports what the Python script reports:
//   - predictions: argmax of the logits, or for a regression model its outputs [N];
//   - with a GLUE task: that task's metric, plus `combined_score` (the mean of the scores)
//     when it has more than one (MRPC, QQP: accuracy and F1; STS-B: Pearson and Spearman);
//   - without a task: `mse` for regression, else `accuracy` (both float32 means, as NumPy
//     computes them on the float32 arrays the script holds).

extension EvalPrediction {
    /// The scores run_glue's `compute_metrics` returns for `task` (`"mrpc"`, `"stsb"`, ...; nil for
    /// one's own data): `{'accuracy', 'f1', 'combined_score'}`, `{'pearson', 'spearmanr',
    /// 'combined_score'}`, `{'matthews_correlation'}`, `{'accuracy'}` or `{'mse'}`.
    ///
    ///     trainer.computeMetrics = { try $0.glueMetrics(task: "stsb") }
    public func glueMetrics(task: String?) throws -> MetricResult {
        let regression = floatLabelIds != nil
        var result: MetricResult
        if let task {
            var metric = try GlueMetric(task)
            if regression {
                result = try metric.compute(predictions: predictionValues, references: labelValues ?? [])
            } else {
                result = try metric.compute(predictions: argmaxPredictions.values, references: try classLabels())
            }
            let scores = result.compactMap { entry -> Double? in
                if case .double(let x) = entry.value { return x } else { return nil }
            }
            if scores.count > 1 {
                result[value: "combined_score"] = .double(scores.reduce(0, +) / Double(scores.count))
            }
            return result
        }
        if regression {
            let labels = labelValues ?? []
            guard labels.count == predictionValues.count, !labels.isEmpty else {
                throw TrainerError("mse needs one float label per prediction: got \(labels.count) labels for "
                    + "\(predictionValues.count) outputs")
            }
            let total = zip(predictionValues, labels).reduce(0.0) { let d = Double(Float($1.0 - $1.1)); return $0 + d * d }
            return MetricResult([("mse", .double(Double(Float(total / Double(labels.count)))))])
        }
        let predictions = argmaxPredictions.values, labels = try classLabels()
        guard labels.count == predictions.count, !labels.isEmpty else {
            throw TrainerError("accuracy needs one label per prediction: got \(labels.count) labels for \(predictions.count)")
        }
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        return MetricResult([("accuracy", .double(Double(Float(correct) / Float(labels.count))))])
    }

    /// The class-id labels [N]; an error for token-level labels, which GLUE does not score.
    private func classLabels() throws -> [Int] {
        guard let labelIds else { throw TrainerError("the GLUE metrics need labels: the evaluation rows have none") }
        guard labelIds.shape.count == 1 else {
            throw TrainerError("the GLUE metrics score one label per row, but the labels are \(labelIds.shape) "
                + "(token classification: use seqeval)")
        }
        return labelIds.values
    }
}
