import Tensor

// DistilBERT (Sanh et al., 2019) on the shared encoder: the same post-LayerNorm layers as BERT,
// with the tensor names and the few differences listed in `EncoderLayout.distilBert` (no token
// types, no dropout after the attention projection, `pre_classifier` + ReLU instead of the
// pooler's tanh). These classes only give the architecture its names.

/// `DistilBertModel`: the bare encoder is a `BertModel` whose layout is `.distilBert`
/// (`BertModel(config: distilConfig.bertConfig)`, or `fromPretrained` on a DistilBERT folder).
public typealias DistilBertModel = BertModel

extension BertModel {
    /// A DistilBERT encoder with `config`'s sizes (tensor names `embeddings.*`, `transformer.layer.N.*`).
    /// A model with random weights from DistilBERT's own configuration, seeded (dropout masks and init).
    public convenience init(config: DistilBertConfig, seed: UInt64 = defaultSeed) {
        self.init(config: config.bertConfig, addPoolingLayer: false, seed: seed)
    }
}

/// DistilBERT with a per-token classifier: dropout(`dropout`) → `classifier`. Logits [B, T, L].
public final class DistilBertForTokenClassification: BertForTokenClassification {
    public override class var architecture: String { "DistilBertForTokenClassification" }
    public override class var modelType: String { "distilbert" }

    /// A config of another `model_type` is read as DistilBERT sizes (`modelType` set to "distilbert").
    public required init(config: BertConfig, seed: UInt64 = defaultSeed) {
        var c = config
        c.modelType = "distilbert"
        super.init(config: c, seed: seed)
    }

    /// A model with random weights from DistilBERT's own configuration, seeded (dropout masks and init).
    public convenience init(config: DistilBertConfig, seed: UInt64 = defaultSeed) {
        self.init(config: config.bertConfig, seed: seed)
    }

    /// The encoder under its checkpoint name (`distilbert.*`); the same object as `bert`.
    public var distilbert: BertModel { bert }
}

/// DistilBERT with a classifier on the [CLS] hidden state: `pre_classifier` → ReLU →
/// dropout(`seq_classif_dropout`) → `classifier`. Logits [B, L].
public final class DistilBertForSequenceClassification: BertForSequenceClassification {
    public override class var architecture: String { "DistilBertForSequenceClassification" }
    public override class var modelType: String { "distilbert" }

    /// A config of another `model_type` is read as DistilBERT sizes (`modelType` set to "distilbert").
    public required init(config: BertConfig, seed: UInt64 = defaultSeed) {
        var c = config
        c.modelType = "distilbert"
        super.init(config: c, seed: seed)
    }

    /// A model with random weights from DistilBERT's own configuration, seeded (dropout masks and init).
    public convenience init(config: DistilBertConfig, seed: UInt64 = defaultSeed) {
        self.init(config: config.bertConfig, seed: seed)
    }

    /// The encoder under its checkpoint name (`distilbert.*`); the same object as `bert`.
    public var distilbert: BertModel { bert }
    /// The layer before the classifier ([C, C] + ReLU).
    public var preClassifier: Linear? { bert.pooler }
}
