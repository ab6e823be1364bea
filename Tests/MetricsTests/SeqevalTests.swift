import Foundation
import Testing
@testable import Metrics

// Parity with PyPI seqeval 1.2.2 (through the `evaluate` wrapper's key layout) on the cases
// written by Scripts/fixtures/data_metrics_fixtures.py: every number must be equal, not close.

/// Checks a Swift seqeval result against the Python one, key by key and in order.
func expectSameResult(_ result: MetricResult, _ python: PythonSeqeval, _ label: String) {
    let overallKeys = ["overall_precision", "overall_recall", "overall_f1", "overall_accuracy"]
    #expect(result.keys == python.types.map(\.name) + overallKeys, "\(label): keys")
    for entry in python.types {
        let scores = result.scores(entry.name)
        #expect(scores?["precision"] == entry.scores.precision, "\(label): \(entry.name).precision")
        #expect(scores?["recall"] == entry.scores.recall, "\(label): \(entry.name).recall")
        #expect(scores?["f1"] == entry.scores.f1, "\(label): \(entry.name).f1")
        #expect(scores?["number"] == Double(entry.scores.number), "\(label): \(entry.name).number")
    }
    #expect(result.overallPrecision == python.overall_precision, "\(label): overall_precision")
    #expect(result.overallRecall == python.overall_recall, "\(label): overall_recall")
    #expect(result.overallF1 == python.overall_f1, "\(label): overall_f1")
    #expect(result.overallAccuracy == python.overall_accuracy, "\(label): overall_accuracy")
}

struct CasesFile<Case: Decodable>: Decodable { var cases: [Case] }

let seqevalCases: [SeqevalFixtureCase] =
    (try? loadFixture("seqeval_cases.json", as: CasesFile<SeqevalFixtureCase>.self).cases) ?? []

extension SeqevalFixtureCase: CustomTestStringConvertible, @unchecked Sendable {
    var testDescription: String { name }
}

@Test func seqevalFixtureIsPresent() {
    #expect(seqevalCases.count == 14)
}

@Test("seqeval parity with Python", arguments: seqevalCases)
func seqevalParity(_ c: SeqevalFixtureCase) throws {
    var metric = Seqeval()
    expectSameResult(try metric.compute(predictions: c.predictions, references: c.references), c.default,
                     "\(c.name) default")
    for digits in [2, 4] {
        if case let text?? = c.default_report[String(digits)] {
            #expect(try classificationReport(references: c.references, predictions: c.predictions, digits: digits) == text)
        } else {
            #expect(throws: MetricError.self) {
                try classificationReport(references: c.references, predictions: c.predictions)
            }
        }
    }

    var strict = Seqeval(mode: .strict, scheme: .iob2)
    if c.strict_error != nil {
        #expect(throws: MetricError.self) { try strict.compute(predictions: c.predictions, references: c.references) }
        return
    }
    let python = try #require(c.strict)
    expectSameResult(try strict.compute(predictions: c.predictions, references: c.references), python,
                     "\(c.name) strict")
    for digits in [2, 4] {
        if case let text?? = c.strict_report?[String(digits)] {
            #expect(try classificationReport(references: c.references, predictions: c.predictions,
                                             digits: digits, mode: .strict) == text)
        }
    }
}

@Test func addBatchThenComputeEqualsOneCall() throws {
    let refs = [["B-PER", "I-PER", "O"], ["B-LOC", "O"], ["I-ORG", "I-ORG"]]
    let preds = [["B-PER", "O", "O"], ["B-LOC", "O"], ["B-ORG", "I-ORG"]]
    var once = Seqeval()
    let expected = try once.compute(predictions: preds, references: refs)
    var incremental = Seqeval()
    for i in refs.indices { incremental.addBatch(predictions: [preds[i]], references: [refs[i]]) }
    #expect(try incremental.compute() == expected)
    // compute() clears the queue, as `evaluate` does: with nothing queued there are no tokens.
    #expect(throws: MetricError.self) { try incremental.compute() }
}

@Test func printsLikeThePythonDictionary() throws {
    var metric = Seqeval()
    let result = try metric.compute(predictions: [["B-PER", "I-PER", "O", "B-LOC"]],
                                    references: [["B-PER", "I-PER", "O", "B-ORG"]])
    #expect(result.description == "{'LOC': {'precision': 0.0, 'recall': 0.0, 'f1': 0.0, 'number': 0}, "
        + "'ORG': {'precision': 0.0, 'recall': 0.0, 'f1': 0.0, 'number': 1}, "
        + "'PER': {'precision': 1.0, 'recall': 1.0, 'f1': 1.0, 'number': 1}, "
        + "'overall_precision': 0.5, 'overall_recall': 0.5, 'overall_f1': 0.5, 'overall_accuracy': 0.75}")
    #expect(result.overallF1 == 0.5)
}

@Test func misalignedInputIsAnErrorNamingTheSentence() {
    var metric = Seqeval()
    let error = #expect(throws: MetricError.self) {
        try metric.compute(predictions: [["O"], ["B-PER", "O"]], references: [["O"], ["B-PER"]])
    }
    #expect(error?.description.contains("sentence 1") == true)
}

@Test func numpyPairwiseSumMatchesNumPyOrder() {
    // For fewer than 8 values NumPy adds left to right; from 8 on it keeps 8 partial sums.
    let values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    let r = Array(values.prefix(8))
    let expected = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + 0.9
    #expect(numpySum(values) == expected)
    #expect(numpySum([0.1, 0.2, 0.3]) == 0.1 + 0.2 + 0.3)
}

@Test("seqeval on the whole CoNLL-2003 validation split",
      .enabled(if: mirrorRoot != nil, "needs the data mirror (COURSE_MIRROR or ../shared/mirror)"))
func seqevalValidationSplit() throws {
    let root = try #require(mirrorRoot)
    let refs = try conllTags(root.appendingPathComponent("datasets/conll2003/valid.txt"))
    let fixture = try loadFixture("seqeval_validation.json", as: SeqevalValidationFixture.self)
    #expect(refs.count == fixture.sentences)
    var preds = refs
    for e in fixture.edits { preds[e.sentence][e.token] = e.tag }
    var metric = Seqeval()
    expectSameResult(try metric.compute(predictions: preds, references: refs), fixture.default, "validation default")
    var strict = Seqeval(mode: .strict)
    expectSameResult(try strict.compute(predictions: preds, references: refs), fixture.strict, "validation strict")
    #expect(try classificationReport(references: refs, predictions: preds, digits: 4) == fixture.report)
    #expect(try classificationReport(references: refs, predictions: preds, digits: 4, mode: .strict)
        == fixture.strict_report)
}

@Test func labelIdsBecomeTagsWithoutIgnoredPositions() throws {
    let names = ["O", "B-PER", "I-PER"]
    let (preds, refs) = try Seqeval.tags(predictions: [[0, 1, 2, 2, 0]], references: [[-100, 1, 2, -100, 0]],
                                         labelNames: names)
    #expect(preds == [["B-PER", "I-PER", "O"]])
    #expect(refs == [["B-PER", "I-PER", "O"]])
    #expect(throws: MetricError.self) { try Seqeval.tags(predictions: [[3]], references: [[0]], labelNames: names) }
    #expect(throws: MetricError.self) { try Seqeval.tags(predictions: [[0, 1]], references: [[0]], labelNames: names) }
}
