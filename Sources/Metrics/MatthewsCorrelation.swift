// The Matthews correlation coefficient as scikit-learn's `matthews_corrcoef` computes it (the
// multiclass form from the confusion matrix), and the `evaluate` metric around it (GLUE's CoLA).

/// scikit-learn's `matthews_corrcoef`: +1 perfect, 0 no better than chance, -1 inverted.
/// With K classes, C the K×K confusion matrix (rows: references, columns: predictions),
/// t = row sums, p = column sums, c = trace, s = count:
/// `(c·s − t·p) / √((s² − p·p)(s² − t·t))`, and 0 when the denominator is 0 (a constant
/// prediction or reference), as scikit-learn returns.
public func matthewsCorrcoef(references: [Int], predictions: [Int]) throws -> Double {
    guard references.count == predictions.count else {
        throw MetricError("got \(predictions.count) predictions for \(references.count) references; "
            + "pass one prediction per reference")
    }
    guard !references.isEmpty else {
        throw MetricError("the Matthews correlation of no predictions is undefined: pass at least one")
    }
    // Per-class counts: t[k] references of class k, p[k] predictions of class k.
    var t: [Int: Int] = [:], p: [Int: Int] = [:]
    var correct = 0
    for (r, q) in zip(references, predictions) {
        t[r, default: 0] += 1
        p[q, default: 0] += 1
        if r == q { correct += 1 }
    }
    // Doubles: exact for counts up to 2^53, and the products below stay far from overflow.
    let s = Double(references.count)
    let tp = t.reduce(0.0) { $0 + Double($1.value) * Double(p[$1.key] ?? 0) }
    let pp = p.values.reduce(0.0) { $0 + Double($1) * Double($1) }
    let tt = t.values.reduce(0.0) { $0 + Double($1) * Double($1) }
    let covTP = Double(correct) * s - tp
    let covPP = s * s - pp
    let covTT = s * s - tt
    guard covPP * covTT != 0 else { return 0 }
    return covTP / (covTT * covPP).squareRoot()
}

/// `evaluate.load("matthews_correlation")`: `{'matthews_correlation': ...}` over class ids.
public struct MatthewsCorrelation: Metric, Sendable {
    private var predictions: [Int] = [], references: [Int] = []
    /// A Matthews correlation metric with nothing queued.
    public init() {}
    /// `matthews_correlation`.
    public var name: String { "matthews_correlation" }
    /// Queues a batch of class ids.
    public mutating func addBatch(predictions: [Int], references: [Int]) {
        self.predictions += predictions; self.references += references
    }
    /// `{'matthews_correlation': ...}` over everything queued, then clears the queue.
    public mutating func compute() throws -> MetricResult {
        defer { predictions = []; references = [] }
        let mcc = try matthewsCorrcoef(references: references, predictions: predictions)
        return MetricResult([("matthews_correlation", .double(mcc))])
    }
}
