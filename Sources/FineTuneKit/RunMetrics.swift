import Foundation
import Metrics
import Training

// The metrics Python's Trainer adds around a run, which the toolkit's Trainer leaves to its
// caller: runtime and throughput for train, evaluate and predict, and the epoch.

/// The train / eval metric dictionaries as run_glue and run_ner save them.
public enum RunMetrics {
    /// `train_runtime`, `train_samples_per_second`, `train_steps_per_second`, `train_loss`,
    /// `epoch`: the keys of Python's `train_result.metrics` (transformers 5 reports no `total_flos` there).
    public static func train(_ output: TrainOutput, rows: Int, started: Date, args: TrainingArguments) -> MetricResult {
        let runtime = Date().timeIntervalSince(started)
        // Python's speed_metrics: samples = rows × epochs trained; steps = the optimizer steps.
        let epochs = output.metrics["epoch"] ?? 0
        return MetricResult([
            ("epoch", .double(epochs)),
            ("train_loss", .double(output.trainingLoss)),
            ("train_runtime", .double(rounded4(runtime))),
            ("train_samples_per_second", .double(rounded3(Double(rows) * max(epochs, 0) / max(runtime, 1e-9)))),
            ("train_steps_per_second", .double(rounded3(Double(output.globalStep) / max(runtime, 1e-9)))),
        ])
    }

    /// An evaluation's metrics plus `<prefix>_runtime`, `<prefix>_samples_per_second`,
    /// `<prefix>_steps_per_second`, and `epoch` when given (Python's `evaluate` logs its metrics,
    /// which adds the epoch; `predict` does not, so pass nil there).
    public static func evaluation(_ metrics: MetricResult, prefix: String, rows: Int, started: Date, batch: Int,
                                  epoch: Double?) -> MetricResult {
        let runtime = Date().timeIntervalSince(started)
        let steps = (rows + max(batch, 1) - 1) / max(batch, 1)
        var out = metrics
        out[value: "\(prefix)_runtime"] = .double(rounded4(runtime))
        out[value: "\(prefix)_samples_per_second"] = .double(rounded3(Double(rows) / max(runtime, 1e-9)))
        out[value: "\(prefix)_steps_per_second"] = .double(rounded3(Double(steps) / max(runtime, 1e-9)))
        if let epoch { out[value: "epoch"] = .double(epoch) }
        return out
    }

    /// Python's `round(x, 4)` (runtime) and `round(x, 3)` (speeds).
    static func rounded4(_ x: Double) -> Double { (x * 10_000).rounded(.toNearestOrEven) / 10_000 }
    static func rounded3(_ x: Double) -> Double { (x * 1_000).rounded(.toNearestOrEven) / 1_000 }
}
