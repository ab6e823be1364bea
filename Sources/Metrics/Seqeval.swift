import Foundation

// The seqeval metric as the Hugging Face course uses it through `evaluate.load("seqeval")`.

/// Entity-level precision, recall and F1 for tag sequences (NER, chunking), plus token accuracy.
///
///     var metric = Seqeval()
///     let result = try metric.compute(predictions: [["B-PER", "I-PER", "O"]],
///                                     references: [["B-PER", "I-PER", "O"]])
///     // {'PER': {'precision': 1.0, 'recall': 1.0, 'f1': 1.0, 'number': 1}, 'overall_precision': 1.0, ...}
///
/// The result keeps Python's key order: entity types sorted, then `overall_precision`,
/// `overall_recall`, `overall_f1`, `overall_accuracy`.
public struct Seqeval: Metric, Sendable {
    public var name: String { "seqeval" }
    /// How strictly tags make entities (`.default`: conlleval-compatible, lenient about stray I- tags).
    public var mode: SeqevalMode
    /// The tagging scheme `.strict` mode checks entities against.
    public var scheme: TaggingScheme
    /// The score used where a ratio has a zero denominator (seqeval's `zero_division`, default 0).
    public var zeroDivision: Double

    private var predictions: [[String]] = []
    private var references: [[String]] = []

    /// A seqeval metric with nothing queued (Python `evaluate.load("seqeval")`).
    public init(mode: SeqevalMode = .default, scheme: TaggingScheme = .iob2, zeroDivision: Double = 0) {
        self.mode = mode
        self.scheme = scheme
        self.zeroDivision = zeroDivision
    }

    /// Queues a batch of sentences ([N][T_n] tags each) for the next `compute()`.
    public mutating func addBatch(predictions: [[String]], references: [[String]]) {
        self.predictions += predictions
        self.references += references
    }

    /// Scores everything added with `addBatch`, then forgets it (like `evaluate`).
    public mutating func compute() throws -> MetricResult {
        defer { predictions = []; references = [] }
        return try score(predictions: predictions, references: references)
    }

    /// Scores these sentences (plus anything queued with `addBatch`).
    public mutating func compute(predictions: [[String]], references: [[String]]) throws -> MetricResult {
        addBatch(predictions: predictions, references: references)
        return try compute()
    }

    func score(predictions: [[String]], references: [[String]]) throws -> MetricResult {
        let counts = try EntityCounts(references: references, predictions: predictions, mode: mode, scheme: scheme)
        var result = MetricResult()
        for (name, row) in zip(counts.typeNames, counts.perType(zeroDivision: zeroDivision)) {
            result[value: name] = .nested(MetricResult([
                ("precision", .double(row.precision)), ("recall", .double(row.recall)),
                ("f1", .double(row.f1)), ("number", .int(row.support)),
            ]))
        }
        let overall = counts.averaged(.micro, zeroDivision: zeroDivision)
        result[value: "overall_precision"] = .double(overall.precision)
        result[value: "overall_recall"] = .double(overall.recall)
        result[value: "overall_f1"] = .double(overall.f1)
        result[value: "overall_accuracy"] = .double(try tokenAccuracy(predictions: predictions, references: references))
        return result
    }
}

/// Fraction of tokens whose tag is right, over all sentences (seqeval's `accuracy_score`).
public func tokenAccuracy(predictions: [[String]], references: [[String]]) throws -> Double {
    var correct = 0, total = 0
    for (p, r) in zip(predictions, references) {
        guard p.count == r.count else {
            throw MetricError("a sentence has \(p.count) predicted tags but \(r.count) reference tags")
        }
        for (a, b) in zip(p, r) where a == b { correct += 1 }
        total += r.count
    }
    guard total > 0 else { throw MetricError("accuracy of no tokens is undefined: pass at least one tag") }
    return Double(correct) / Double(total)
}

/// seqeval's `classification_report`: one row per entity type, then micro, macro and weighted
/// averages, formatted exactly as the Python text (`digits` decimals).
/// - Parameters: references, predictions: [N][T_n] tags.
public func classificationReport(references: [[String]], predictions: [[String]], digits: Int = 2,
                                 mode: SeqevalMode = .default, scheme: TaggingScheme = .iob2,
                                 zeroDivision: Double = 0) throws -> String {
    let counts = try EntityCounts(references: references, predictions: predictions, mode: mode, scheme: scheme)
    guard let nameWidth = counts.typeNames.map({ $0.unicodeScalars.count }).max() else {
        throw MetricError("no entities in predictions or references, so there is nothing to report")
    }
    let width = max(nameWidth, "weighted avg".count, digits)
    func pad(_ s: String, _ w: Int) -> String {
        String(repeating: " ", count: max(0, w - s.unicodeScalars.count)) + s
    }
    func row(_ name: String, _ s: PRF) -> String {
        pad(name, width) + " "
            + [s.precision, s.recall, s.f1].map { " " + pad(String(format: "%.\(digits)f", $0), 9) }.joined()
            + " " + pad(String(s.support), 9)
    }
    var lines: [String] = []
    for (name, s) in zip(counts.typeNames, counts.perType(zeroDivision: zeroDivision)) { lines.append(row(name, s)) }
    lines.append("")
    for avg in [Average.micro, .macro, .weighted] {
        lines.append(row("\(avg.rawValue) avg", counts.averaged(avg, zeroDivision: zeroDivision)))
    }
    lines.append("")
    let header = pad("", width) + " " + ["precision", "recall", "f1-score", "support"].map { " " + pad($0, 9) }.joined()
    return header + "\n\n" + lines.joined(separator: "\n")
}

extension MetricResult {
    /// seqeval's micro-averaged entity F1 (`result["overall_f1"]`), or nil if absent.
    public var overallF1: Double? { self["overall_f1"] }
    /// seqeval's micro-averaged entity precision (`result["overall_precision"]`), or nil if absent.
    public var overallPrecision: Double? { self["overall_precision"] }
    /// seqeval's micro-averaged entity recall (`result["overall_recall"]`), or nil if absent.
    public var overallRecall: Double? { self["overall_recall"] }
    /// seqeval's token accuracy (`result["overall_accuracy"]`), or nil if absent.
    public var overallAccuracy: Double? { self["overall_accuracy"] }
}

extension Seqeval {
    /// Label ids to tag strings, dropping positions whose reference is `ignoreIndex` (the -100
    /// that marks special tokens and non-first sub-tokens): the `compute_metrics` step of the
    /// course, before `compute(predictions:references:)`.
    /// - Parameters: predictions, references: [N][T] label ids (T may vary per sentence).
    public static func tags(predictions: [[Int]], references: [[Int]], labelNames: [String],
                            ignoreIndex: Int = -100) throws -> (predictions: [[String]], references: [[String]]) {
        guard predictions.count == references.count else {
            throw MetricError("got \(predictions.count) predicted sequences for \(references.count) references")
        }
        var preds: [[String]] = [], refs: [[String]] = []
        for (n, (p, r)) in zip(predictions, references).enumerated() {
            guard p.count == r.count else {
                throw MetricError("sequence \(n) has \(p.count) predictions but \(r.count) labels")
            }
            var ps: [String] = [], rs: [String] = []
            for (a, b) in zip(p, r) where b != ignoreIndex {
                guard labelNames.indices.contains(a), labelNames.indices.contains(b) else {
                    throw MetricError("label id \(labelNames.indices.contains(a) ? b : a) in sequence \(n) is not in "
                        + "0..<\(labelNames.count); pass the label names the model was trained with")
                }
                ps.append(labelNames[a]); rs.append(labelNames[b])
            }
            preds.append(ps); refs.append(rs)
        }
        return (preds, refs)
    }
}
