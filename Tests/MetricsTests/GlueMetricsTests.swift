import Metrics
import Testing

// The GLUE metrics against scikit-learn and SciPy (Scripts/fixtures/metrics_glue_fixtures.py):
// Matthews for CoLA, Pearson and Spearman for STS-B, every task through loadMetric("glue", task).

struct GlueFixture: Decodable {
    struct Correlation: Decodable {
        var name: String
        var predictions, references: [Double]
        // nil: SciPy's NaN (a constant input).
        var pearson, spearman, pearson_f32, spearman_f32: Double?
    }
    struct Matthews: Decodable {
        var name: String
        var predictions, references: [Int]
        var mcc: Double
    }
    struct Glue: Decodable {
        struct Entry: Decodable {
            var key: String, value: Double
            init(from decoder: Decoder) throws {
                var c = try decoder.unkeyedContainer()
                key = try c.decode(String.self); value = try c.decode(Double.self)
            }
        }
        var task: String
        var predictions, references: [Int]
        var result: [Entry]
    }
    var correlation_cases: [Correlation]
    var matthews_cases: [Matthews]
    var glue_cases: [Glue]
}

let glueFixture: GlueFixture? = try? loadFixture("glue_metrics.json")

/// Equal within 1e-9, or both NaN (the fixture's null).
func close(_ got: Double?, _ expected: Double?) -> Bool {
    guard let expected else { return got?.isNaN == true }
    guard let got else { return false }
    return abs(got - expected) <= 1e-9
}

@Test func pearsonAndSpearmanMatchScipy() throws {
    let fixture = try #require(glueFixture)
    for c in fixture.correlation_cases {
        let p = try pearsonr(c.predictions, c.references), s = try spearmanr(c.predictions, c.references)
        #expect(close(p, c.pearson), "\(c.name): pearsonr \(p), SciPy \(String(describing: c.pearson))")
        #expect(close(s, c.spearman), "\(c.name): spearmanr \(s), SciPy \(String(describing: c.spearman))")
        // The metrics score float32-rounded values, as evaluate does.
        var pm = PearsonCorrelation(), sm = SpearmanCorrelation()
        #expect(close(try pm.compute(predictions: c.predictions, references: c.references)["pearsonr"], c.pearson_f32), "\(c.name)")
        #expect(close(try sm.compute(predictions: c.predictions, references: c.references)["spearmanr"], c.spearman_f32), "\(c.name)")
        var stsb = try loadMetric("glue", "stsb")
        let result = try stsb.compute(predictions: c.predictions, references: c.references)
        #expect(result.keys == ["pearson", "spearmanr"])
        #expect(close(result["pearson"], c.pearson_f32) && close(result["spearmanr"], c.spearman_f32), "\(c.name)")
    }
}

@Test func matthewsMatchesScikitLearn() throws {
    let fixture = try #require(glueFixture)
    for c in fixture.matthews_cases {
        let mcc = try matthewsCorrcoef(references: c.references, predictions: c.predictions)
        #expect(close(mcc, c.mcc), "\(c.name): \(mcc), scikit-learn \(c.mcc)")
        var metric = try loadMetric("matthews_correlation")
        #expect(close(try metric.compute(predictions: c.predictions, references: c.references)["matthews_correlation"], c.mcc))
    }
}

@Test func everyClassIdGlueTaskMatches() throws {
    let fixture = try #require(glueFixture)
    for c in fixture.glue_cases {
        var metric = try loadMetric("glue", c.task)
        let result = try metric.compute(predictions: c.predictions, references: c.references)
        #expect(result.keys == c.result.map(\.key), "\(c.task)")
        for e in c.result { #expect(close(result[e.key], e.value), "\(c.task) \(e.key)") }
    }
}

@Test func averageRanksShareTies() {
    #expect(averageRanks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
    #expect(averageRanks([3, 1, 3, 3]) == [3, 1, 3, 3])
}

@Test func floatAndClassIdPathsKeepApart() throws {
    // Float batches accumulate like class ids do, and combine keeps float metrics floats.
    var stsb = try GlueMetric("stsb")
    stsb.addBatch(predictions: [0.5, 2.0], references: [1.0, 2.5])
    stsb.addBatch(predictions: [4.5], references: [4.0])
    #expect(close(try stsb.compute()["spearmanr"], 1))
    var both = try combine(["pearsonr", "spearmanr"])
    #expect(both.takesFloats)
    #expect(try both.compute(predictions: [1.0, 2.0, 4.0], references: [1.0, 3.0, 5.0]).keys == ["pearsonr", "spearmanr"])
    // Whole-number floats are class ids; fractional ones on a class-id task are an error.
    var mrpc = try GlueMetric("mrpc")
    #expect(try mrpc.compute(predictions: [1.0, 0.0], references: [1.0, 1.0])["accuracy"] == 0.5)
    #expect(throws: MetricError.self) { try mrpc.compute(predictions: [0.7, 0.2], references: [1.0, 0.0]) }
    var accuracy = try loadMetric("accuracy")
    #expect(throws: MetricError.self) { try accuracy.compute(predictions: [0.7], references: [1.0]) }
    // After the error the queue is clear again.
    #expect(try accuracy.compute(predictions: [1], references: [1])["accuracy"] == 1)
    #expect(throws: MetricError.self) { try pearsonr([1], [2]) }
    #expect(throws: MetricError.self) { try spearmanr([1, 2], [2]) }
}

@Test func integerLiteralsStayClassIds() throws {
    // With both overloads, whole-number literals must still pick the class-id path.
    var accuracy = try loadMetric("accuracy")
    #expect(try accuracy.compute(predictions: [0, 1], references: [0, 0])["accuracy"] == 0.5)
    var f1 = try loadMetric("f1")
    f1.addBatch(predictions: [1, 1], references: [1, 0])
    #expect(try f1.compute()["f1"] != nil)
}
