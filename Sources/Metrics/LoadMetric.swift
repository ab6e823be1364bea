// Metrics by name, as Python's `evaluate.load("glue", "mrpc")` and
// `evaluate.combine(["accuracy", "f1"])` give them: one type, `EvaluationModule`, whatever the
// metric, so a chapter can hold any of them in one variable and print what it is.

/// A metric loaded by name (Python `evaluate.EvaluationModule`), over class ids or, for the
/// correlation metrics and GLUE's STS-B, over float values.
///
///     var metric = try loadMetric("glue", "mrpc")
///     print(try metric.compute(predictions: [0, 1, 1], references: [0, 1, 0]))
///     // {'accuracy': 0.6666666666666666, 'f1': 0.6666666666666666}
///     var stsb = try loadMetric("glue", "stsb")
///     print(try stsb.compute(predictions: [0.5, 2.0, 4.5], references: [1.0, 2.5, 4.0]))
public struct EvaluationModule: Metric, CustomStringConvertible {
    /// Class ids through the `Metric` protocol; float values through the `[Double]` overloads.
    public typealias Label = Int
    /// `accuracy`, `f1`, `glue`, ... (`accuracy+f1` for a combination).
    public let name: String
    /// The configuration (`mrpc`), if the metric has one.
    public let config: String?
    private(set) var scorer: Scorer
    // Float values queued on a class-id metric: reported by compute(), since addBatch cannot throw.
    private var misuse: MetricError?

    /// What the module wraps: class-id metrics, float metrics, or GLUE (which takes both).
    enum Scorer {
        case classes(any Metric<Int>)
        case values(any Metric<Double>)
        case glue(GlueMetric)
    }

    init(name: String, config: String?, scorer: Scorer) {
        self.name = name
        self.config = config
        self.scorer = scorer
    }

    init(name: String, config: String?, metric: any Metric<Int>) {
        self.init(name: name, config: config, scorer: .classes(metric))
    }

    /// True when the metric scores float values (`pearsonr`, `spearmanr`, GLUE `stsb`).
    public var takesFloats: Bool {
        switch scorer {
        case .classes: return false
        case .values: return true
        case .glue(let g): return g.isRegression
        }
    }

    /// Queues a batch of class ids (a float metric takes them as values).
    public mutating func addBatch(predictions: [Int], references: [Int]) {
        switch scorer {
        case .classes(var m): m.addBatch(predictions: predictions, references: references); scorer = .classes(m)
        case .values(var m):
            m.addBatch(predictions: predictions.map(Double.init), references: references.map(Double.init))
            scorer = .values(m)
        case .glue(var g): g.addBatch(predictions: predictions, references: references); scorer = .glue(g)
        }
    }

    /// Queues a batch of float values: a regression model's outputs and their references.
    /// A class-id metric (accuracy, F1, ...) rejects them at `compute()`.
    public mutating func addBatch(predictions: [Double], references: [Double]) {
        switch scorer {
        case .classes:
            misuse = misuse ?? MetricError("the \(name) metric scores class ids, not float values; "
                + "take the argmax of the logits first, or use a float metric (pearsonr, spearmanr, glue stsb)")
        case .values(var m): m.addBatch(predictions: predictions, references: references); scorer = .values(m)
        case .glue(var g): g.addBatch(predictions: predictions, references: references); scorer = .glue(g)
        }
    }

    /// Scores float predictions (plus anything queued): `pearsonr`, `spearmanr`, GLUE `stsb`.
    public mutating func compute(predictions: [Double], references: [Double]) throws -> MetricResult {
        addBatch(predictions: predictions, references: references)
        return try compute()
    }

    /// Scores everything queued, then clears the queue.
    public mutating func compute() throws -> MetricResult {
        if let error = misuse {
            misuse = nil
            // Drop what was queued with the bad batch, so the next compute starts clean.
            _ = try? scorerCompute()
            throw error
        }
        return try scorerCompute()
    }

    private mutating func scorerCompute() throws -> MetricResult {
        switch scorer {
        case .classes(var m): defer { scorer = .classes(m) }; return try m.compute()
        case .values(var m): defer { scorer = .values(m) }; return try m.compute()
        case .glue(var g): defer { scorer = .glue(g) }; return try g.compute()
        }
    }

    /// `EvaluationModule(name: "glue", config: "mrpc")`.
    public var description: String {
        "EvaluationModule(name: \"\(name)\"" + (config.map { ", config: \"\($0)\"" } ?? "") + ")"
    }
}

/// The metrics `loadMetric` knows, with the configurations each accepts.
public let loadableMetrics = ["accuracy", "precision", "recall", "f1", "matthews_correlation", "pearsonr",
                               "spearmanr", "glue"]

/// `evaluate.load(name, config)`: `accuracy`, `precision`, `recall`, `f1` (binary, positive
/// label 1, as `evaluate` computes them by default), `matthews_correlation`, `pearsonr` and
/// `spearmanr` (float values), or `glue` with a task (`mrpc`, `sst2`, `cola`, `stsb`, ...).
/// Throws a `MetricError` naming the known metrics or tasks.
public func loadMetric(_ name: String, _ config: String? = nil) throws -> EvaluationModule {
    let scorer: EvaluationModule.Scorer
    switch name {
    case "accuracy": scorer = .classes(Accuracy())
    case "precision": scorer = .classes(Precision())
    case "recall": scorer = .classes(Recall())
    case "f1": scorer = .classes(F1())
    case "matthews_correlation": scorer = .classes(MatthewsCorrelation())
    case "pearsonr": scorer = .values(PearsonCorrelation())
    case "spearmanr": scorer = .values(SpearmanCorrelation())
    case "glue":
        guard let config else {
            throw MetricError("the glue metric needs a task: loadMetric(\"glue\", \"mrpc\") (or \"sst2\", \"cola\", \"stsb\", ...)")
        }
        scorer = .glue(try GlueMetric(config))
    case "seqeval":
        throw MetricError("seqeval scores tag sequences, not class ids: use Seqeval() (see chapter 1)")
    default:
        throw MetricError("no metric named '\(name)'; known: \(loadableMetrics.joined(separator: ", "))")
    }
    if config != nil, name != "glue" {
        throw MetricError("the \(name) metric takes no configuration, got '\(config ?? "")'; use loadMetric(\"\(name)\")")
    }
    return EvaluationModule(name: name, config: config, scorer: scorer)
}

/// `evaluate.combine(["accuracy", "f1", ...])`: one metric computing all of them over the same
/// predictions, their results merged in order. Float metrics combine with float metrics
/// (`["pearsonr", "spearmanr"]`).
public func combine(_ names: [String]) throws -> EvaluationModule {
    guard !names.isEmpty else { throw MetricError("combine needs at least one metric name, e.g. [\"accuracy\", \"f1\"]") }
    let combined = combine(try names.map { try loadMetric($0) })
    return EvaluationModule(name: names.joined(separator: "+"), config: nil, scorer: combined.scorer)
}

/// `evaluate.combine` of metrics already loaded (`combine([loadMetric("accuracy"), loadMetric("f1")])`).
/// When every module scores floats the combination does too.
public func combine(_ modules: [EvaluationModule]) -> EvaluationModule {
    let name = modules.map(\.name).joined(separator: "+")
    if !modules.isEmpty, modules.allSatisfy(\.takesFloats) {
        let floats: [any Metric<Double>] = modules.map { FloatModule(module: $0) }
        return EvaluationModule(name: name, config: nil, scorer: .values(CombinedMetrics(floats)))
    }
    return EvaluationModule(name: name, config: nil, metric: CombinedMetrics(modules.map { $0 as any Metric<Int> }))
}

/// A float-scoring module seen as a `Metric<Double>`, so float metrics can be combined.
private struct FloatModule: Metric {
    var module: EvaluationModule
    var name: String { module.name }
    mutating func addBatch(predictions: [Double], references: [Double]) {
        module.addBatch(predictions: predictions, references: references)
    }
    mutating func compute() throws -> MetricResult { try module.compute() }
}
