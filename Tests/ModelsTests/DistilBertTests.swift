import Foundation
@testable import Models
import Tensor
import Testing

/// A DistilBERT fixture written by Scripts/distilbert_fixtures.py: the tiny random checkpoint's
/// config as transformers saves it, a batch, logits, loss, every gradient, the encoder's
/// hidden states, and the file layout `save_pretrained` writes.
struct DistilFixture: Decodable {
    let printed: String
    let printed_default: String
    let config: [String: JSONValue]
    let saved_config_keys: [String]
    let saved_tensor_names: [String]
    let input_ids: [[Int]]
    let attention_mask: [[Int]]
    let last_hidden_state: [Float]
    let hidden_shape: [Int]
    let loss: Float
    let logits: [Float]
    let logits_shape: [Int]
    let grads: [String: [Float]]

    static func load(_ name: String) throws -> DistilFixture {
        try JSONDecoder().decode(DistilFixture.self, from: Data(contentsOf: fixtureURL("\(name).json")))
    }

    /// The checkpoint folder transformers wrote (config.json + model.safetensors), rebuilt in a
    /// temporary directory.
    func checkpoint(_ name: String) throws -> URL {
        let dir = try temporaryDirectory()
        try JSONEncoder().encode(config).write(to: dir.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: fixtureURL("\(name).safetensors"),
                                         to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    /// The batch with token_type_ids of 1 in row 2: DistilBERT has no token types and ignores them.
    func input() throws -> BertInput {
        try BertInput(inputIds: input_ids, attentionMask: attention_mask,
                      tokenTypeIds: input_ids.enumerated().map { r, row in row.map { _ in r == 2 ? 1 : 0 } })
    }
}

/// Any JSON value (the config as transformers wrote it, re-encoded unchanged).
enum JSONValue: Codable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) } else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) } else { self = .object(try c.decode([String: JSONValue].self)) }
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// DistilBERT on the shared encoder against PyTorch: logits and loss within 1e-5, every gradient
/// within 1e-4 (relative to the tensor's scale), hidden states within 1e-5, checkpoints in the
/// transformers layout both ways, and the Auto classes choosing it by `model_type`.
@Suite struct DistilBertTests {
    /// Loads through the Auto class (config.json's model_type picks DistilBERT), runs one training
    /// step's forward and backward, and compares with the fixture. Returns the model.
    @discardableResult
    func checkParity<M: BertClassifier>(_ auto: M.Type, _ name: String, expected: String,
                                        labels: [Int32]) throws -> M {
        let fx = try DistilFixture.load(name)
        let dir = try fx.checkpoint(name)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try auto.fromPretrained(dir.path)
        #expect(type(of: model).architecture == expected)
        #expect(model.parameters.map(\.name).sorted() == fx.saved_tensor_names)
        #expect(Set(model.parameters.map(\.name)) == Set(fx.grads.keys))
        model.train()
        let out = try model.forward(fx.input(), labels: labels)
        #expect(out.logits.shape == fx.logits_shape)
        let logitsDiff = maxAbsDiff(out.logits.scalars, fx.logits)
        let loss = try #require(out.loss)
        #expect(logitsDiff <= 1e-5)
        #expect(abs(loss - fx.loss) <= 1e-5)
        try out.backward()
        // Relative to each tensor's scale; the attention key bias's gradient is zero in exact
        // arithmetic (it shifts a softmax row's scores equally), so both sides hold only rounding
        // noise there, checked in absolute terms.
        var worst: (name: String, rel: Float) = ("", 0), worstAbs: Float = 0
        for p in model.parameters {
            guard let ref = fx.grads[p.name] else { continue }
            let rel = relativeError(p.grad.scalars, ref), abs = maxAbsDiff(p.grad.scalars, ref)
            worstAbs = max(worstAbs, abs)
            if ref.allSatisfy({ Swift.abs($0) < 1e-6 }) {
                #expect(abs <= 1e-6, "gradient of \(p.name) (zero in exact arithmetic): max abs diff \(abs)")
                continue
            }
            if rel > worst.rel { worst = (p.name, rel) }
            #expect(rel <= 1e-4, "gradient of \(p.name): relative error \(rel), max abs diff \(abs)")
        }
        print("\(expected) vs PyTorch: logits max-abs-diff \(logitsDiff), loss diff \(Swift.abs(loss - fx.loss)), "
            + "gradients max-abs-diff \(worstAbs), worst relative \(worst.rel) (\(worst.name))")
        return model
    }

    @Test func sequenceClassificationMatchesPyTorch() throws {
        try checkParity(AutoModelForSequenceClassification.self, "distil_seq",
                        expected: "DistilBertForSequenceClassification", labels: [2, 0, 1])
    }

    @Test func tokenClassificationMatchesPyTorch() throws {
        let labels: [[Int32]] = [[-100, 1, 2, 0, 4, 3, -100, 0],
                                 [-100, 0, 1, -100, -100, -100, -100, -100],
                                 [-100, 3, 4, -100, 0, 2, -100, -100]]
        try checkParity(AutoModelForTokenClassification.self, "distil_token",
                        expected: "DistilBertForTokenClassification", labels: labels.flatMap { $0 })
    }

    @Test func encoderHiddenStatesMatchPyTorch() throws {
        let fx = try DistilFixture.load("distil_seq")
        let dir = try fx.checkpoint("distil_seq")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try DistilBertForSequenceClassification.fromPretrained(dir.path)
        let hidden = try model.withNoGrad { try model.distilbert.forward(fx.input()) }.lastHiddenState
        #expect(hidden.shape == fx.hidden_shape)
        let diff = maxAbsDiff(hidden.scalars, fx.last_hidden_state)
        print("DistilBERT last_hidden_state vs PyTorch: max-abs-diff \(diff)")
        #expect(diff <= 1e-5)
        // The bare encoder from the same folder (tensor names with the distilbert. prefix).
        let bare = try AutoModel.fromPretrained(dir.path)
        #expect(bare.layout == .distilBert && bare.pooler == nil)
        #expect(maxAbsDiff(try bare.forward(fx.input()).lastHiddenState.scalars, fx.last_hidden_state) <= 1e-5)
    }

    /// savePretrained writes what transformers writes (DistilBERT's keys, the same tensor names),
    /// and the saved folder loads back with identical logits. With DISTIL_EXPORT_DIR set, the
    /// folder is kept there for `Scripts/distilbert_fixtures.py --check`.
    @Test func savedCheckpointHasTheTransformersLayout() throws {
        let fx = try DistilFixture.load("distil_seq")
        let dir = try fx.checkpoint("distil_seq")
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: out) }
        let model = try AutoModelForSequenceClassification.fromPretrained(dir.path)
        try model.savePretrained(out.path)
        if let export = ProcessInfo.processInfo.environment["DISTIL_EXPORT_DIR"] { try model.savePretrained(export) }
        let json = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("config.json"))) as? [String: Any])
        // What transformers adds for every model (generation ids, dtype) is not ours to write; its
        // version is (BertConfig.transformersVersion, the release these files are written for).
        let generic: Set = ["bos_token_id", "eos_token_id", "dtype", "tie_word_embeddings"]
        #expect(Set(json.keys) == Set(fx.saved_config_keys).subtracting(generic))
        #expect(json["model_type"] as? String == "distilbert")
        #expect(json["architectures"] as? [String] == ["DistilBertForSequenceClassification"])
        #expect(json["dim"] as? Int == 32 && json["n_layers"] as? Int == 2 && json["hidden_dim"] as? Int == 64)
        let file = try Safetensors.read(out.appendingPathComponent("model.safetensors"))
        #expect(file.entries.keys.sorted() == fx.saved_tensor_names)
        let reloaded = try AutoModelForSequenceClassification.fromPretrained(out.path)
        #expect(reloaded is DistilBertForSequenceClassification)
        #expect(reloaded.config == model.config)
        model.eval(); reloaded.eval()
        #expect(try reloaded.forward(fx.input(), labels: nil).logits.scalars == model.forward(fx.input(), labels: nil).logits.scalars)
    }

    /// `print(model)` in PyTorch's layout, for the tiny checkpoints and for the default
    /// (distilbert-base) sizes with one layer and 4 labels.
    @Test func printsLikePyTorch() throws {
        for (name, sequence) in [("distil_seq", true), ("distil_token", false)] {
            let fx = try DistilFixture.load(name)
            let config = try JSONDecoder().decode(BertConfig.self, from: JSONEncoder().encode(fx.config))
            var base = DistilBertConfig()
            base.nLayers = 1
            base.id2label = Dictionary(uniqueKeysWithValues: (0..<4).map { ($0, "LABEL_\($0)") })
            let models: [any BertClassifier] = sequence
                ? [DistilBertForSequenceClassification(config: config), DistilBertForSequenceClassification(config: base)]
                : [DistilBertForTokenClassification(config: config), DistilBertForTokenClassification(config: base)]
            #expect("\(models[0])" == fx.printed, "\(name)")
            #expect("\(models[1])" == fx.printed_default, "\(name) at the default sizes")
        }
        let bare = BertModel(config: DistilBertConfig(vocabSize: 64, dim: 32, nLayers: 2, nHeads: 4, hiddenDim: 64,
                                                       maxPositionEmbeddings: 16, dropout: 0, attentionDropout: 0))
        let fx = try DistilFixture.load("distil_seq")
        let inner = fx.printed.split(separator: "\n").dropFirst().prefix { !$0.hasPrefix("  (pre_classifier)") }
            .map { String($0.dropFirst(2)) }.joined(separator: "\n").replacingOccurrences(of: "(distilbert): ", with: "")
        #expect(bare.description == inner)
    }

    @Test func configKeysRoundTripAndConvert() throws {
        let json = #"{"model_type": "distilbert", "dim": 48, "n_layers": 3, "n_heads": 6, "hidden_dim": 96, "vocab_size": 100,"#
            + #" "seq_classif_dropout": 0.3, "qa_dropout": 0.15, "dropout": 0.05, "attention_dropout": 0.02,"#
            + #" "id2label": {"0": "neg", "1": "pos"}}"#
        let config = try JSONDecoder().decode(BertConfig.self, from: Data(json.utf8))
        #expect(config.modelType == "distilbert" && config.layout == .distilBert)
        #expect(config.hiddenSize == 48 && config.numHiddenLayers == 3 && config.numAttentionHeads == 6)
        #expect(config.intermediateSize == 96 && config.layerNormEps == 1e-12 && config.hiddenDropoutProb == 0.05)
        #expect(config.seqClassifDropout == 0.3 && config.qaDropout == 0.15 && config.id2label == [0: "neg", 1: "pos"])
        let again = try JSONDecoder().decode(BertConfig.self, from: JSONEncoder().encode(config))
        #expect(again == config)
        // Missing keys take transformers' DistilBertConfig defaults (distilbert-base's sizes).
        let defaults = try JSONDecoder().decode(DistilBertConfig.self, from: Data(#"{"model_type": "distilbert"}"#.utf8))
        #expect(defaults.dim == 768 && defaults.nLayers == 6 && defaults.hiddenDim == 3072 && defaults.seqClassifDropout == 0.2)
    }

    @Test func badConfigsAndCheckpointsGiveClearErrors() throws {
        func message(_ json: String) -> String {
            do { _ = try JSONDecoder().decode(BertConfig.self, from: Data(json.utf8)); return "" } catch {
                return "\(error)"
            }
        }
        #expect(message(#"{"model_type": "roberta"}"#).contains("'roberta' is not supported"))
        #expect(message(#"{"model_type": "roberta"}"#).contains("'distilbert'"))
        #expect(message(#"{"model_type": "distilbert", "sinusoidal_pos_embds": true}"#).contains("sinusoidal_pos_embds"))
        #expect(message(#"{"model_type": "distilbert", "dim": 30, "n_heads": 4}"#).contains("not a multiple"))
        #expect(message(#"{"model_type": "distilbert", "activation": "relu"}"#).contains("activation 'relu'"))

        // A DistilBERT class on a BERT checkpoint, and a DistilBERT config over BERT tensors.
        let fx = try DistilFixture.load("distil_seq")
        let bertDir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: bertDir) }
        try BertForSequenceClassification(config: tinyConfig(labels: 3), seed: 1).savePretrained(bertDir.path)
        #expect(throws: ModelError.self) { try DistilBertForSequenceClassification.fromPretrained(bertDir.path) }
        do { _ = try DistilBertForSequenceClassification.fromPretrained(bertDir.path) } catch {
            #expect("\(error)".contains("'bert' model") && "\(error)".contains("Auto"))
        }
        var distilConfig = try JSONDecoder().decode(BertConfig.self, from: JSONEncoder().encode(fx.config))
        distilConfig.architectures = nil
        let encoder = JSONEncoder()
        try encoder.encode(distilConfig).write(to: bertDir.appendingPathComponent("config.json"))
        do {
            _ = try AutoModelForSequenceClassification.fromPretrained(bertDir.path)
            Issue.record("a DistilBERT config over BERT tensors loaded")
        } catch {
            #expect("\(error)".contains("lacks") && "\(error)".contains("distilbert checkpoint"))
        }
    }

    @Test func sharedEncoderDifferencesAndTrainingHooks() throws {
        let config = DistilBertConfig(vocabSize: 64, dim: 32, nLayers: 2, nHeads: 4, hiddenDim: 64, maxPositionEmbeddings: 16,
                                      numLabels: 3)
        let model = DistilBertForSequenceClassification(config: config, seed: 3)
        // No token types, the pre_classifier outside the distilbert. prefix, LayerNorms not decayed.
        #expect(!model.parameters.contains { $0.name.contains("token_type") })
        #expect(model.parameters.suffix(4).map(\.name) == ["pre_classifier.weight", "pre_classifier.bias",
                                                           "classifier.weight", "classifier.bias"])
        for p in model.parameters where p.name.contains("layer_norm") || p.name.contains("LayerNorm") {
            #expect(!p.decays, "\(p.name) decays")
            if p.name.hasSuffix("weight") { #expect(p.value.scalars.allSatisfy { $0 == 1 }, "\(p.name) not initialised to 1") }
        }
        #expect(model.parameter("distilbert.transformer.layer.1.ffn.lin1.weight")?.decays == true)
        // The Trainer's hooks reach the shared encoder: seed and forward count drive dropout.
        #expect(model.bert === model.distilbert && model.bert.layout == .distilBert)
        // Dropout (seq_classif_dropout 0.2 by default) is on in train mode and off in eval mode.
        let input = try BertInput(inputIds: [[2, 5, 7, 3]])
        model.eval()
        let a = try model.forward(input, labels: nil).logits.scalars
        #expect(try model.forward(input, labels: nil).logits.scalars == a)
        model.train()
        #expect(try model.forward(input, labels: nil).logits.scalars != a)
        #expect(model.bert.forwardCount == 1)
        // A BERT class built directly on a DistilBERT config is named by its layout.
        let direct = BertForSequenceClassification(config: config.bertConfig)
        #expect(direct.architectureName == "DistilBertForSequenceClassification" && direct.bert.layout == .distilBert)
        #expect(BertForTokenClassification(config: tinyConfig(labels: 2)).architectureName == "BertForTokenClassification")
    }

    /// `setBF16(true)` switches every linear layer, the pre_classifier and classifier included,
    /// and the outputs and gradients stay close to PyTorch's fp32 ones (bf16 keeps 8 bits).
    @Test func bf16SwitchesEveryLinearLayer() throws {
        let fx = try DistilFixture.load("distil_seq")
        let dir = try fx.checkpoint("distil_seq")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try AutoModelForSequenceClassification.fromPretrained(dir.path)
        try model.setBF16(true)
        #expect(model.usesBF16)
        #expect(model.bert.linears.count == 4 * 2 + 1) // q|k|v fused, out_lin, lin1, lin2 per layer; pre_classifier
        #expect(model.bert.linears.allSatisfy { $0.bf16.context != nil } && model.classifier.bf16.context != nil)
        #expect(model.bert.linears.last?.weight.name == "pre_classifier.weight")
        model.train()
        let out = try model.forward(fx.input(), labels: [2, 0, 1])
        let diff = maxAbsDiff(out.logits.scalars, fx.logits)
        try out.backward()
        var all: [Float] = [], ref: [Float] = []
        for p in model.parameters { all += p.grad.scalars; ref += fx.grads[p.name] ?? [] }
        var dot = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(all, ref) { dot += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
        let cosine = dot / (aa * bb).squareRoot()
        print("DistilBERT bf16 vs PyTorch fp32: logits max-abs-diff \(diff), whole-gradient cosine \(cosine)")
        #expect(diff > 0 && diff <= 0.05)
        #expect(cosine >= 0.99)
        try model.setBF16(false)
        #expect(model.bert.linears.allSatisfy { $0.bf16.context == nil } && model.classifier.bf16.context == nil)
    }
}
