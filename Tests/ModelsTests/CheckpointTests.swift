import Foundation
@testable import Models
import Tensor
import Testing

/// safetensors reading/writing, fromPretrained/savePretrained, and their error messages.
@Suite struct CheckpointTests {
    /// A directory holding the tiny token-classification fixture as a Hugging Face checkpoint.
    func tinyCheckpoint() throws -> URL {
        let dir = try temporaryDirectory()
        var config = tinyConfig(labels: 5)
        config.id2label = [0: "O", 1: "B-PER", 2: "I-PER", 3: "B-ORG", 4: "I-ORG"]
        try JSONEncoder().encode(config).write(to: dir.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: fixtureURL("tiny_token.safetensors"),
                                         to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    func message(of body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func roundTripKeepsNamesShapesAndValues() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try Tensor(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-8, -7])
        let b = try Tensor(shape: [5], values: [0.1, 0.2, 0.3, 0.4, 0.5])
        let url = dir.appendingPathComponent("x.safetensors")
        try Safetensors.write([("b.weight", b), ("a.bias", a)], to: url)
        let raw = try Data(contentsOf: url)
        let headerSize = raw.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerSize % 8 == 0)
        let file = try Safetensors.read(url)
        #expect(Set(file.entries.keys) == ["a.bias", "b.weight"])
        #expect(file.entries["a.bias"]?.shape == [2, 3])
        #expect(try file.tensor("a.bias").scalars == a.scalars)
        #expect(try file.tensor("b.weight").scalars == b.scalars)
    }

    @Test func truncatedAndMalformedFilesAreClearErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.safetensors")
        let full = try Data(contentsOf: fixtureURL("tiny_token.safetensors"))
        try full.prefix(full.count - 100).write(to: url)
        #expect(message { _ = try Safetensors.read(url) }.contains("truncated"))
        try full.prefix(5).write(to: url)
        #expect(message { _ = try Safetensors.read(url) }.contains("fewer than the 8-byte header length"))
        var garbage = Data([16, 0, 0, 0, 0, 0, 0, 0])
        garbage.append(Data("{not json at all}".utf8))
        try garbage.write(to: url)
        #expect(message { _ = try Safetensors.read(url) }.contains("not valid JSON"))
        let header = Data(#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]}}"#.utf8)
        var wrongSize = Data([UInt8(header.count), 0, 0, 0, 0, 0, 0, 0])
        wrongSize.append(header)
        wrongSize.append(Data(count: 8))
        try wrongSize.write(to: url)
        #expect(message { _ = try Safetensors.read(url) }.contains("needs 16 bytes"))
        #expect(message { _ = try Safetensors.read(dir.appendingPathComponent("absent.safetensors")) }.contains("cannot read"))
    }

    @Test func loadsCheckpointWithPrefixSkippingI64Tensors() throws {
        let dir = try tinyCheckpoint()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Safetensors.read(dir.appendingPathComponent("model.safetensors"))
        #expect(file.entries["bert.embeddings.position_ids"]?.dtype == "I64")
        let model = try BertForTokenClassification.fromPretrained(dir.path)
        #expect(model.config.id2label[3] == "B-ORG")
        for p in model.parameters { #expect(try p.value.scalars == file.tensor(p.name).scalars, "\(p.name)") }
    }

    @Test func loadsEncoderWithoutPrefixAndInitialisesMissingHead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let encoder = BertModel(config: tinyConfig(labels: 2), seed: 7)
        try encoder.savePretrained(dir.path)
        let names = try Safetensors.read(dir.appendingPathComponent("model.safetensors")).entries.keys
        #expect(names.contains("embeddings.word_embeddings.weight") && !names.contains { $0.hasPrefix("bert.") })
        // The head is missing from the file: loadParameters reports exactly the classifier.
        let model = try BertForSequenceClassification.fromPretrained(dir.path, numLabels: 3)
        let report = try loadParameters(model.parameters, from: Safetensors.read(dir.appendingPathComponent("model.safetensors")))
        #expect(report.missing == ["classifier.weight", "classifier.bias"])
        #expect(model.classifier.weight.shape == [3, 32])
        #expect(model.classifier.weight.value.scalars.contains { $0 != 0 })
        #expect(try #require(model.parameter("bert.encoder.layer.1.output.dense.weight")).value.scalars
            == encoder.parameters.first { $0.name == "encoder.layer.1.output.dense.weight" }!.value.scalars)
    }

    @Test func savePretrainedRoundTripsConfigAndOutputs() throws {
        let src = try tinyCheckpoint()
        let dst = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: src); try? FileManager.default.removeItem(at: dst) }
        let model = try BertForTokenClassification.fromPretrained(src.path)
        try model.savePretrained(dst.path)
        // Scripts/reference/engine_check_python_load.py loads this export with Python transformers.
        if let export = ProcessInfo.processInfo.environment["ENGINE_EXPORT_DIR"] { try model.savePretrained(export) }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dst.appendingPathComponent("config.json"))) as? [String: Any]
        #expect((json?["id2label"] as? [String: String])?["1"] == "B-PER")
        #expect((json?["label2id"] as? [String: Int])?["I-ORG"] == 4)
        #expect(json?["architectures"] as? [String] == ["BertForTokenClassification"])
        #expect(json?["model_type"] as? String == "bert")
        let again = try BertForTokenClassification.fromPretrained(dst.path)
        #expect(again.config == model.config.withArchitectures(["BertForTokenClassification"]))
        let fx = try GradientFixture.load("tiny_token.json")
        #expect(try again(fx.input()).logits.scalars == model(fx.input()).logits.scalars)
    }

    @Test func autoModelNamesAndLabelMapsLikeThePythonCourse() throws {
        let dir = try tinyCheckpoint()
        defer { try? FileManager.default.removeItem(at: dir) }
        let id2label = [0: "O", 1: "B-PER", 2: "I-PER", 3: "B-ORG", 4: "I-ORG"]
        let label2id = Dictionary(uniqueKeysWithValues: id2label.map { ($1, $0) })
        let model = try AutoModelForTokenClassification.fromPretrained(dir.path, id2label: id2label, label2id: label2id)
        #expect(model.config.label2id == label2id)
        var wrong = label2id
        wrong["O"] = 1
        #expect(message { _ = try AutoModelForTokenClassification.fromPretrained(dir.path, id2label: id2label, label2id: wrong) }
            .contains("label2id must be the inverse of id2label"))
        let bad = message { _ = try AutoModelForTokenClassification.fromPretrained(dir.path, id2label: [0: "O", 2: "X"]) }
        #expect(bad.contains("id2label must map the ids 0..<2"))
        let mismatch = message { _ = try AutoModelForTokenClassification.fromPretrained(dir.path, numLabels: 3) }
        #expect(mismatch.contains("load with the checkpoint's number of labels"))
    }

    @Test func missingTensorAndShapeMismatchAreClearErrors() throws {
        let dir = try tinyCheckpoint()
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = dir.appendingPathComponent("model.safetensors")
        let file = try Safetensors.read(weights)
        let kept = try file.entries.keys.filter { $0 != "bert.encoder.layer.1.output.dense.bias" && file.entries[$0]?.dtype == "F32" }
            .map { ($0, try file.tensor($0)) }
        try Safetensors.write(kept, to: weights)
        let missing = message { _ = try BertForTokenClassification.fromPretrained(dir.path) }
        #expect(missing.contains("lacks 1 encoder tensor") && missing.contains("bert.encoder.layer.1.output.dense.bias"))

        var config = tinyConfig(labels: 5)
        config.intermediateSize = 48
        try JSONEncoder().encode(config).write(to: dir.appendingPathComponent("config.json"))
        let mismatch = message { _ = try BertForTokenClassification.fromPretrained(dir.path) }
        #expect(mismatch.contains("has shape [64, 32] but the model expects [48, 32]"))

        let absent = message { _ = try BertModel.fromPretrained(dir.appendingPathComponent("nowhere").path) }
        #expect(absent.contains("cannot load model"))
    }

    @Test func configDecodesHuggingFaceJSON() throws {
        let json = #"{"vocab_size": 100, "hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 4,"#
            + #" "intermediate_size": 128, "hidden_act": "gelu", "layer_norm_eps": 1e-05,"#
            + #" "id2label": {"0": "NEG", "1": "POS"}, "model_type": "bert", "position_embedding_type": "absolute"}"#
        let c = try JSONDecoder().decode(BertConfig.self, from: Data(json.utf8))
        #expect(c.vocabSize == 100 && c.numHiddenLayers == 3 && c.maxPositionEmbeddings == 512)
        #expect(c.layerNormEps == 1e-5 && c.numLabels == 2 && c.label2id == ["NEG": 0, "POS": 1])
        let noHeads = json.replacingOccurrences(of: #""num_attention_heads": 4"#, with: #""num_attention_heads": 0"#)
        #expect(message { _ = try JSONDecoder().decode(BertConfig.self, from: Data(noHeads.utf8)) }
            .contains("num_attention_heads must be positive"))
        let relu = json.replacingOccurrences(of: #""gelu""#, with: #""relu""#)
        #expect(message { _ = try JSONDecoder().decode(BertConfig.self, from: Data(relu.utf8)) }.contains("'relu' is not supported"))
    }
}

extension BertConfig {
    func withArchitectures(_ a: [String]) -> BertConfig { var c = self; c.architectures = a; return c }
}
