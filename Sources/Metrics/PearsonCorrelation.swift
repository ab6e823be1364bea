// Pearson's linear correlation as SciPy's `pearsonr` reports it (the statistic, not the
// p-value), and the `evaluate` metric around it (GLUE's STS-B reports it as `pearson`).

/// SciPy's `pearsonr(x, y).statistic`: the cosine of the two centred vectors, clipped to
/// [-1, 1]. NaN when either input is constant (SciPy warns and returns NaN too).
/// Throws for different lengths or fewer than two values.
public func pearsonr(_ x: [Double], _ y: [Double]) throws -> Double {
    guard x.count == y.count else {
        throw MetricError("pearsonr got \(x.count) predictions for \(y.count) references; pass one prediction per reference")
    }
    guard x.count >= 2 else {
        throw MetricError("pearsonr needs at least two values, got \(x.count)")
    }
    let xm = centred(x), ym = centred(y)
    let nx = norm(xm), ny = norm(ym)
    // A constant input has no direction: the correlation is undefined.
    guard nx > 0, ny > 0 else { return .nan }
    // Normalising before the dot product keeps large inputs from overflowing, as SciPy does.
    var r = 0.0
    for i in xm.indices { r += (xm[i] / nx) * (ym[i] / ny) }
    return min(max(r, -1), 1)
}

/// `values` minus their mean.
private func centred(_ values: [Double]) -> [Double] {
    let mean = numpyMean(values)
    return values.map { $0 - mean }
}

/// The Euclidean norm, scaled by the largest magnitude so squares cannot overflow.
private func norm(_ values: [Double]) -> Double {
    let scale = values.reduce(0) { max($0, abs($1)) }
    guard scale > 0 else { return 0 }
    return scale * values.reduce(0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
}

/// `evaluate.load("pearsonr")`: `{'pearsonr': ...}` over float predictions and references
/// (rounded to float32 first, as `evaluate` stores them).
public struct PearsonCorrelation: Metric, Sendable {
    private var predictions: [Double] = [], references: [Double] = []
    /// A Pearson correlation metric with nothing queued.
    public init() {}
    /// `pearsonr`.
    public var name: String { "pearsonr" }
    /// Queues a batch of values (regression outputs and their references).
    public mutating func addBatch(predictions: [Double], references: [Double]) {
        self.predictions += predictions; self.references += references
    }
    /// `{'pearsonr': ...}` over everything queued, then clears the queue.
    public mutating func compute() throws -> MetricResult {
        defer { predictions = []; references = [] }
        // evaluate declares the columns float32, so values pass through Float first.
        let p = predictions.map { Double(Float($0)) }, r = references.map { Double(Float($0)) }
        return MetricResult([("pearsonr", .double(try pearsonr(p, r)))])
    }
}
