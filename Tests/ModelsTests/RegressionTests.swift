import Foundation
@testable import Models
import Tensor
import Testing

/// A regression fixture written by Scripts/fixtures/models_regression_fixtures.py: a tiny random
/// sequence classifier with one output and problem_type "regression", its config as transformers
/// saves it, a batch, float labels, logits, the MSE loss and every gradient.
struct RegressionFixture: Decodable {
    let config: [String: JSONValue]
    let input_ids: [[Int]]
    let attention_mask: [[Int]]
    let token_type_ids: [[Int]]?
    let labels: [Float]
    let logits: [Float]
    let logits_shape: [Int]
    let loss: Float
    let grads: [String: [Float]]
    let inferred_problem_type: String

    static func load(_ name: String) throws -> RegressionFixture {
        try JSONDecoder().decode(RegressionFixture.self, from: Data(contentsOf: fixtureURL("\(name).json")))
    }

    /// The checkpoint folder transformers wrote, rebuilt in a temporary directory, with
    /// `problem_type` removed when `keepProblemType` is false.
    func checkpoint(_ name: String, keepProblemType: Bool = true) throws -> URL {
        let dir = try temporaryDirectory()
        var config = self.config
        if !keepProblemType { config["problem_type"] = nil }
        try JSONEncoder().encode(config).write(to: dir.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: fixtureURL("\(name).safetensors"), to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    func input() throws -> BertInput {
        try BertInput(inputIds: input_ids, attentionMask: attention_mask, tokenTypeIds: token_type_ids)
    }
}

/// Regression heads against PyTorch: logits and the MSE loss within 1e-5, every gradient within
/// 1e-4 of its tensor's scale; problem_type read, written and inferred as transformers does.
@Suite struct RegressionTests {
    @Test(arguments: ["regression_bert", "regression_distil"])
    func mseLossAndGradientsMatchPyTorch(_ name: String) throws {
        let fx = try RegressionFixture.load(name)
        let dir = try fx.checkpoint(name)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try AutoModelForSequenceClassification.fromPretrained(dir.path)
        #expect(model.config.problemType == "regression" && model.config.numLabels == 1)
        model.train()
        let out = try model(fx.input(), regressionLabels: fx.labels)
        #expect(out.logits.shape == fx.logits_shape)
        let logitsDiff = maxAbsDiff(out.logits.scalars, fx.logits)
        let loss = try #require(out.loss)
        #expect(logitsDiff <= 1e-5)
        #expect(abs(loss - fx.loss) <= 1e-5, "loss \(loss), PyTorch \(fx.loss)")
        try out.backward()
        var worstRel: Float = 0, worstAbs: Float = 0
        for p in model.parameters {
            let ref = try #require(fx.grads[p.name], "no PyTorch gradient for \(p.name)")
            let rel = relativeError(p.grad.scalars, ref), abs = maxAbsDiff(p.grad.scalars, ref)
            worstAbs = max(worstAbs, abs)
            // The attention key bias's gradient is zero in exact arithmetic: rounding noise only.
            if ref.allSatisfy({ Swift.abs($0) < 1e-6 }) {
                #expect(abs <= 1e-5, "gradient of \(p.name) (zero in exact arithmetic): max abs diff \(abs)")
                continue
            }
            worstRel = max(worstRel, rel)
            #expect(rel <= 1e-4, "gradient of \(p.name): relative error \(rel), max abs diff \(abs)")
        }
        print("\(name) vs PyTorch: logits \(logitsDiff), loss \(Swift.abs(loss - fx.loss)), gradients max-abs \(worstAbs), "
            + "worst relative \(worstRel)")
    }

    @Test func problemTypeIsInferredAtTheFirstLossAndSaved() throws {
        let fx = try RegressionFixture.load("regression_bert")
        let dir = try fx.checkpoint("regression_bert", keepProblemType: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try AutoModelForSequenceClassification.fromPretrained(dir.path)
        #expect(model.config.problemType == nil && model.config.isRegression)
        _ = try model(fx.input(), regressionLabels: fx.labels)
        #expect(model.config.problemType == fx.inferred_problem_type)
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        try model.savePretrained(out.path)
        let saved = try JSONDecoder().decode([String: JSONValue].self,
                                             from: Data(contentsOf: out.appendingPathComponent("config.json")))
        guard case .string(let written) = saved["problem_type"] else {
            Issue.record("config.json has no problem_type string"); return
        }
        #expect(written == "regression")
        // A classifier infers single-label classification from int labels.
        let classifier = BertForSequenceClassification(config: tinyConfig(labels: 3))
        _ = try classifier(fx.input(), labels: [2, 0, 1])
        #expect(classifier.config.problemType == "single_label_classification")
    }

    @Test func mismatchedLabelsAreClearErrors() throws {
        let fx = try RegressionFixture.load("regression_bert")
        let classifier = BertForSequenceClassification(config: tinyConfig(labels: 3))
        #expect(throws: ModelError.self) { try classifier(fx.input(), regressionLabels: [0.5, 1.0, 2.0]) }
        #expect(throws: (any Error).self) { try classifier(fx.input(), labels: [0, 3, 1]) }
        let token = BertForTokenClassification(config: tinyConfig(labels: 3))
        #expect(throws: ModelError.self) { try token.forward(fx.input(), regressionLabels: [1, 2, 3]) }
        var config = tinyConfig(labels: 1)
        config.problemType = "regression"
        let regressor = BertForSequenceClassification(config: config)
        #expect(throws: ModelError.self) { try regressor(fx.input(), regressionLabels: [1, 2]) }
        #expect(throws: ModelError.self) { try regressor(fx.input(), regressionLabels: [1, .nan, 2]) }
        // Whole-number labels on a regression head are values.
        #expect(try regressor(fx.input(), labels: [1, 2, 3] as [Int]).loss != nil)
        // An unknown problem_type in config.json is named.
        let bad = #"{"model_type": "bert", "problem_type": "ranking"}"#
        #expect(throws: ModelError.self) { try JSONDecoder().decode(BertConfig.self, from: Data(bad.utf8)) }
    }
}
