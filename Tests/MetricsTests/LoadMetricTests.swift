import Metrics
import Testing

// Metrics by name (`evaluate.load`, `evaluate.combine`). Expected values are scikit-learn's
// for predictions [0, 1, 1, 0, 1] against references [0, 1, 0, 0, 1]: accuracy 4/5,
// precision 2/3, recall 1, F1 4/5, printed as Python prints the floats.
let loadPredictions = [0, 1, 1, 0, 1], loadReferences = [0, 1, 0, 0, 1]

@Test func loadMetricByName() throws {
    for (name, expected) in [("accuracy", "{'accuracy': 0.8}"), ("precision", "{'precision': 0.6666666666666666}"),
                             ("recall", "{'recall': 1.0}"), ("f1", "{'f1': 0.8}")] {
        var metric = try loadMetric(name)
        #expect(metric.name == name)
        #expect(try metric.compute(predictions: loadPredictions, references: loadReferences).description == expected)
    }
    var mrpc = try loadMetric("glue", "mrpc")
    #expect(mrpc.description == "EvaluationModule(name: \"glue\", config: \"mrpc\")")
    #expect(try mrpc.compute(predictions: loadPredictions, references: loadReferences).description
        == "{'accuracy': 0.8, 'f1': 0.8}")
    var sst2 = try loadMetric("glue", "sst2")
    #expect(try sst2.compute(predictions: loadPredictions, references: loadReferences).description == "{'accuracy': 0.8}")
}

@Test func addBatchThenComputeEqualsOneCallAndClears() throws {
    var metric = try loadMetric("glue", "mrpc")
    metric.addBatch(predictions: [0, 1], references: [0, 1])
    metric.addBatch(predictions: [1, 0, 1], references: [0, 0, 1])
    #expect(try metric.compute()["accuracy"] == 0.8)
    // The queue is empty again: the next compute sees only its own predictions.
    #expect(try metric.compute(predictions: [1], references: [0])["accuracy"] == 0)
}

@Test func combineByNameMergesInOrder() throws {
    var clf = try combine(["accuracy", "f1", "precision", "recall"])
    #expect(clf.name == "accuracy+f1+precision+recall")
    #expect(try clf.compute(predictions: loadPredictions, references: loadReferences).description
        == "{'accuracy': 0.8, 'f1': 0.8, 'precision': 0.6666666666666666, 'recall': 1.0}")
    var loaded = combine([try loadMetric("recall"), try loadMetric("accuracy")])
    loaded.addBatch(predictions: loadPredictions, references: loadReferences)
    #expect(try loaded.compute().keys == ["recall", "accuracy"])
}

@Test func unknownNamesAndConfigsAreClearErrors() {
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }
    #expect(message { _ = try loadMetric("acuracy") }.contains("known: accuracy, precision, recall, f1, matthews_correlation, pearsonr, spearmanr, glue"))
    #expect(message { _ = try loadMetric("glue") }.contains("needs a task"))
    #expect(message { _ = try loadMetric("glue", "colaa") }.contains("unknown GLUE task 'colaa'"))
    #expect(message { _ = try loadMetric("f1", "mrpc") }.contains("takes no configuration"))
    #expect(message { _ = try loadMetric("seqeval") }.contains("Seqeval()"))
    #expect(message { _ = try combine([String]()) }.contains("at least one"))
    #expect(message { _ = try combine(["accuracy", "bleu"]) }.contains("no metric named 'bleu'"))
}
