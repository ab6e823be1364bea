import Foundation
import Testing
@testable import Metrics

// Parity with scikit-learn on the cases written by Scripts/fixtures/data_metrics_fixtures.py.

@Test func classificationParityWithScikitLearn() throws {
    let cases = try loadFixture("classification_cases.json", as: CasesFile<ClassificationFixtureCase>.self).cases
    #expect(cases.count == 5)
    for c in cases {
        let (y, p) = (c.references, c.predictions)
        #expect(try accuracyScore(references: y, predictions: p) == c.accuracy, "\(c.name)")
        let expected: [(Average, [Double]?)] = [(.micro, c.micro), (.macro, c.macro), (.weighted, c.weighted),
                                                (.binary, c.binary)]
        for (avg, values) in expected {
            guard let values else { continue }
            let s = try precisionRecallFscore(references: y, predictions: p, average: avg)
            #expect([s.precision, s.recall, s.f1] == values, "\(c.name) \(avg)")
        }
    }
}

@Test func glueMrpcReportsAccuracyAndF1() throws {
    var glue = try GlueMetric("mrpc")
    glue.addBatch(predictions: [1, 1, 0], references: [1, 0, 0])
    glue.addBatch(predictions: [1], references: [1])
    let result = try glue.compute()
    #expect(result.keys == ["accuracy", "f1"])
    #expect(result["accuracy"] == 0.75)
    #expect(result["f1"] == 0.8)  // tp 2, fp 1, fn 0: 4 / 5
    #expect(result.description == "{'accuracy': 0.75, 'f1': 0.8}")
    var sst2 = try GlueMetric("sst2")
    #expect(try sst2.compute(predictions: [1, 0], references: [1, 1]).description == "{'accuracy': 0.5}")
    #expect(throws: MetricError.self) { try GlueMetric("nope") }
}

@Test func combineMergesResultsInOrder() throws {
    var metric = combine([Accuracy(), F1(), Precision(), Recall()])
    let r = try metric.compute(predictions: [1, 0, 1, 1], references: [1, 0, 0, 1])
    #expect(r.keys == ["accuracy", "f1", "precision", "recall"])
    #expect(r["precision"] == 2.0 / 3.0)
    #expect(r["recall"] == 1.0)
    #expect(metric.name == "accuracy+f1+precision+recall")
}

@Test func badClassificationInputIsAnError() {
    #expect(throws: MetricError.self) { try accuracyScore(references: [1, 0], predictions: [1]) }
    #expect(throws: MetricError.self) { try accuracyScore(references: [], predictions: []) }
    #expect(throws: MetricError.self) { try precisionRecallFscore(references: [0, 1, 2], predictions: [0, 1, 2]) }
}
