import Foundation
import Metrics
import Models

/// Stops training when `metricForBestModel` has not improved for `patience` evaluations in a
/// row (Python `EarlyStoppingCallback(early_stopping_patience, early_stopping_threshold)`).
///
/// An evaluation counts as an improvement when its value beats `state.bestMetric` (in the
/// direction of `greaterIsBetter`) by more than `threshold`. The best metric is the Trainer's
/// best-checkpoint bookkeeping, updated when a checkpoint is saved: evaluate and save at the
/// same steps (as `loadBestModelAtEnd` requires) so every evaluation is compared with the best so far.
///
///     let args = TrainingArguments("out", evalStrategy: .steps, evalSteps: 50, saveStrategy: .steps, saveSteps: 50,
///                                  loadBestModelAtEnd: true, metricForBestModel: "accuracy")
///     let trainer = try Trainer(..., callbacks: [EarlyStoppingCallback(patience: 2)])
public final class EarlyStoppingCallback: TrainerCallback {
    /// Evaluations in a row without an improvement after which training stops.
    public let patience: Int
    /// How much better than the best metric a value must be to count as an improvement.
    public let threshold: Double
    /// Evaluations in a row without an improvement.
    public private(set) var patienceCounter = 0

    /// Stops after `patience` evaluations without an improvement of more than `threshold`.
    public init(patience: Int = 1, threshold: Double = 0) {
        self.patience = patience
        self.threshold = threshold
    }

    public func onTrainBegin(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                             model: any BertClassifier) throws {
        guard patience >= 1 else { throw TrainerError("EarlyStoppingCallback needs patience ≥ 1, got \(patience)") }
        guard threshold >= 0 else { throw TrainerError("EarlyStoppingCallback needs threshold ≥ 0, got \(threshold)") }
        guard args.metricForBestModel != nil else {
            throw TrainerError("EarlyStoppingCallback needs metricForBestModel (e.g. \"accuracy\" or \"loss\") in the TrainingArguments")
        }
        guard args.evalStrategy != .no else {
            throw TrainerError("EarlyStoppingCallback needs evaluations: set evalStrategy to .steps or .epoch")
        }
        guard args.saveStrategy != .no else {
            throw TrainerError("EarlyStoppingCallback compares with the best checkpoint's metric: set saveStrategy "
                + "to the same strategy as evalStrategy")
        }
        if !args.loadBestModelAtEnd {
            FileHandle.standardError.write(Data(("warning: EarlyStoppingCallback without loadBestModelAtEnd: the model "
                + "at the end is the last one, not the best\n").utf8))
        }
        patienceCounter = 0
    }

    public func onEvaluate(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                           metrics: MetricResult) throws {
        guard let key = args.bestMetricKey else { return }
        guard let value = metrics[key] else {
            throw TrainerError("EarlyStoppingCallback: '\(key)' is not among the evaluation metrics \(metrics.keys); "
                + "set metricForBestModel to one of them")
        }
        if let best = state.bestMetric {
            let better = args.biggerIsBetter ? value > best : value < best
            patienceCounter = better && abs(value - best) > threshold ? 0 : patienceCounter + 1
        } else {
            patienceCounter = 0
        }
        if patienceCounter >= patience { control.shouldTrainingStop = true }
    }
}
