import Files
import Foundation
import Hub

/// Errors loading, saving or running a model; each message names the file or input and says
/// what to do.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// A BERT configuration as stored in a checkpoint's `config.json`. Missing keys take the
/// Hugging Face `BertConfig` defaults.
public struct BertConfig: Codable, Sendable, Equatable {
    /// V: rows of the word embedding matrix (`vocab_size`).
    public var vocabSize: Int = 30522
    /// C: the width of every token vector (`hidden_size`; 384 for all-MiniLM-L6-v2).
    public var hiddenSize: Int = 768
    /// Transformer layers in the encoder (`num_hidden_layers`).
    public var numHiddenLayers: Int = 12
    /// H: attention heads per layer; C must be a multiple of it (`num_attention_heads`).
    public var numAttentionHeads: Int = 12
    /// I: the feed-forward layer's inner width (`intermediate_size`).
    public var intermediateSize: Int = 3072
    /// The feed-forward activation (`hidden_act`; only "gelu" is implemented).
    public var hiddenAct: String = "gelu"
    /// The longest input the position embeddings cover, in tokens (`max_position_embeddings`).
    public var maxPositionEmbeddings: Int = 512
    /// Number of token types (segments A and B: 2) (`type_vocab_size`).
    public var typeVocabSize: Int = 2
    /// The epsilon of every LayerNorm (`layer_norm_eps`).
    public var layerNormEps: Float = 1e-12
    /// Dropout probability on embeddings and layer outputs in training (`hidden_dropout_prob`).
    public var hiddenDropoutProb: Float = 0.1
    /// Dropout probability on attention weights in training (`attention_probs_dropout_prob`).
    public var attentionProbsDropoutProb: Float = 0.1
    /// Dropout before the classifier; nil: `hiddenDropoutProb` (`classifier_dropout`).
    public var classifierDropout: Float? = nil
    /// Standard deviation of the normal initialisation of new weights (`initializer_range`).
    public var initializerRange: Float = 0.02
    /// The padding token's id (`pad_token_id`).
    public var padTokenId: Int = 0
    /// Class names by id (`id2label` in JSON, whose keys are strings).
    public var id2label: [Int: String] = [0: "LABEL_0", 1: "LABEL_1"]
    /// Model class names written by the saver (`["BertForSequenceClassification"]`), if any.
    public var architectures: [String]? = nil
    /// `model_type`: "bert", or "distilbert" for a config read from (or converted from) a
    /// `DistilBertConfig`; it picks the architecture's `EncoderLayout` and how the config is saved.
    public var modelType: String = "bert"
    /// DistilBERT's own head dropouts (`seq_classif_dropout`, `qa_dropout`); nil for BERT.
    public var seqClassifDropout: Float? = nil
    /// DistilBERT's question-answering head dropout, kept so a saved config round-trips.
    public var qaDropout: Float? = nil
    /// `problem_type`: "regression" (one output per value, mean-squared-error loss),
    /// "single_label_classification" (cross-entropy) or "multi_label_classification"; nil until
    /// the first loss infers it, as transformers does (see `isRegression`).
    public var problemType: String? = nil
    /// `finetuning_task`: the task a fine-tune was for (run_glue writes the GLUE task, run_ner
    /// "ner"); kept so the config round-trips and a pushed model names its task.
    public var finetuningTask: String? = nil

    /// The `model_type` values this toolkit implements.
    public static let supportedModelTypes = ["bert", "distilbert"]
    /// The tensor names and architectural differences of `modelType`.
    public var layout: EncoderLayout { modelType == "distilbert" ? .distilBert : .bert }

    /// The number of output classes of a classification head (`num_labels`).
    public var numLabels: Int {
        get { id2label.count }
        set { id2label = Dictionary(uniqueKeysWithValues: (0..<newValue).map { ($0, "LABEL_\($0)") }) }
    }
    /// Ids by class name (`label2id`), derived from `id2label`.
    public var label2id: [String: Int] { Dictionary(id2label.map { ($0.value, $0.key) }, uniquingKeysWith: min) }

    /// The Hugging Face `BertConfig` defaults (BERT-base sizes).
    public init() {}

    /// A configuration with these sizes and HF defaults for the rest (small test models, or the
    /// MiniLM shape for benchmarks).
    public init(vocabSize: Int, hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
                intermediateSize: Int, maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2,
                hiddenDropoutProb: Float = 0.1, attentionProbsDropoutProb: Float = 0.1, numLabels: Int = 2) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.numLabels = numLabels
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size"
        case hiddenAct = "hidden_act", maxPositionEmbeddings = "max_position_embeddings"
        case typeVocabSize = "type_vocab_size", layerNormEps = "layer_norm_eps"
        case hiddenDropoutProb = "hidden_dropout_prob", attentionProbsDropoutProb = "attention_probs_dropout_prob"
        case classifierDropout = "classifier_dropout", initializerRange = "initializer_range"
        case padTokenId = "pad_token_id", id2label, label2id, numLabels = "num_labels"
        case architectures, modelType = "model_type", positionEmbeddingType = "position_embedding_type"
        case problemType = "problem_type", finetuningTask = "finetuning_task"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // AutoConfig: model_type picks the keys (absent in old BERT checkpoints: bert).
        switch try c.decodeIfPresent(String.self, forKey: .modelType) ?? "bert" {
        case "bert": break
        case "distilbert":
            self = try DistilBertConfig(from: decoder).bertConfig
            return
        case let other:
            throw ModelError("model_type '\(other)' is not supported; this toolkit implements "
                + Self.supportedModelTypes.map { "'\($0)'" }.joined(separator: ", "))
        }
        func get<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        vocabSize = try get(.vocabSize, vocabSize)
        hiddenSize = try get(.hiddenSize, hiddenSize)
        numHiddenLayers = try get(.numHiddenLayers, numHiddenLayers)
        numAttentionHeads = try get(.numAttentionHeads, numAttentionHeads)
        intermediateSize = try get(.intermediateSize, intermediateSize)
        hiddenAct = try get(.hiddenAct, hiddenAct)
        maxPositionEmbeddings = try get(.maxPositionEmbeddings, maxPositionEmbeddings)
        typeVocabSize = try get(.typeVocabSize, typeVocabSize)
        layerNormEps = try get(.layerNormEps, layerNormEps)
        hiddenDropoutProb = try get(.hiddenDropoutProb, hiddenDropoutProb)
        attentionProbsDropoutProb = try get(.attentionProbsDropoutProb, attentionProbsDropoutProb)
        classifierDropout = try c.decodeIfPresent(Float.self, forKey: .classifierDropout)
        initializerRange = try get(.initializerRange, initializerRange)
        padTokenId = try get(.padTokenId, padTokenId)
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        if let raw = try c.decodeIfPresent([String: String].self, forKey: .id2label) {
            var map: [Int: String] = [:]
            for (k, v) in raw {
                guard let id = Int(k) else {
                    throw ModelError("id2label key '\(k)' is not an integer id; write it as \"0\": \"O\"")
                }
                map[id] = v
            }
            id2label = map
        } else if let n = try c.decodeIfPresent(Int.self, forKey: .numLabels) {
            numLabels = n
        }
        problemType = try Self.checkedProblemType(c.decodeIfPresent(String.self, forKey: .problemType))
        finetuningTask = try c.decodeIfPresent(String.self, forKey: .finetuningTask)
        if let position = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType), position != "absolute" {
            throw ModelError("position_embedding_type '\(position)' is not supported; only 'absolute' is")
        }
        let sizes = [("vocab_size", vocabSize), ("hidden_size", hiddenSize), ("num_attention_heads", numAttentionHeads),
                     ("intermediate_size", intermediateSize), ("max_position_embeddings", maxPositionEmbeddings),
                     ("type_vocab_size", typeVocabSize)]
        for (name, value) in sizes where value <= 0 {
            throw ModelError("\(name) must be positive, got \(value)")
        }
        guard numHiddenLayers >= 0, (0..<1).contains(hiddenDropoutProb), (0..<1).contains(attentionProbsDropoutProb) else {
            throw ModelError("num_hidden_layers must be ≥ 0 and dropout probabilities in [0, 1)")
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw ModelError("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
        guard hiddenAct == "gelu" else {
            throw ModelError("hidden_act '\(hiddenAct)' is not supported; this toolkit implements 'gelu' (exact erf form)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        if modelType == "distilbert" { return try DistilBertConfig(self).encode(to: encoder) }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(hiddenAct, forKey: .hiddenAct)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(typeVocabSize, forKey: .typeVocabSize)
        try c.encode(layerNormEps, forKey: .layerNormEps)
        try c.encode(hiddenDropoutProb, forKey: .hiddenDropoutProb)
        try c.encode(attentionProbsDropoutProb, forKey: .attentionProbsDropoutProb)
        try c.encode(classifierDropout, forKey: .classifierDropout)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode(padTokenId, forKey: .padTokenId)
        try c.encode(Dictionary(uniqueKeysWithValues: id2label.map { (String($0.key), $0.value) }), forKey: .id2label)
        try c.encode(label2id, forKey: .label2id)
        try c.encodeIfPresent(architectures, forKey: .architectures)
        try c.encodeIfPresent(problemType, forKey: .problemType)
        try c.encodeIfPresent(finetuningTask, forKey: .finetuningTask)
        try c.encode("bert", forKey: .modelType)
        try c.encode("absolute", forKey: .positionEmbeddingType)
    }

    /// The size keys a `config.json` lacks (so their BERT-base defaults were used): named when
    /// the weights then disagree, since a default hidden_size of 768 is rarely what was meant.
    static func absentSizeKeys(in url: URL) -> [String] {
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        if object["model_type"] as? String == "distilbert" {
            return ["vocab_size", "dim", "n_layers", "n_heads", "hidden_dim", "max_position_embeddings"]
                .filter { object[$0] == nil }
        }
        return ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                "max_position_embeddings", "type_vocab_size"].filter { object[$0] == nil }
    }

    /// Reads `config.json` at `url` (`AutoConfig`: BERT or DistilBERT keys by `model_type`),
    /// with an error naming the file.
    public static func load(_ url: URL) throws -> BertConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError("cannot read \(url.path): \(FileProblem.describe(error))")
        }
        do { return try JSONDecoder().decode(BertConfig.self, from: data) } catch let e as ModelError {
            throw ModelError("\(url.path): \(e.description)")
        } catch {
            throw ModelError("\(url.path) is not a valid \(Self.supportedModelTypes.joined(separator: "/")) config.json: \(error)"
                + (Hub.cacheAdvice(for: url).map { ". " + $0 } ?? ""))
        }
    }
}
