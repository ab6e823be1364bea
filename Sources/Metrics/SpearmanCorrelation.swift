// Spearman's rank correlation as SciPy's `spearmanr` reports it: Pearson's correlation of the
// ranks, tied values sharing the average of the ranks they span (`rankdata(method="average")`).

/// SciPy's `rankdata(values)`: 1-based ranks, ties given the mean of their ranks
/// (`[10, 20, 20, 30]` → `[1, 2.5, 2.5, 4]`).
public func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        // [start, end) is one run of equal values in sorted order: ranks start+1 ... end.
        var end = start + 1
        while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
        let rank = Double(start + 1 + end) / 2
        for k in start..<end { ranks[order[k]] = rank }
        start = end
    }
    return ranks
}

/// SciPy's `spearmanr(x, y).statistic`: NaN when either input is constant.
/// Throws for different lengths, fewer than two values, or a NaN input (SciPy propagates it;
/// here it is almost always a diverged model, better named than silently scored).
public func spearmanr(_ x: [Double], _ y: [Double]) throws -> Double {
    guard !x.contains(where: \.isNaN), !y.contains(where: \.isNaN) else {
        throw MetricError("spearmanr got a NaN value: check the model's predictions (a diverged regression head?)")
    }
    guard x.count == y.count else {
        throw MetricError("spearmanr got \(x.count) predictions for \(y.count) references; pass one prediction per reference")
    }
    return try pearsonr(averageRanks(x), averageRanks(y))
}

/// `evaluate.load("spearmanr")`: `{'spearmanr': ...}` over float predictions and references
/// (rounded to float32 first, as `evaluate` stores them).
public struct SpearmanCorrelation: Metric, Sendable {
    private var predictions: [Double] = [], references: [Double] = []
    /// A Spearman correlation metric with nothing queued.
    public init() {}
    /// `spearmanr`.
    public var name: String { "spearmanr" }
    /// Queues a batch of values (regression outputs and their references).
    public mutating func addBatch(predictions: [Double], references: [Double]) {
        self.predictions += predictions; self.references += references
    }
    /// `{'spearmanr': ...}` over everything queued, then clears the queue.
    public mutating func compute() throws -> MetricResult {
        defer { predictions = []; references = [] }
        // evaluate declares the columns float32, so values pass through Float first.
        let p = predictions.map { Double(Float($0)) }, r = references.map { Double(Float($0)) }
        return MetricResult([("spearmanr", .double(try spearmanr(p, r)))])
    }
}
