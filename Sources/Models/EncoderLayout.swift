/// What distinguishes one post-LayerNorm encoder architecture from another in this toolkit: the
/// checkpoint's tensor names and the few places the math differs. BERT and DistilBERT share
/// every layer type (`BertModel`, `BertLayer`, `Linear`, `LayerNormParameters`, the heads); only
/// this table differs:
///
/// |                              | BERT                        | DistilBERT                    |
/// |------------------------------|-----------------------------|-------------------------------|
/// | layer N                      | `encoder.layer.N`           | `transformer.layer.N`         |
/// | q, k, v, attention out       | `attention.self.query`, ... | `attention.q_lin`, ... `out_lin` |
/// | LayerNorms                   | `attention.output.LayerNorm`, `output.LayerNorm` | `sa_layer_norm`, `output_layer_norm` |
/// | feed-forward                 | `intermediate.dense`, `output.dense` | `ffn.lin1`, `ffn.lin2`  |
/// | token-type embeddings        | yes                         | none (token_type_ids ignored) |
/// | dropout after attention out  | yes                         | none                          |
/// | pooled [CLS] layer           | `bert.pooler.dense` + tanh  | `pre_classifier` + ReLU       |
public struct EncoderLayout: Sendable, Equatable {
    /// `config.json`'s `model_type`.
    public let modelType: String
    /// The encoder's prefix inside a task model (`bert.`, `distilbert.`).
    public let taskPrefix: String
    /// The bare encoder's class name (`BertModel`, `DistilBertModel`).
    public let encoderClass: String
    /// Prefix of layer `n` (after the model prefix): `encoder.layer.3`.
    let layerStem: String
    let query, key, value, attentionOutput, attentionNorm, intermediate, output, outputNorm: String
    /// Whether the embeddings include token types (`token_type_embeddings`).
    let hasTokenTypes: Bool
    /// Whether dropout (hidden dropout) follows the attention output projection.
    let attentionOutputDropout: Bool
    /// The pooled [CLS] layer's name: inside the encoder (BERT: after the model prefix), or a
    /// layer of the task model itself (DistilBERT's `pre_classifier`, no prefix).
    let poolerName: String
    let poolerInsideEncoder: Bool
    /// The pooled layer's activation.
    let poolerActivation: PoolerActivation

    enum PoolerActivation: Sendable { case tanh, relu }

    /// BERT's names (`bert.encoder.layer.N.attention.self.query`, ...), token types, tanh pooler.
    public static let bert = EncoderLayout(
        modelType: "bert", taskPrefix: "bert.", encoderClass: "BertModel", layerStem: "encoder.layer",
        query: "attention.self.query", key: "attention.self.key", value: "attention.self.value",
        attentionOutput: "attention.output.dense", attentionNorm: "attention.output.LayerNorm",
        intermediate: "intermediate.dense", output: "output.dense", outputNorm: "output.LayerNorm",
        hasTokenTypes: true, attentionOutputDropout: true,
        poolerName: "pooler.dense", poolerInsideEncoder: true, poolerActivation: .tanh)

    /// DistilBERT's names (`distilbert.transformer.layer.N.attention.q_lin`, ...), no token types,
    /// `pre_classifier` with ReLU as the pooled layer.
    public static let distilBert = EncoderLayout(
        modelType: "distilbert", taskPrefix: "distilbert.", encoderClass: "DistilBertModel", layerStem: "transformer.layer",
        query: "attention.q_lin", key: "attention.k_lin", value: "attention.v_lin",
        attentionOutput: "attention.out_lin", attentionNorm: "sa_layer_norm",
        intermediate: "ffn.lin1", output: "ffn.lin2", outputNorm: "output_layer_norm",
        hasTokenTypes: false, attentionOutputDropout: false,
        poolerName: "pre_classifier", poolerInsideEncoder: false, poolerActivation: .relu)

    /// The pooled layer's full parameter prefix for a model whose encoder prefix is `prefix`.
    func poolerPath(_ prefix: String) -> String { poolerInsideEncoder ? prefix + poolerName : poolerName }
}
