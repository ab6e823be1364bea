// The shape every metric shares, as in the Python `evaluate` library: accumulate batches with
// `addBatch`, then `compute()`; or `compute(predictions:references:)` in one call.

/// A metric over predictions and references of type `Label` ([String] sentences for seqeval,
/// Int class ids for accuracy and F1).
public protocol Metric<Label> {
    /// What one prediction is: an `Int` class id, or a `[String]` sentence of tags for seqeval.
    associatedtype Label
    /// The name `evaluate` uses (`accuracy`, `f1`, `seqeval`, `glue`).
    var name: String { get }
    /// Queues a batch for the next `compute()`.
    mutating func addBatch(predictions: [Label], references: [Label])
    /// Scores everything queued, then clears the queue.
    mutating func compute() throws -> MetricResult
}

extension Metric {
    /// Scores these predictions (plus anything queued with `addBatch`).
    public mutating func compute(predictions: [Label], references: [Label]) throws -> MetricResult {
        addBatch(predictions: predictions, references: references)
        return try compute()
    }
}

/// Several metrics over the same predictions, merged into one result in order
/// (`evaluate.combine(["accuracy", "f1"])`).
public struct CombinedMetrics<Label>: Metric {
    /// The metrics, in the order their keys appear in the result.
    public var metrics: [any Metric<Label>]
    /// One metric computing all of `metrics` (see `combine`).
    public init(_ metrics: [any Metric<Label>]) { self.metrics = metrics }
    public var name: String { metrics.map(\.name).joined(separator: "+") }

    public mutating func addBatch(predictions: [Label], references: [Label]) {
        for i in metrics.indices { metrics[i].addBatch(predictions: predictions, references: references) }
    }

    public mutating func compute() throws -> MetricResult {
        var result = MetricResult()
        for i in metrics.indices { result.update(with: try metrics[i].compute()) }
        return result
    }
}

/// `evaluate.combine`: one metric computing all of `metrics`.
public func combine<Label>(_ metrics: [any Metric<Label>]) -> CombinedMetrics<Label> {
    CombinedMetrics(metrics)
}
