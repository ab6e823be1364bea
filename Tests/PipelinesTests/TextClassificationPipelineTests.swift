import Foundation
import Models
import Pipelines
import Testing
import Tokenizers

/// The text-classification pipeline against transformers' on a tiny random sequence classifier.
@Suite struct TextClassificationPipelineTests {
    let reference: PipelinesReference
    let classifier: TextClassificationPipeline

    init() throws {
        reference = try PipelinesReference.load()
        classifier = try pipeline(.sentimentAnalysis, model: try checkpointURL("tiny-sentiment").path)
    }

    func check(_ got: [ClassificationResult], _ want: [ReferenceLabel], _ what: String) {
        #expect(got.map(\.label) == want.map(\.label), "\(what)")
        for (g, w) in zip(got, want) { #expect(abs(Double(g.score) - w.score) <= 1e-5, "\(what): \(g) vs \(w)") }
    }

    @Test func defaultTopLabelMatchesPython() throws {
        let want = try #require(reference.textClassification["default"])
        for (text, w) in zip(reference.texts, want) { check(try classifier(text), w, text) }
        // Predictions in the fixture are varied, so the label order is really checked.
        #expect(Set(want.map { $0[0].label }).count >= 2)
        // A list of texts gives the top label of each, as Python.
        check(try classifier(reference.texts), want.map { $0[0] }, "batch")
    }

    @Test func topKMatchesPython() throws {
        for (key, k) in [("all", nil), ("top2", 2)] as [(String, Int?)] {
            let want = try #require(reference.textClassification[key])
            for (text, w) in zip(reference.texts, want) { check(try classifier(text, topK: k), w, "\(key) \(text)") }
            #expect(try classifier(reference.texts, topK: k).map { $0.map(\.label) } == want.map { $0.map(\.label) })
        }
        let sum = try classifier.scores(reference.texts[0]).reduce(0) { $0 + $1.score }
        #expect(abs(sum - 1) < 1e-5)
    }

    @Test func sentencePairsMatchPython() throws {
        let want = try #require(reference.textClassification["pairs"])
        #expect(want.count == reference.pairs.count)
        for (pair, w) in zip(reference.pairs, want) {
            check(try classifier(pair[0], textPair: pair[1], topK: nil), w, "\(pair)")
            // Without topK, the pipeline's own (1) applies.
            check(try classifier(pair[0], textPair: pair[1]), Array(w.prefix(1)), "\(pair) top 1")
        }
    }

    @Test func printsLikePythonAndRejectsBadTopK() throws {
        let r = ClassificationResult(label: "POSITIVE", score: 0.95982)
        #expect(r.description == "{'label': 'POSITIVE', 'score': 0.9598}")
        #expect(r.score == 0.95982)
        #expect("\([r])" == "[{'label': 'POSITIVE', 'score': 0.9598}]")
        #expect(throws: PipelineError.self) { try classifier("good", topK: 0) }
    }
}

/// A regression model's pipeline returns its output, as transformers' does for problem_type
/// "regression" (`function_to_apply` none); one label without problem_type stays a sigmoid.
@Test func regressionPipelineReturnsTheOutput() throws {
    let reference = try pipeline(.sentimentAnalysis, model: try checkpointURL("tiny-sentiment").path)
    var config = reference.model.config
    config.numLabels = 1
    config.problemType = "regression"
    let pipe = TextClassificationPipeline(model: BertForSequenceClassification(config: config, seed: 3),
                                          tokenizer: reference.tokenizer)
    #expect(pipe.function == .none)
    let raw = try #require(try pipe("a fine day").first?.score)
    pipe.functionToApply = .sigmoid
    let squashed = try #require(try pipe("a fine day").first?.score)
    #expect(abs(squashed - 1 / (1 + expf(-raw))) < 1e-6)
    config.problemType = nil
    let oneLabel = TextClassificationPipeline(model: BertForSequenceClassification(config: config, seed: 3),
                                              tokenizer: reference.tokenizer)
    #expect(oneLabel.function == .sigmoid)
}
