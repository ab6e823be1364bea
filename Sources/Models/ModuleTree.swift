// `print(model)`: the module tree in the layout PyTorch prints it, so a reader of the Python
// course sees the same picture: each module's name in parentheses, its class, its children
// indented by two spaces, and identical consecutive layers folded into `(0-5): 6 x BertLayer(`.
// The text is generated from the configuration: our layers are not separate objects, but the
// shapes and settings printed are exactly those the model computes with.

/// One node of a PyTorch-style module tree: a leaf such as `Linear(in_features=384, ...)`, or
/// a container `BertModel(` ... `)` with named children.
struct ModuleNode {
    var text: String
    var children: [(name: String, node: ModuleNode)] = []
    /// A leaf's text is printed as it is (`Linear(...)`, `Tanh()`).
    var isLeaf = false

    init(_ text: String, _ children: [(String, ModuleNode)] = []) {
        self.text = text
        self.children = children.map { (name: $0.0, node: $0.1) }
    }

    /// PyTorch's `Module.__repr__`: `Class(` + indented `(name): child` lines + `)`, or
    /// `Class()` without children.
    func render() -> String {
        if isLeaf { return text }
        guard !children.isEmpty else { return text + "()" }
        var lines = [text + "("]
        for (name, child) in children {
            let body = child.render().split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("  (\(name)): " + body[0])
            lines += body.dropFirst().map { "  " + $0 }
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }

    static func leaf(_ text: String) -> ModuleNode {
        var node = ModuleNode(text)
        node.isLeaf = true
        return node
    }
}

/// Python's `repr` of a float read from the config (`0.1`, `0.0`, `1e-12`, `1e-05`): the
/// shortest digits of the Float, which is what the JSON held.
func pythonFloat(_ x: Float) -> String {
    let s = String(describing: x)
    return s.contains(".") || s.contains("e") || s.contains("n") ? s : s + ".0"
}

enum ModuleTree {
    static func linear(_ inFeatures: Int, _ outFeatures: Int) -> ModuleNode {
        .leaf("Linear(in_features=\(inFeatures), out_features=\(outFeatures), bias=True)")
    }
    static func layerNorm(_ c: BertConfig) -> ModuleNode {
        .leaf("LayerNorm((\(c.hiddenSize),), eps=\(pythonFloat(c.layerNormEps)), elementwise_affine=True, bias=True)")
    }
    static func dropout(_ p: Float) -> ModuleNode { .leaf("Dropout(p=\(pythonFloat(p)), inplace=False)") }

    /// The activation module transformers' `ACT2FN` makes for `hidden_act`.
    static func activation(_ name: String) -> ModuleNode {
        let known = ["gelu": "GELUActivation", "relu": "ReLU", "gelu_new": "NewGELUActivation", "tanh": "Tanh",
                     "silu": "SiLU", "swish": "SiLU", "gelu_fast": "FastGELUActivation", "quick_gelu": "QuickGELUActivation",
                     "gelu_pytorch_tanh": "PytorchGELUTanh", "sigmoid": "Sigmoid", "mish": "Mish"]
        return .leaf((known[name] ?? name) + "()")
    }

    /// Layers 0..<n as PyTorch prints a ModuleList of identical modules: one `(0)` entry for a
    /// single layer, `(0-5): 6 x Layer` for several.
    static func layerList(_ layer: ModuleNode, count n: Int) -> ModuleNode {
        guard n > 1 else { return ModuleNode("ModuleList", n == 1 ? [("0", layer)] : []) }
        var folded = layer
        folded.text = "\(n) x " + layer.text
        return ModuleNode("ModuleList", [("0-\(n - 1)", folded)])
    }

    static func bertModel(_ c: BertConfig, pooler: Bool) -> ModuleNode {
        let h = c.hiddenSize
        let embeddings = ModuleNode("BertEmbeddings", [
            ("word_embeddings", .leaf("Embedding(\(c.vocabSize), \(h), padding_idx=\(c.padTokenId))")),
            ("position_embeddings", .leaf("Embedding(\(c.maxPositionEmbeddings), \(h))")),
            ("token_type_embeddings", .leaf("Embedding(\(c.typeVocabSize), \(h))")),
            ("LayerNorm", layerNorm(c)),
            ("dropout", dropout(c.hiddenDropoutProb)),
        ])
        let attention = ModuleNode("BertAttention", [
            ("self", ModuleNode("BertSelfAttention", [
                ("query", linear(h, h)), ("key", linear(h, h)), ("value", linear(h, h)),
                ("dropout", dropout(c.attentionProbsDropoutProb)),
            ])),
            ("output", ModuleNode("BertSelfOutput", [
                ("dense", linear(h, h)), ("LayerNorm", layerNorm(c)), ("dropout", dropout(c.hiddenDropoutProb)),
            ])),
        ])
        let layer = ModuleNode("BertLayer", [
            ("attention", attention),
            ("intermediate", ModuleNode("BertIntermediate", [
                ("dense", linear(h, c.intermediateSize)), ("intermediate_act_fn", activation(c.hiddenAct)),
            ])),
            ("output", ModuleNode("BertOutput", [
                ("dense", linear(c.intermediateSize, h)), ("LayerNorm", layerNorm(c)),
                ("dropout", dropout(c.hiddenDropoutProb)),
            ])),
        ])
        var children: [(String, ModuleNode)] = [
            ("embeddings", embeddings),
            ("encoder", ModuleNode("BertEncoder", [("layer", layerList(layer, count: c.numHiddenLayers))])),
        ]
        if pooler {
            children.append(("pooler", ModuleNode("BertPooler", [("dense", linear(h, h)), ("activation", .leaf("Tanh()"))])))
        }
        return ModuleNode("BertModel", children)
    }

    /// `DistilBertModel`: embeddings without token types, `transformer.layer` of TransformerBlocks.
    static func distilBertModel(_ c: BertConfig) -> ModuleNode {
        let h = c.hiddenSize
        let embeddings = ModuleNode("Embeddings", [
            ("word_embeddings", .leaf("Embedding(\(c.vocabSize), \(h), padding_idx=\(c.padTokenId))")),
            ("position_embeddings", .leaf("Embedding(\(c.maxPositionEmbeddings), \(h))")),
            ("LayerNorm", layerNorm(c)),
            ("dropout", dropout(c.hiddenDropoutProb)),
        ])
        let block = ModuleNode("TransformerBlock", [
            ("attention", ModuleNode("DistilBertSelfAttention", [
                ("q_lin", linear(h, h)), ("k_lin", linear(h, h)), ("v_lin", linear(h, h)), ("out_lin", linear(h, h)),
                ("dropout", dropout(c.attentionProbsDropoutProb)),
            ])),
            ("sa_layer_norm", layerNorm(c)),
            ("ffn", ModuleNode("FFN", [
                ("dropout", dropout(c.hiddenDropoutProb)), ("lin1", linear(h, c.intermediateSize)),
                ("lin2", linear(c.intermediateSize, h)), ("activation", activation(c.hiddenAct)),
            ])),
            ("output_layer_norm", layerNorm(c)),
        ])
        return ModuleNode("DistilBertModel", [
            ("embeddings", embeddings),
            ("transformer", ModuleNode("Transformer", [("layer", layerList(block, count: c.numHiddenLayers))])),
        ])
    }

    /// A DistilBERT task model in its modules' registration order: the sequence head has
    /// `pre_classifier`, `classifier`, then `dropout` (seq_classif_dropout); the token head
    /// `dropout` (dropout), then `classifier`.
    static func distilClassifier(_ architecture: String, _ c: BertConfig, sequence: Bool) -> ModuleNode {
        let body = ("distilbert", distilBertModel(c))
        let classifier = ("classifier", linear(c.hiddenSize, c.numLabels))
        if sequence {
            return ModuleNode(architecture, [body, ("pre_classifier", linear(c.hiddenSize, c.hiddenSize)), classifier,
                                             ("dropout", dropout(c.seqClassifDropout ?? c.hiddenDropoutProb))])
        }
        return ModuleNode(architecture, [body, ("dropout", dropout(c.hiddenDropoutProb)), classifier])
    }

    /// A task model: `bert`, the classifier's dropout (`classifier_dropout`, else the hidden
    /// dropout), and `classifier`.
    static func classifier(_ architecture: String, _ c: BertConfig, pooler: Bool) -> ModuleNode {
        ModuleNode(architecture, [
            ("bert", bertModel(c, pooler: pooler)),
            ("dropout", dropout(c.classifierDropout ?? c.hiddenDropoutProb)),
            ("classifier", linear(c.hiddenSize, c.numLabels)),
        ])
    }
}

extension BertModel: CustomStringConvertible {
    /// The module tree as PyTorch prints `BertModel` (`print(model)`).
    public var description: String {
        layout == .distilBert ? ModuleTree.distilBertModel(config).render()
            : ModuleTree.bertModel(config, pooler: pooler != nil).render()
    }
}

extension BertForSequenceClassification: CustomStringConvertible {
    /// The module tree as PyTorch prints `BertForSequenceClassification` (`print(model)`).
    public var description: String {
        bert.layout == .distilBert ? ModuleTree.distilClassifier(architectureName, config, sequence: true).render()
            : ModuleTree.classifier(architectureName, config, pooler: bert.pooler != nil).render()
    }
}

extension BertForTokenClassification: CustomStringConvertible {
    /// The module tree as PyTorch prints `BertForTokenClassification` (`print(model)`).
    public var description: String {
        bert.layout == .distilBert ? ModuleTree.distilClassifier(architectureName, config, sequence: false).render()
            : ModuleTree.classifier(architectureName, config, pooler: bert.pooler != nil).render()
    }
}
