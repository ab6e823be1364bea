import Foundation
import Models
import Pipelines
import Testing
import Tokenizers

/// The pipelines take a DistilBERT folder through the same call as a BERT one (the model class
/// is chosen by config.json's model_type), and the tokenizer's token_type_ids (which DistilBERT's
/// Python tokenizer does not even return) change nothing.
@Suite struct DistilBertPipelineTests {
    /// A tiny random DistilBERT saved beside the tiny-sentiment fixture's tokenizer files.
    func folder(sequence: Bool) throws -> URL {
        let dir = try checkpointURL("tiny-sentiment")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("model.safetensors"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("config.json"))
        var config = DistilBertConfig(vocabSize: 181, dim: 32, nLayers: 2, nHeads: 4, hiddenDim: 64,
                                      maxPositionEmbeddings: 64, numLabels: 3)
        config.initializerRange = 0.3 // spread logits so the scores differ visibly
        config.id2label = [0: "negative", 1: "neutral", 2: "positive"]
        let model: any BertClassifier = sequence ? DistilBertForSequenceClassification(config: config, seed: 5)
            : DistilBertForTokenClassification(config: config, seed: 5)
        try model.savePretrained(dir.path)
        return dir
    }

    /// softmax over the logits of a forward pass on ids and mask only.
    func expectedScores(_ model: BertClassifier, _ tokenizer: Tokenizer, _ text: String, _ pair: String? = nil) throws -> [Float] {
        let e = try tokenizer(text, pair)
        let input = try BertInput(inputIds: [e.ids], attentionMask: [e.attentionMask])
        model.eval()
        let logits = try model.withNoGrad { try model.forward(input, labels: nil) }.logits.scalars
        let m = logits.max()!, ex = logits.map { expf($0 - m) }, sum = ex.reduce(0, +)
        return ex.map { $0 / sum }
    }

    @Test func textClassificationRunsDistilBert() throws {
        let dir = try folder(sequence: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let classifier = try pipeline(.sentimentAnalysis, model: dir.path)
        #expect(classifier.model is DistilBertForSequenceClassification)
        for (text, pair) in [("the movie was great", nil), ("a dull film", "but the cast was fine")] as [(String, String?)] {
            #expect(try !classifier.tokenizer(text, pair).typeIds.allSatisfy { $0 == 0 } == (pair != nil))
            let got = try classifier.scores(text, textPair: pair)
            let want = try expectedScores(classifier.model, classifier.tokenizer, text, pair)
            #expect(got.map(\.label) == ["negative", "neutral", "positive"])
            let diff = zip(got.map(\.score), want).map { abs($0 - $1) }.max() ?? 1
            #expect(diff <= 1e-6, "\(text): \(got) vs \(want)")
            #expect(Set(want.map { ($0 * 1e4).rounded() }).count == 3)
        }
    }

    @Test func tokenClassificationRunsDistilBert() throws {
        let dir = try folder(sequence: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tagger = try pipeline(.tokenClassification, model: dir.path, ignoreLabels: [])
        #expect(tagger.model is DistilBertForTokenClassification)
        let entities = try tagger("the movie was great")
        let tokens = try tagger.tokenizer("the movie was great").ids.count - 2
        #expect(entities.count == tokens)
    }

    /// AutoTokenizer on a DistilBERT folder: encodings print without token_type_ids, exactly as
    /// transformers' DistilBertTokenizerFast does on the same vocabulary
    /// (`{'input_ids': [2, 80, 108, 3, 26, 109, 3], 'attention_mask': [1, 1, 1, 1, 1, 1, 1]}`).
    @Test func autoTokenizerFollowsTheTokenizerClass() throws {
        let dir = try checkpointURL("tiny-sentiment")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bert = try AutoTokenizer.fromPretrained(dir.path)
        #expect(bert.returnsTokenTypeIds)
        #expect("\(try bert("the movie", "a film"))"
            == "{'input_ids': [2, 80, 108, 3, 26, 109, 3], 'token_type_ids': [0, 0, 0, 0, 1, 1, 1], 'attention_mask': [1, 1, 1, 1, 1, 1, 1]}")
        let config = dir.appendingPathComponent("tokenizer_config.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
        json["tokenizer_class"] = "DistilBertTokenizer"
        try JSONSerialization.data(withJSONObject: json).write(to: config)
        let distil = try AutoTokenizer.fromPretrained(dir.path)
        #expect(distil.modelInputNames == ["input_ids", "attention_mask"])
        let want = "{'input_ids': [2, 80, 108, 3, 26, 109, 3], 'attention_mask': [1, 1, 1, 1, 1, 1, 1]}"
        #expect("\(try distil("the movie", "a film"))" == want)
        #expect("\(try distil(["the movie"], ["a film"]))" == "{'input_ids': [[2, 80, 108, 3, 26, 109, 3]], 'attention_mask': [[1, 1, 1, 1, 1, 1, 1]]}")
        // Saved and loaded back, it stays a DistilBERT tokenizer.
        let out = dir.appendingPathComponent("saved")
        try distil.savePretrained(out.path)
        let back = try AutoTokenizer.fromPretrained(out.path)
        #expect(back.tokenizerClass == "DistilBertTokenizer" && !back.returnsTokenTypeIds)
        #expect("\(try back("the movie", "a film"))" == want)
    }
}
