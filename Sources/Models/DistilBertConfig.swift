import Foundation

/// A DistilBERT configuration with DistilBERT's own `config.json` keys (`dim`, `n_layers`,
/// `n_heads`, `hidden_dim`, ...). Missing keys take the Hugging Face `DistilBertConfig`
/// defaults (distilbert-base-uncased's sizes). The models run on the shared encoder, so a
/// DistilBERT config converts to the equivalent `BertConfig` (`bertConfig`, `modelType`
/// "distilbert") and back (`init(_:)`): LayerNorm eps is DistilBERT's fixed 1e-12, there are no
/// token types, and `dropout` is both the hidden and the token classifier's dropout.
public struct DistilBertConfig: Codable, Sendable, Equatable {
    /// V: the vocabulary size (`vocab_size`).
    public var vocabSize: Int = 30522
    /// The longest sequence the position table covers (`max_position_embeddings`).
    public var maxPositionEmbeddings: Int = 512
    /// Fixed sinusoidal position embeddings instead of learned ones (not supported: an error).
    public var sinusoidalPosEmbds: Bool = false
    /// Transformer layers (`n_layers`).
    public var nLayers: Int = 6
    /// H: attention heads (`n_heads`); `dim` must be a multiple.
    public var nHeads: Int = 12
    /// C: the hidden size (`dim`).
    public var dim: Int = 768
    /// The feed-forward layer's inner size (`hidden_dim`).
    public var hiddenDim: Int = 3072
    /// Dropout on embeddings and sublayer outputs (`dropout`).
    public var dropout: Float = 0.1
    /// Dropout on the attention probabilities (`attention_dropout`).
    public var attentionDropout: Float = 0.1
    /// The feed-forward activation (`gelu` or `relu`).
    public var activation: String = "gelu"
    /// The standard deviation of the random initial weights (`initializer_range`).
    public var initializerRange: Float = 0.02
    /// The question-answering head's dropout (`qa_dropout`), kept for round trips.
    public var qaDropout: Float = 0.1
    /// The sequence classifier's dropout after `pre_classifier` (`seq_classif_dropout`).
    public var seqClassifDropout: Float = 0.2
    /// The padding token's id (`pad_token_id`).
    public var padTokenId: Int = 0
    /// Class names by index (`id2label`); their count is the number of labels.
    public var id2label: [Int: String] = [0: "LABEL_0", 1: "LABEL_1"]
    /// `problem_type` ("regression", "single_label_classification", "multi_label_classification"),
    /// or nil until the first loss infers it (see `BertConfig.problemType`).
    public var problemType: String? = nil
    /// `finetuning_task` (see `BertConfig.finetuningTask`).
    public var finetuningTask: String? = nil
    /// The class names a checkpoint was saved from (`architectures`), if any.
    public var architectures: [String]? = nil

    /// distilbert-base-uncased's configuration (Hugging Face's defaults).
    public init() {}

    /// A configuration with these sizes and the defaults for the rest (tiny test models).
    public init(vocabSize: Int, dim: Int, nLayers: Int, nHeads: Int, hiddenDim: Int, maxPositionEmbeddings: Int = 512,
                dropout: Float = 0.1, attentionDropout: Float = 0.1, seqClassifDropout: Float = 0.2, numLabels: Int = 2) {
        self.vocabSize = vocabSize
        self.dim = dim
        self.nLayers = nLayers
        self.nHeads = nHeads
        self.hiddenDim = hiddenDim
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.dropout = dropout
        self.attentionDropout = attentionDropout
        self.seqClassifDropout = seqClassifDropout
        self.id2label = Dictionary(uniqueKeysWithValues: (0..<numLabels).map { ($0, "LABEL_\($0)") })
    }

    /// The DistilBERT keys of a converted config (`modelType` "distilbert").
    public init(_ c: BertConfig) {
        vocabSize = c.vocabSize
        maxPositionEmbeddings = c.maxPositionEmbeddings
        nLayers = c.numHiddenLayers
        nHeads = c.numAttentionHeads
        dim = c.hiddenSize
        hiddenDim = c.intermediateSize
        dropout = c.hiddenDropoutProb
        attentionDropout = c.attentionProbsDropoutProb
        activation = c.hiddenAct
        initializerRange = c.initializerRange
        qaDropout = c.qaDropout ?? qaDropout
        seqClassifDropout = c.seqClassifDropout ?? c.classifierDropout ?? seqClassifDropout
        padTokenId = c.padTokenId
        id2label = c.id2label
        architectures = c.architectures
        problemType = c.problemType
        finetuningTask = c.finetuningTask
    }

    /// The same model as a `BertConfig` for the shared encoder (`modelType` "distilbert").
    public var bertConfig: BertConfig {
        var c = BertConfig(vocabSize: vocabSize, hiddenSize: dim, numHiddenLayers: nLayers, numAttentionHeads: nHeads,
                           intermediateSize: hiddenDim, maxPositionEmbeddings: maxPositionEmbeddings, typeVocabSize: 1,
                           hiddenDropoutProb: dropout, attentionProbsDropoutProb: attentionDropout)
        c.modelType = "distilbert"
        c.hiddenAct = activation
        c.layerNormEps = 1e-12
        c.initializerRange = initializerRange
        c.padTokenId = padTokenId
        c.id2label = id2label
        c.architectures = architectures
        c.seqClassifDropout = seqClassifDropout
        c.qaDropout = qaDropout
        c.problemType = problemType
        c.finetuningTask = finetuningTask
        return c
    }

    /// The number of classes a head predicts.
    public var numLabels: Int { id2label.count }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", maxPositionEmbeddings = "max_position_embeddings"
        case sinusoidalPosEmbds = "sinusoidal_pos_embds", nLayers = "n_layers", nHeads = "n_heads", dim
        case hiddenDim = "hidden_dim", dropout, attentionDropout = "attention_dropout", activation
        case initializerRange = "initializer_range", qaDropout = "qa_dropout", seqClassifDropout = "seq_classif_dropout"
        case padTokenId = "pad_token_id", id2label, label2id, numLabels = "num_labels", architectures
        case modelType = "model_type", problemType = "problem_type", finetuningTask = "finetuning_task"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func get<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        if let type = try c.decodeIfPresent(String.self, forKey: .modelType), type != "distilbert" {
            throw ModelError("model_type is '\(type)', not 'distilbert': load it with AutoConfig (BertConfig.load)")
        }
        vocabSize = try get(.vocabSize, vocabSize)
        maxPositionEmbeddings = try get(.maxPositionEmbeddings, maxPositionEmbeddings)
        sinusoidalPosEmbds = try get(.sinusoidalPosEmbds, sinusoidalPosEmbds)
        nLayers = try get(.nLayers, nLayers)
        nHeads = try get(.nHeads, nHeads)
        dim = try get(.dim, dim)
        hiddenDim = try get(.hiddenDim, hiddenDim)
        dropout = try get(.dropout, dropout)
        attentionDropout = try get(.attentionDropout, attentionDropout)
        activation = try get(.activation, activation)
        initializerRange = try get(.initializerRange, initializerRange)
        qaDropout = try get(.qaDropout, qaDropout)
        seqClassifDropout = try get(.seqClassifDropout, seqClassifDropout)
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
            id2label = Dictionary(uniqueKeysWithValues: (0..<n).map { ($0, "LABEL_\($0)") })
        }
        problemType = try BertConfig.checkedProblemType(c.decodeIfPresent(String.self, forKey: .problemType))
        finetuningTask = try c.decodeIfPresent(String.self, forKey: .finetuningTask)
        try validate()
    }

    /// Sizes, dropouts and the features this toolkit implements, with a message saying what to fix.
    func validate() throws {
        if sinusoidalPosEmbds {
            throw ModelError("sinusoidal_pos_embds: true is not supported; this toolkit implements DistilBERT with "
                + "learned position embeddings (sinusoidal_pos_embds: false, as distilbert-base-* use)")
        }
        for (name, value) in [("vocab_size", vocabSize), ("dim", dim), ("n_heads", nHeads), ("hidden_dim", hiddenDim),
                              ("max_position_embeddings", maxPositionEmbeddings)] where value <= 0 {
            throw ModelError("\(name) must be positive, got \(value)")
        }
        guard nLayers >= 0 else { throw ModelError("n_layers must be ≥ 0, got \(nLayers)") }
        for (name, p) in [("dropout", dropout), ("attention_dropout", attentionDropout), ("seq_classif_dropout", seqClassifDropout),
                          ("qa_dropout", qaDropout)] where !(0..<1).contains(p) {
            throw ModelError("\(name) must be in [0, 1), got \(p)")
        }
        guard dim % nHeads == 0 else { throw ModelError("dim \(dim) is not a multiple of n_heads \(nHeads)") }
        guard activation == "gelu" else {
            throw ModelError("activation '\(activation)' is not supported; this toolkit implements 'gelu' (exact erf form)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("distilbert", forKey: .modelType)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(sinusoidalPosEmbds, forKey: .sinusoidalPosEmbds)
        try c.encode(nLayers, forKey: .nLayers)
        try c.encode(nHeads, forKey: .nHeads)
        try c.encode(dim, forKey: .dim)
        try c.encode(hiddenDim, forKey: .hiddenDim)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(attentionDropout, forKey: .attentionDropout)
        try c.encode(activation, forKey: .activation)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode(qaDropout, forKey: .qaDropout)
        try c.encode(seqClassifDropout, forKey: .seqClassifDropout)
        try c.encode(padTokenId, forKey: .padTokenId)
        try c.encode(Dictionary(uniqueKeysWithValues: id2label.map { (String($0.key), $0.value) }), forKey: .id2label)
        try c.encode(Dictionary(id2label.map { ($0.value, $0.key) }, uniquingKeysWith: min), forKey: .label2id)
        try c.encodeIfPresent(architectures, forKey: .architectures)
        try c.encodeIfPresent(problemType, forKey: .problemType)
        try c.encodeIfPresent(finetuningTask, forKey: .finetuningTask)
    }
}
