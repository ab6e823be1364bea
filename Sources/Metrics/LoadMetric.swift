// Metrics by name, as Python's `evaluate.load("glue", "mrpc")` and
// `evaluate.combine(["accuracy", "f1"])` give them: one type, `EvaluationModule`, whatever the
// metric, so a chapter can hold any of them in one variable and print what it is.

/// A metric loaded by name (Python `evaluate.EvaluationModule`), over class ids.
///
///     var metric = try loadMetric("glue", "mrpc")
///     print(try metric.compute(predictions: [0, 1, 1], references: [0, 1, 0]))
///     // {'accuracy': 0.6666666666666666, 'f1': 0.6666666666666666}
public struct EvaluationModule: Metric, CustomStringConvertible {
    /// `accuracy`, `f1`, `glue`, ... (`accuracy+f1` for a combination).
    public let name: String
    /// The configuration (`mrpc`), if the metric has one.
    public let config: String?
    private var metric: any Metric<Int>

    init(name: String, config: String?, metric: any Metric<Int>) {
        self.name = name
        self.config = config
        self.metric = metric
    }

    public mutating func addBatch(predictions: [Int], references: [Int]) {
        metric.addBatch(predictions: predictions, references: references)
    }

    public mutating func compute() throws -> MetricResult { try metric.compute() }

    /// `EvaluationModule(name: "glue", config: "mrpc")`.
    public var description: String {
        "EvaluationModule(name: \"\(name)\"" + (config.map { ", config: \"\($0)\"" } ?? "") + ")"
    }
}

/// The metrics `loadMetric` knows, with the configurations each accepts.
public let loadableMetrics = ["accuracy", "precision", "recall", "f1", "glue"]

/// `evaluate.load(name, config)`: `accuracy`, `precision`, `recall`, `f1` (binary, positive
/// label 1, as `evaluate` computes them by default) or `glue` with a task (`mrpc`, `sst2`, ...).
/// Throws a `MetricError` naming the known metrics or tasks.
public func loadMetric(_ name: String, _ config: String? = nil) throws -> EvaluationModule {
    let metric: any Metric<Int>
    switch name {
    case "accuracy": metric = Accuracy()
    case "precision": metric = Precision()
    case "recall": metric = Recall()
    case "f1": metric = F1()
    case "glue":
        guard let config else {
            throw MetricError("the glue metric needs a task: loadMetric(\"glue\", \"mrpc\") (or \"sst2\", \"qqp\", ...)")
        }
        metric = try GlueMetric(config)
    case "seqeval":
        throw MetricError("seqeval scores tag sequences, not class ids: use Seqeval() (see chapter 1)")
    default:
        throw MetricError("no metric named '\(name)'; known: \(loadableMetrics.joined(separator: ", "))")
    }
    if config != nil, name != "glue" {
        throw MetricError("the \(name) metric takes no configuration, got '\(config ?? "")'; use loadMetric(\"\(name)\")")
    }
    return EvaluationModule(name: name, config: config, metric: metric)
}

/// `evaluate.combine(["accuracy", "f1", ...])`: one metric computing all of them over the same
/// predictions, their results merged in order.
public func combine(_ names: [String]) throws -> EvaluationModule {
    guard !names.isEmpty else { throw MetricError("combine needs at least one metric name, e.g. [\"accuracy\", \"f1\"]") }
    let metrics: [any Metric<Int>] = try names.map { try loadMetric($0) }
    return EvaluationModule(name: names.joined(separator: "+"), config: nil, metric: CombinedMetrics(metrics))
}

/// `evaluate.combine` of metrics already loaded (`combine([loadMetric("accuracy"), loadMetric("f1")])`).
public func combine(_ modules: [EvaluationModule]) -> EvaluationModule {
    EvaluationModule(name: modules.map(\.name).joined(separator: "+"), config: nil,
                     metric: CombinedMetrics(modules.map { $0 as any Metric<Int> }))
}
