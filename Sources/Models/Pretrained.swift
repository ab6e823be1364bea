import Files
import Foundation
import Hub
import Tensor

// Loading and saving in the Hugging Face layout: config.json + model.safetensors. Checkpoint
// names equal parameter names; the only renaming (an optional `bert.` prefix, and the legacy
// LayerNorm `gamma`/`beta`) lives in `candidateNames`.

/// Names a parameter may have in a checkpoint, in order of preference.
func candidateNames(_ name: String) -> [String] {
    var names = [name]
    if let prefix = ["bert.", "distilbert."].first(where: name.hasPrefix) {
        names.append(String(name.dropFirst(prefix.count)))
    } else {
        names += ["bert." + name, "distilbert." + name]
    }
    for n in names where n.contains("LayerNorm.") {
        if n.hasSuffix(".weight") { names.append(String(n.dropLast(7)) + ".gamma") }
        if n.hasSuffix(".bias") { names.append(String(n.dropLast(5)) + ".beta") }
    }
    return names
}

/// Copies checkpoint tensors into `parameters`. Parameters missing from the file are returned
/// (the caller decides whether that is an error); a shape mismatch throws.
func loadParameters(_ parameters: [Parameter], from file: Safetensors.File) throws -> (missing: [String], used: Set<String>) {
    var missing: [String] = []
    var used: Set<String> = []
    for p in parameters {
        guard let key = candidateNames(p.name).first(where: { file.entries[$0] != nil }) else {
            missing.append(p.name)
            continue
        }
        let e = file.entries[key]!
        guard e.shape == p.shape else {
            let config = file.url.deletingLastPathComponent().appendingPathComponent("config.json")
            let absent = BertConfig.absentSizeKeys(in: config)
            let hint = absent.isEmpty ? "check that config.json belongs to these weights"
                : "\(config.path) has no \(absent.joined(separator: ", ")), so BERT-base defaults were used: add the "
                    + "checkpoint's values"
            throw ModelError("\(file.url.path): tensor '\(key)' has shape \(e.shape) but the model expects \(p.shape) "
                + "for \(p.name); " + hint
                + (p.name.hasPrefix("classifier") ? " (or load with the checkpoint's number of labels)" : ""))
        }
        try p.value.copy(from: file.tensor(key))
        used.insert(key)
    }
    return (missing, used)
}

func standardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Resolves a model name or directory to (directory, config, weights).
func openCheckpoint(_ name: String, hub: Hub) throws -> (URL, BertConfig, Safetensors.File) {
    let dir: URL
    do { dir = try hub.snapshot(of: name, files: ["config.json", "model.safetensors"]) } catch let e as HubError {
        throw ModelError("cannot load model '\(name)': \(e.description)")
    }
    let config = try BertConfig.load(dir.appendingPathComponent("config.json"))
    let file = try Safetensors.read(dir.appendingPathComponent("model.safetensors"))
    return (dir, config, file)
}

func writeCheckpoint(_ parameters: [Parameter], config: BertConfig, architecture: String, to directory: URL) throws {
    do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
        throw ModelError("cannot create \(directory.path): \(FileProblem.describe(error))")
    }
    var c = config
    c.architectures = [architecture]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let url = directory.appendingPathComponent("config.json")
    do { try encoder.encode(SavedConfig(config: c)).write(to: url, options: .atomic) } catch {
        throw ModelError("cannot write \(url.path): \(FileProblem.describe(error))")
    }
    try Safetensors.write(parameters.map { ($0.name, $0.value) }, to: directory.appendingPathComponent("model.safetensors"))
}

extension BertModel {
    /// Loads a bare encoder from a directory or a model name (resolved by `Hub`), e.g.
    /// `BertModel.fromPretrained("sentence-transformers/all-MiniLM-L6-v2")`. Every encoder tensor
    /// must be present; a checkpoint without a pooler gives a model without one.
    public static func fromPretrained(_ name: String, hub: Hub = .shared) throws -> BertModel {
        let (_, config, file) = try openCheckpoint(name, hub: hub)
        let hasPooler = candidateNames("pooler.dense.weight").contains { file.entries[$0] != nil }
        let model = BertModel(config: config, addPoolingLayer: hasPooler)
        let (missing, _) = try loadParameters(model.parameters, from: file)
        guard missing.isEmpty else {
            throw ModelError("\(file.url.path) lacks \(missing.count) encoder tensor(s): \(missing.prefix(5).joined(separator: ", "))"
                + (missing.count > 5 ? ", ..." : "") + ". Is this a \(config.modelType) checkpoint (config.json's model_type)?")
        }
        return model
    }

    /// Writes config.json and model.safetensors into `directory` (created if needed).
    public func savePretrained(_ directory: String) throws {
        try writeCheckpoint(parameters, config: config, architecture: layout.encoderClass,
                            to: URL(fileURLWithPath: directory))
    }
}

extension BertClassifier {
    /// Loads a task model from a directory or model name. The encoder must be in the checkpoint;
    /// a missing classifier is freshly initialised, with a warning on stderr naming it (as the
    /// Python library does). Pass `id2label` (or `numLabels`) to set the classes of a new head.
    /// `label2id`, if given (as in the Python course), must be the inverse of `id2label`.
    /// `config` (Python's `config=`, run_glue's `--config_name`) replaces the checkpoint's
    /// config.json: its weights must fit it (same model type and sizes), its other settings
    /// (dropout, ...) are the config's.
    public static func fromPretrained(_ name: String, config replacement: BertConfig? = nil,
                                      id2label: [Int: String]? = nil, label2id: [String: Int]? = nil,
                                      numLabels: Int? = nil, seed: UInt64 = defaultSeed, hub: Hub = .shared) throws -> Self {
        if let label2id, let id2label, label2id.count != id2label.count || label2id.contains(where: { id2label[$0.value] != $0.key }) {
            throw ModelError("label2id must be the inverse of id2label: build it as Dictionary(uniqueKeysWithValues: id2label.map { ($1, $0) })")
        }
        var (_, config, file) = try openCheckpoint(name, hub: hub)
        if let replacement {
            // The sizes decide the tensors; a config that does not fit the weights is an error here,
            // not a silent misreading.
            let mismatched = [("model_type", replacement.modelType, config.modelType),
                              ("hidden_size", "\(replacement.hiddenSize)", "\(config.hiddenSize)"),
                              ("num_hidden_layers", "\(replacement.numHiddenLayers)", "\(config.numHiddenLayers)"),
                              ("num_attention_heads", "\(replacement.numAttentionHeads)", "\(config.numAttentionHeads)"),
                              ("intermediate_size", "\(replacement.intermediateSize)", "\(config.intermediateSize)"),
                              ("vocab_size", "\(replacement.vocabSize)", "\(config.vocabSize)"),
                              ("max_position_embeddings", "\(replacement.maxPositionEmbeddings)", "\(config.maxPositionEmbeddings)")]
                .filter { $0.1 != $0.2 }
            guard mismatched.isEmpty else {
                throw ModelError("the config given does not fit the weights of '\(name)': "
                    + mismatched.map { "\($0.0) \($0.1) (the checkpoint has \($0.2))" }.joined(separator: ", "))
            }
            config = replacement
        }
        if let id2label {
            guard !id2label.isEmpty, Set(id2label.keys) == Set(0..<id2label.count) else {
                throw ModelError("id2label must map the ids 0..<\(id2label.count) to names, e.g. [0: \"O\", 1: \"B-PER\"]")
            }
            config.id2label = id2label
        } else if let numLabels {
            guard numLabels > 0 else { throw ModelError("numLabels must be positive, got \(numLabels)") }
            config.numLabels = numLabels
        }
        let model = try Self.make(config: config, seed: seed)
        let architecture = model.architectureName
        let (missing, used) = try loadParameters(model.parameters, from: file)
        // The head (DistilBERT's includes pre_classifier) may be new; the encoder may not.
        let missingEncoder = missing.filter { !$0.hasPrefix("classifier.") && !$0.hasPrefix("pre_classifier.") }
        guard missingEncoder.isEmpty else {
            throw ModelError("\(file.url.path) lacks \(missingEncoder.count) encoder tensor(s): "
                + missingEncoder.prefix(5).joined(separator: ", ") + (missingEncoder.count > 5 ? ", ..." : "")
                + ". Is this a \(config.modelType) checkpoint (config.json's model_type)?")
        }
        if !missing.isEmpty {
            standardError("Some weights of \(architecture) were not initialized from the checkpoint at \(name) "
                + "and are newly initialized: [\(missing.joined(separator: ", "))]\n"
                + "Train this model on a down-stream task before using it for predictions.")
        }
        let unused = file.entries.filter { !used.contains($0.key) && $0.value.dtype == "F32" }.keys.sorted()
        if !unused.isEmpty {
            standardError("Some weights of the checkpoint at \(name) were not used by \(architecture): "
                + "[\(unused.joined(separator: ", "))]")
        }
        return model
    }

    /// Writes config.json (with id2label/label2id and the architecture) and model.safetensors
    /// with `bert.`-prefixed names, loadable by Python transformers.
    public func savePretrained(_ directory: String) throws {
        try writeCheckpoint(parameters, config: config, architecture: architectureName,
                            to: URL(fileURLWithPath: directory))
    }
}

extension BertConfig {
    /// The transformers release this toolkit reads and writes files for (pinned in
    /// Scripts/requirements.txt); saved configs name it as `transformers_version`, as Python's do.
    public static let transformersVersion = "5.24.0"
}

/// A config as `savePretrained` writes it: the config's own keys plus `transformers_version`.
struct SavedConfig: Encodable {
    let config: BertConfig
    enum Keys: String, CodingKey { case transformersVersion = "transformers_version" }

    func encode(to encoder: Encoder) throws {
        try config.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(BertConfig.transformersVersion, forKey: .transformersVersion)
    }
}
