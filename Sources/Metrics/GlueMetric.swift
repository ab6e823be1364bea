// The GLUE metric, one task at a time, as `evaluate.load("glue", task)` reports it:
// CoLA → Matthews correlation; STS-B → Pearson and Spearman correlations of float scores;
// MRPC, QQP → accuracy and F1; every other task → accuracy.
//
// Class-id tasks take `[Int]` (the `Metric` conformance); STS-B takes `[Double]` through the
// float entry points (`addBatch(predictions: [Double], ...)`). Both queue into one float list,
// so a classification task also accepts whole-number floats and STS-B also accepts ints.

/// The GLUE metric for one task (`GlueMetric("mrpc")`, `GlueMetric("stsb")`).
public struct GlueMetric: Metric, Sendable {
    /// Class ids through the `Metric` protocol; float values through the `[Double]` overloads.
    public typealias Label = Int
    /// Every task `evaluate`'s glue metric knows, in its order.
    public static let tasks = ["sst2", "mnli", "mnli_mismatched", "mnli_matched", "cola", "stsb",
                               "mrpc", "qqp", "qnli", "rte", "wnli", "hans"]
    /// The GLUE task (`mrpc`, `stsb`, ...): it decides the scores.
    public let config: String
    // Everything queued, as floats: class ids convert exactly; compute() converts back.
    private var predictions: [Double] = [], references: [Double] = []
    /// `glue`.
    public var name: String { "glue" }
    /// True for STS-B, the one task scored on float values (a regression model's outputs).
    public var isRegression: Bool { config == "stsb" }

    /// The metric of GLUE task `config`; an unknown task is an error listing the known ones.
    public init(_ config: String) throws {
        guard Self.tasks.contains(config) else {
            throw MetricError("unknown GLUE task '\(config)'; use one of \(Self.tasks.joined(separator: ", "))")
        }
        self.config = config
    }

    /// Queues a batch of class ids (for STS-B, whole-number scores).
    public mutating func addBatch(predictions: [Int], references: [Int]) {
        self.predictions += predictions.map(Double.init); self.references += references.map(Double.init)
    }

    /// Queues a batch of float values: STS-B's similarity scores (a regression model's outputs
    /// and the 0–5 labels). For the other tasks the values must be whole class ids.
    public mutating func addBatch(predictions: [Double], references: [Double]) {
        self.predictions += predictions; self.references += references
    }

    /// Scores float predictions (plus anything queued), as `compute(predictions:references:)`
    /// does for class ids.
    public mutating func compute(predictions: [Double], references: [Double]) throws -> MetricResult {
        addBatch(predictions: predictions, references: references)
        return try compute()
    }

    /// The task's scores over everything queued, then clears the queue.
    public mutating func compute() throws -> MetricResult {
        defer { predictions = []; references = [] }
        if isRegression {
            // evaluate declares STS-B's columns float32, so values pass through Float first.
            let p = predictions.map { Double(Float($0)) }, r = references.map { Double(Float($0)) }
            return MetricResult([("pearson", .double(try pearsonr(p, r))),
                                 ("spearmanr", .double(try spearmanr(p, r)))])
        }
        let p = try classIds(predictions, "predictions"), r = try classIds(references, "references")
        switch config {
        case "cola":
            return MetricResult([("matthews_correlation", .double(try matthewsCorrcoef(references: r, predictions: p)))])
        case "mrpc", "qqp":
            let f1 = try precisionRecallFscore(references: r, predictions: p).f1
            return MetricResult([("accuracy", .double(try accuracyScore(references: r, predictions: p))),
                                 ("f1", .double(f1))])
        default:
            return MetricResult([("accuracy", .double(try accuracyScore(references: r, predictions: p)))])
        }
    }

    /// `values` as class ids; a fractional or out-of-range value means float scores reached a
    /// class-id task, which would otherwise be silently truncated.
    private func classIds(_ values: [Double], _ what: String) throws -> [Int] {
        try values.map { v in
            guard v.rounded() == v, let id = Int(exactly: v) else {
                throw MetricError("GLUE task '\(config)' scores class ids, but its \(what) hold \(v); "
                    + "take the argmax of the logits first (only stsb takes float scores)")
            }
            return id
        }
    }
}
