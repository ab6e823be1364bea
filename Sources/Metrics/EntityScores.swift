import PythonStyle
// Precision, recall and F1 over entity spans, computed as seqeval computes them.

/// Per-type entity counts (types in Python's sorted order) and the scores derived from them.
struct EntityCounts {
    var typeNames: [String]
    var truePositives: [Int]
    var predicted: [Int]
    var actual: [Int]

    /// Counts per type: a predicted span is a true positive if the same type covers the same tokens.
    init(references: [[String]], predictions: [[String]], mode: SeqevalMode, scheme: TaggingScheme) throws {
        guard references.count == predictions.count else {
            throw MetricError("predictions and references must have the same number of sentences: "
                + "got \(predictions.count) and \(references.count)")
        }
        for (i, (r, p)) in zip(references, predictions).enumerated() where r.count != p.count {
            throw MetricError("sentence \(i) has \(p.count) predicted tags but \(r.count) reference tags; "
                + "predictions must be aligned with the references token by token")
        }
        var types = TypeTable()
        let extract = mode == .strict ? strictIOB2Entities : defaultModeEntities
        let trueSpans = try extract(references, &types)
        let predSpans = try extract(predictions, &types)
        let trueSet = Set(trueSpans)
        var tp = [Int](repeating: 0, count: types.names.count)
        var pred = tp, act = tp
        var seen = Set<Int>()
        for s in trueSpans { act[s.type] += 1; seen.insert(s.type) }
        for s in predSpans {
            pred[s.type] += 1
            seen.insert(s.type)
            if trueSet.contains(s) { tp[s.type] += 1 }
        }
        let ordered = pythonSorted(seen.map { types.names[$0] })
        let index = Dictionary(uniqueKeysWithValues: types.names.enumerated().map { ($1, $0) })
        typeNames = ordered
        truePositives = ordered.map { tp[index[$0]!] }
        predicted = ordered.map { pred[index[$0]!] }
        actual = ordered.map { act[index[$0]!] }
    }
}

/// One row of scores: precision, recall, F1 and support (number of reference entities).
public struct PRF: Sendable, Equatable {
    /// Correct predictions over all predictions (the zero-division value when there are none).
    public var precision: Double
    /// Correct predictions over all references (the zero-division value when there are none).
    public var recall: Double
    /// The harmonic mean of precision and recall.
    public var f1: Double
    /// Number of references (entities, or rows of the class).
    public var support: Int
}

/// How per-type scores are averaged (seqeval / scikit-learn `average=`).
public enum Average: String, Sendable {
    /// Counts pooled over all types, then one score.
    case micro
    /// Unweighted mean of per-type scores.
    case macro
    /// Mean of per-type scores weighted by support.
    case weighted
    /// Scores of the positive class only (scikit-learn, binary labels).
    case binary
}

/// tp / denominator, or `zeroDivision` where the denominator is 0 (seqeval's `_prf_divide`).
func divide(_ n: Int, _ d: Int, zeroDivision: Double) -> Double {
    d == 0 ? zeroDivision : Double(n) / Double(d)
}

/// F1 as seqeval computes it from precision and recall: 2·p·r / (p + r), 0 when both are 0.
func seqevalF1(_ p: Double, _ r: Double) -> Double {
    let denom = p + r
    return 2.0 * p * r / (denom == 0 ? 1 : denom)
}

extension EntityCounts {
    /// Scores of each type, in `typeNames` order.
    func perType(zeroDivision: Double) -> [PRF] {
        typeNames.indices.map { i in
            let p = divide(truePositives[i], predicted[i], zeroDivision: zeroDivision)
            let r = divide(truePositives[i], actual[i], zeroDivision: zeroDivision)
            return PRF(precision: p, recall: r, f1: seqevalF1(p, r), support: actual[i])
        }
    }

    /// Averaged scores (micro, macro or weighted), the way seqeval's NumPy code averages them.
    func averaged(_ average: Average, zeroDivision: Double) -> PRF {
        let support = actual.reduce(0, +)
        switch average {
        case .micro, .binary:
            let tp = truePositives.reduce(0, +), pred = predicted.reduce(0, +)
            let p = divide(tp, pred, zeroDivision: zeroDivision)
            let r = divide(tp, support, zeroDivision: zeroDivision)
            return PRF(precision: p, recall: r, f1: seqevalF1(p, r), support: support)
        case .macro:
            let rows = perType(zeroDivision: zeroDivision)
            return PRF(precision: numpyMean(rows.map(\.precision)), recall: numpyMean(rows.map(\.recall)),
                       f1: numpyMean(rows.map(\.f1)), support: support)
        case .weighted:
            if support == 0 {
                let none = predicted.reduce(0, +) == 0
                return PRF(precision: none ? zeroDivision : 0, recall: zeroDivision,
                           f1: none ? zeroDivision : 0, support: 0)
            }
            let rows = perType(zeroDivision: zeroDivision)
            let w = actual.map(Double.init)
            return PRF(precision: numpyWeightedMean(rows.map(\.precision), weights: w),
                       recall: numpyWeightedMean(rows.map(\.recall), weights: w),
                       f1: numpyWeightedMean(rows.map(\.f1), weights: w), support: support)
        }
    }
}
