import Foundation
import Hub
@testable import Models
import Tensor
import Testing

/// Loss, logits and every parameter gradient of a tiny random BERT against PyTorch.
@Suite struct ParityTests {
    func loadTiny<M: BertClassifier>(_ type: M.Type, _ name: String, labels: Int) throws -> M {
        let model = M(config: tinyConfig(labels: labels), seed: 1)
        let file = try Safetensors.read(fixtureURL("\(name).safetensors"))
        let (missing, _) = try loadParameters(model.parameters, from: file)
        #expect(missing.isEmpty)
        return model
    }

    func checkGradients(_ model: some BertClassifier, _ fx: GradientFixture) {
        #expect(Set(model.parameters.map(\.name)) == Set(fx.grads.keys))
        var worst: (String, Float) = ("", 0)
        for p in model.parameters {
            guard let ref = fx.grads[p.name] else { continue }
            let err = relativeError(p.grad.scalars, ref)
            if err > worst.1 { worst = (p.name, err) }
            #expect(err <= 1e-4, "gradient of \(p.name): relative error \(err)")
        }
        print("worst gradient relative error: \(worst.1) (\(worst.0))")
    }

    @Test func tokenClassificationLossLogitsAndGradients() throws {
        let fx = try GradientFixture.load("tiny_token.json")
        let labels: [[Int]] = [[-100, 1, 2, 0, 4, 3, -100, 0],
                               [-100, 0, 1, -100, -100, -100, -100, -100],
                               [-100, 3, 4, -100, 0, 2, -100, -100]]
        let model = try loadTiny(BertForTokenClassification.self, "tiny_token", labels: 5)
        model.train()
        let out = try model(fx.input(), labels: labels)
        #expect(out.logits.shape == fx.logits_shape)
        #expect(maxAbsDiff(out.logits.scalars, fx.logits) <= 1e-5)
        let loss = try #require(out.loss)
        #expect(abs(loss - fx.loss) <= 1e-5 * max(1, abs(fx.loss)))
        try out.backward()
        checkGradients(model, fx)
    }

    @Test func sequenceClassificationLossLogitsAndGradients() throws {
        let fx = try GradientFixture.load("tiny_seq.json")
        let model = try loadTiny(BertForSequenceClassification.self, "tiny_seq", labels: 3)
        model.train()
        let out = try model(fx.input(), labels: [2, 0, 1])
        #expect(out.logits.shape == fx.logits_shape)
        #expect(maxAbsDiff(out.logits.scalars, fx.logits) <= 1e-5)
        #expect(abs(try #require(out.loss) - fx.loss) <= 1e-5 * max(1, abs(fx.loss)))
        try out.backward()
        checkGradients(model, fx)
    }

    @Test func gradientsAccumulateUntilZeroGrad() throws {
        let fx = try GradientFixture.load("tiny_seq.json")
        let model = try loadTiny(BertForSequenceClassification.self, "tiny_seq", labels: 3)
        for _ in 0..<2 { try model(fx.input(), labels: [2, 0, 1]).backward() }
        let p = try #require(model.parameter("bert.encoder.layer.1.output.dense.weight"))
        let doubled = fx.grads[p.name]!.map { 2 * $0 }
        #expect(relativeError(p.grad.scalars, doubled) <= 1e-4)
        model.zeroGrad()
        #expect(model.parameters.allSatisfy { $0.grad.scalars.allSatisfy { $0 == 0 } })
    }

    struct MiniLMFixture: Decodable {
        let input_ids: [[Int]], attention_mask: [[Int]], token_type_ids: [[Int]]
        let hidden_shape: [Int]
        let last_hidden_state: [Float], pooler_output: [Float]
    }

    @Test(.enabled(if: miniLMDirectory != nil, "needs the course mirror (COURSE_MIRROR or ../shared/mirror)"))
    func miniLMHiddenStatesMatchPyTorch() throws {
        let dir = try #require(miniLMDirectory)
        let fx = try JSONDecoder().decode(MiniLMFixture.self, from: Data(contentsOf: fixtureURL("minilm_hidden.json")))
        let model = try BertModel.fromPretrained(dir.path)
        #expect(model.config.numHiddenLayers == 6 && model.config.hiddenSize == 384)
        let out = try model.forward(BertInput(inputIds: fx.input_ids, attentionMask: fx.attention_mask,
                                              tokenTypeIds: fx.token_type_ids))
        #expect(out.lastHiddenState.shape == fx.hidden_shape)
        // Padding positions included: their hidden states are computed too, as in PyTorch.
        let hiddenDiff = maxAbsDiff(out.lastHiddenState.scalars, fx.last_hidden_state)
        let poolerDiff = maxAbsDiff(try #require(out.poolerOutput).scalars, fx.pooler_output)
        print("MiniLM max abs diff: hidden \(hiddenDiff), pooler \(poolerDiff)")
        #expect(hiddenDiff <= 1e-4)
        #expect(poolerDiff <= 1e-4)
    }

    /// Loading by name through the Hub's mirror, as the chapters do, with a new 9-label head.
    @Test(.enabled(if: mirrorRoot != nil && miniLMDirectory != nil, "needs the course mirror"))
    func miniLMLoadsByNameWithANewHead() throws {
        let hub = Hub(mirror: try #require(mirrorRoot).path)
        let labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
        let model = try BertForTokenClassification.fromPretrained(
            "sentence-transformers/all-MiniLM-L6-v2", id2label: Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0, $1) }),
            hub: hub)
        #expect(model.config.label2id["B-LOC"] == 5)
        #expect(model.classifier.weight.shape == [9, 384])
        #expect(model.numParameters == 22_713_216 - 384 * 384 - 384 + 9 * 384 + 9) // no pooler, new head
        let out = try model(BertInput(inputIds: [[101, 7327, 19164, 2446, 102]]))
        #expect(out.logits.shape == [1, 5, 9])
        #expect(throws: ModelError.self) { _ = try BertModel.fromPretrained("no-such/model", hub: hub) }
    }
}
