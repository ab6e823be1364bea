// Classification scores computed as scikit-learn computes them (accuracy_score,
// precision_recall_fscore_support with average binary/micro/macro; zero_division 0).

/// scikit-learn's `accuracy_score`: the fraction of predictions equal to their reference.
public func accuracyScore(references: [Int], predictions: [Int]) throws -> Double {
    try checkSameLength(references, predictions)
    guard !references.isEmpty else { throw MetricError("accuracy of no predictions is undefined: pass at least one") }
    let correct = zip(references, predictions).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    return Double(correct) / Double(references.count)
}

/// scikit-learn's `precision_recall_fscore_support` for one averaging mode.
/// - `binary`: scores of `positiveLabel` (labels must be at most two distinct values);
/// - `micro`: counts pooled over all labels; `macro`: unweighted mean over labels;
/// - `weighted`: mean weighted by each label's support.
public func precisionRecallFscore(references: [Int], predictions: [Int], average: Average = .binary,
                                  positiveLabel: Int = 1, zeroDivision: Double = 0) throws -> PRF {
    try checkSameLength(references, predictions)
    let labels = Array(Set(references).union(predictions)).sorted()
    var classes = labels
    if average == .binary {
        guard labels.count <= 2 else {
            throw MetricError("average: .binary needs at most two labels, got \(labels); "
                + "use .micro, .macro or .weighted for multiclass scores")
        }
        if !labels.isEmpty, !labels.contains(positiveLabel), labels.count == 2 {
            throw MetricError("positiveLabel \(positiveLabel) is not one of the labels \(labels)")
        }
        classes = [positiveLabel]
    }
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    var tp = [Int](repeating: 0, count: classes.count), pred = tp, act = tp
    for (r, p) in zip(references, predictions) {
        if let i = index[p] { pred[i] += 1; if r == p { tp[i] += 1 } }
        if let i = index[r] { act[i] += 1 }
    }
    if average == .micro {
        tp = [tp.reduce(0, +)]; pred = [pred.reduce(0, +)]; act = [act.reduce(0, +)]
    }
    let p = zip(tp, pred).map { divide($0, $1, zeroDivision: zeroDivision) }
    let r = zip(tp, act).map { divide($0, $1, zeroDivision: zeroDivision) }
    // scikit-learn ≥ 1.3 computes F1 from counts: 2·tp / (2·tp + fp + fn) = 2·tp / (actual + predicted).
    let f = tp.indices.map { divide(2 * tp[$0], act[$0] + pred[$0], zeroDivision: zeroDivision) }
    let support = act.reduce(0, +)
    switch average {
    case .binary, .micro:
        return PRF(precision: p.first ?? zeroDivision, recall: r.first ?? zeroDivision,
                   f1: f.first ?? zeroDivision, support: support)
    case .macro:
        return PRF(precision: numpyMean(p), recall: numpyMean(r), f1: numpyMean(f), support: support)
    case .weighted:
        let w = act.map(Double.init)
        guard support > 0 else { return PRF(precision: zeroDivision, recall: zeroDivision, f1: zeroDivision, support: 0) }
        return PRF(precision: numpyWeightedMean(p, weights: w), recall: numpyWeightedMean(r, weights: w),
                   f1: numpyWeightedMean(f, weights: w), support: support)
    }
}

private func checkSameLength(_ references: [Int], _ predictions: [Int]) throws {
    guard references.count == predictions.count else {
        throw MetricError("got \(predictions.count) predictions for \(references.count) references; "
            + "pass one prediction per reference")
    }
}

/// `evaluate.load("accuracy")`: `{'accuracy': ...}`.
public struct Accuracy: Metric, Sendable {
    private var predictions: [Int] = [], references: [Int] = []
    /// An accuracy metric with nothing queued.
    public init() {}
    public var name: String { "accuracy" }
    public mutating func addBatch(predictions: [Int], references: [Int]) {
        self.predictions += predictions; self.references += references
    }
    public mutating func compute() throws -> MetricResult {
        defer { predictions = []; references = [] }
        return MetricResult([("accuracy", .double(try accuracyScore(references: references, predictions: predictions)))])
    }
}

/// Which of precision, recall and F1 a `ClassificationScore` metric reports.
public enum ScoreKind: String, Sendable { case precision, recall, f1 }

/// `evaluate.load("precision" | "recall" | "f1")` with `average` (default binary).
public struct ClassificationScore: Metric, Sendable {
    /// Which score it reports: precision, recall or F1.
    public var kind: ScoreKind
    /// How per-class scores are combined (`.binary`: the positive class only).
    public var average: Average
    /// The class `.binary` scores (1: "paraphrase", "positive").
    public var positiveLabel: Int
    private var predictions: [Int] = [], references: [Int] = []
    /// A `kind` metric (`evaluate.load("f1")` is `ClassificationScore(.f1)`), nothing queued.
    public init(_ kind: ScoreKind, average: Average = .binary, positiveLabel: Int = 1) {
        self.kind = kind; self.average = average; self.positiveLabel = positiveLabel
    }
    public var name: String { kind.rawValue }
    public mutating func addBatch(predictions: [Int], references: [Int]) {
        self.predictions += predictions; self.references += references
    }
    public mutating func compute() throws -> MetricResult {
        defer { predictions = []; references = [] }
        let s = try precisionRecallFscore(references: references, predictions: predictions,
                                          average: average, positiveLabel: positiveLabel)
        let value = kind == .precision ? s.precision : kind == .recall ? s.recall : s.f1
        return MetricResult([(kind.rawValue, .double(value))])
    }
}

/// `evaluate.load("f1")`.
public func F1(average: Average = .binary) -> ClassificationScore { ClassificationScore(.f1, average: average) }
/// `evaluate.load("precision")`.
public func Precision(average: Average = .binary) -> ClassificationScore { ClassificationScore(.precision, average: average) }
/// `evaluate.load("recall")`.
public func Recall(average: Average = .binary) -> ClassificationScore { ClassificationScore(.recall, average: average) }
