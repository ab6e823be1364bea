import Foundation
import Tensor

/// What both task models share: an encoder, a classifier, parameters in checkpoint order,
/// train/eval modes, backward and zeroGrad.
public protocol BertClassifier: AnyObject {
    /// The encoder under the classifier (checkpoint names `bert.*`).
    var bert: BertModel { get }
    /// The configuration: sizes, dropout, and the label names (`id2label`).
    var config: BertConfig { get }
    /// Every trainable parameter, in checkpoint order (`bert.*`, then `classifier.*`).
    var parameters: [Parameter] { get }
    /// The architecture name written to config.json (`BertForTokenClassification`, ...).
    static var architecture: String { get }
    /// The `model_type` this class implements (`bert`, `distilbert`).
    static var modelType: String { get }
    /// A model with random weights (the initializer of the Python library), seeded; `fromPretrained` loads weights.
    init(config: BertConfig, seed: UInt64)
    /// The model `fromPretrained` builds for a checkpoint's config: this class, or (called on a
    /// BERT class, as `AutoModelFor...` is) the class of the config's `model_type`.
    static func make(config: BertConfig, seed: UInt64) throws -> Self
    /// Logits, and the mean loss when labels are given: flat labels of B·T values for token
    /// classification, B values for sequence classification (-100 = ignore).
    func forward(_ input: BertInput, labels: [Int32]?) throws -> ClassifierOutput
    /// Logits and the mean-squared-error loss against float labels (regression: B values for a
    /// one-output sequence head, B·L for L outputs). Only a regression head takes them.
    func forward(_ input: BertInput, regressionLabels: [Float]) throws -> ClassifierOutput
    /// Back-propagates `scale` × the loss of the last forward pass with labels.
    func backward(scale: Float) throws
    /// The classification layer (weight [L, C], bias [L]).
    var classifier: Linear { get }
}

extension BertClassifier {
    /// Token classification has no regression head: float labels are an error.
    public func forward(_ input: BertInput, regressionLabels: [Float]) throws -> ClassifierOutput {
        throw ModelError("\(type(of: self).architecture) takes integer class ids, not float labels; regression needs "
            + "a sequence classifier with num_labels 1 (problem_type \"regression\")")
    }
    /// The encoder's configuration.
    public var config: BertConfig { bert.config }
    /// Training mode: dropout on (Python `model.train()`).
    public func train() { bert.train() }
    /// Evaluation mode: dropout off (Python `model.eval()`).
    public func eval() { bert.eval() }
    /// Whether the model is in training mode (dropout on).
    public var training: Bool { bert.training }
    /// Runs `body` with gradients off (`with torch.no_grad():`), as evaluation and pipelines do:
    /// in eval mode the forward passes inside need a fraction of the memory.
    public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R { try bert.withNoGrad(body) }
    /// Clears every parameter's gradient (`model.zero_grad()`).
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
    /// Number of trainable values.
    public var numParameters: Int { parameters.reduce(0) { $0 + $1.value.count } }
    /// The parameter with this checkpoint name.
    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }
    /// Whether the matrix products run in bf16 (mixed precision; see `setBF16`).
    public var usesBF16: Bool { bert.bf16Context != nil }
    /// Runs every matrix product of the model (encoder incl. attention's QKᵀ and P·V, pooler,
    /// classifier; forward and backward) in bf16 with fp32 accumulation through oneDNN, as PyTorch's CPU autocast does,
    /// or (false) in fp32 through OpenBLAS. Master weights, AdamW, LayerNorm, softmax, GELU and
    /// the loss stay fp32, and so do checkpoints. Throws when oneDNN cannot run bf16 here.
    ///
    /// This is the one place that switches precision: every linear layer of the encoder and
    /// pooler (`BertModel.setBF16`) and the classifier head. The Trainer and `Accelerator` call
    /// it only through `withBF16`, which restores the caller's precision afterwards.
    public func setBF16(_ enabled: Bool) throws {
        try bert.setBF16(enabled)
        classifier.bf16.context = bert.bf16Context
    }

    /// Switches the products to bf16 for a scope (`enabled`; false leaves the model as it is)
    /// and returns a closure that puts the model back in the precision it had. The Trainer's
    /// `train`, `evaluate` and `predict` use it, so a caller's model is fp32 again afterwards.
    public func enterBF16(_ enabled: Bool) throws -> () -> Void {
        guard enabled, !usesBF16 else { return {} }
        try setBF16(true)
        // Back to fp32 only drops the bf16 context: it cannot fail.
        return { [self] in try? setBF16(false) }
    }
    var classifierDropout: Float { bert.training ? (config.classifierDropout ?? config.hiddenDropoutProb) : 0 }
    /// A sequence head's dropout: DistilBERT's `seq_classif_dropout`, else as above.
    var sequenceClassifierDropout: Float { bert.training ? (config.seqClassifDropout ?? classifierDropout) : 0 }

    /// `Self(config:seed:)`, or for a call on the BERT class `bert` (`AutoModelFor...`), the class
    /// of the config's `model_type`; a class asked for another model type throws.
    static func choose(bert: any BertClassifier.Type, distilBert: any BertClassifier.Type, config: BertConfig,
                       seed: UInt64) throws -> Self {
        let type: any BertClassifier.Type = ObjectIdentifier(Self.self) != ObjectIdentifier(bert) ? Self.self
            : config.modelType == distilBert.modelType ? distilBert : bert
        guard type.modelType == config.modelType else {
            throw ModelError("the checkpoint is a '\(config.modelType)' model (config.json's model_type) but "
                + "\(type.architecture) is a '\(type.modelType)' model: load it with the Auto class "
                + "(AutoModelForSequenceClassification, AutoModelForTokenClassification), which picks the architecture")
        }
        guard let model = type.init(config: config, seed: seed) as? Self else {
            throw ModelError("internal: \(type.architecture) is not a \(Self.architecture)")
        }
        return model
    }
    /// The architecture of this model as config.json names it: the class's, except that a BERT
    /// class built directly on a DistilBERT config (rather than through `fromPretrained`) is
    /// named by its layout, so what it saves loads as DistilBERT in Python.
    public var architectureName: String {
        let name = type(of: self).architecture
        guard type(of: self).modelType == "bert", bert.layout == .distilBert, name.hasPrefix("Bert") else { return name }
        return "DistilBert" + name.dropFirst(4)
    }
    var headRNG: CounterRandom { CounterRandom(seed: bert.seed, stream: (bert.forwardCount << 12) | 0xFFF) }
}

/// BERT with a per-token classifier (named-entity recognition): logits [B, T, L].
/// Like the Python class, it has no pooler.
/// Also DistilBERT's (`DistilBertForTokenClassification`, a subclass for the name): the same
/// head on the shared encoder, whose layout follows the config's `model_type`.
public class BertForTokenClassification: BertClassifier {
    public let bert: BertModel
    let head: ClassifierHead
    public class var architecture: String { "BertForTokenClassification" }
    public class var modelType: String { "bert" }

    public required init(config: BertConfig, seed: UInt64 = defaultSeed) {
        bert = BertModel(config: config, prefix: config.layout.taskPrefix, addPoolingLayer: false, seed: seed)
        head = ClassifierHead(config: config, seed: seed)
    }

    public class func make(config: BertConfig, seed: UInt64) throws -> Self {
        try choose(bert: BertForTokenClassification.self, distilBert: DistilBertForTokenClassification.self,
                   config: config, seed: seed)
    }

    public var parameters: [Parameter] { bert.parameters + head.classifier.parameters }
    public var classifier: Linear { head.classifier }

    /// Logits [B, T, L]; with labels [B, T] (-100 where ignored), also the mean loss.
    public func callAsFunction(_ input: BertInput, labels: [[Int]]? = nil) throws -> ClassifierOutput {
        let flat = try labels.map { rows -> [Int32] in
            guard rows.count == input.batchSize, rows.allSatisfy({ $0.count == input.sequenceLength }) else {
                throw ModelError("labels must be \(input.batchSize) rows of \(input.sequenceLength) values, like input_ids "
                    + "(pad them with -100)")
            }
            return rows.flatMap { $0.map { Int32(clamping: $0) } }
        }
        return try forward(input, labels: flat)
    }

    /// Same with flat labels [B·T].
    public func forward(_ input: BertInput, labels: [Int32]?) throws -> ClassifierOutput {
        let (b, t) = try bert.run(input)
        let r = try StepProfile.measure(.loss) {
            try head.forward(bert.lastHiddenPointer, m: b * t, targets: labels, p: classifierDropout, rng: headRNG,
                             recording: bert.gradEnabled)
        }
        try bert.checkBF16()
        let logits = Tensor(shape: [b, t, head.labels])
        try logits.copy(from: r.logits)
        return ClassifierOutput(loss: r.loss, logits: logits, model: self)
    }

    public func backward(scale: Float = 1) throws {
        let d = try StepProfile.measure(.loss) { try head.backward(scale: scale) }
        try bert.backward(dLastHidden: d, dPooled: nil)
    }
}

/// BERT with a classifier on the pooled [CLS] vector (MRPC, SST-2, IMDb): logits [B, L].
/// Also DistilBERT's (`DistilBertForSequenceClassification`): there the pooled layer is
/// `pre_classifier` with ReLU (see `EncoderLayout`) and the dropout `seq_classif_dropout`.
public class BertForSequenceClassification: BertClassifier {
    public let bert: BertModel
    let head: ClassifierHead
    public class var architecture: String { "BertForSequenceClassification" }
    public class var modelType: String { "bert" }

    public required init(config: BertConfig, seed: UInt64 = defaultSeed) {
        bert = BertModel(config: config, prefix: config.layout.taskPrefix, addPoolingLayer: true, seed: seed)
        head = ClassifierHead(config: config, seed: seed)
    }

    public class func make(config: BertConfig, seed: UInt64) throws -> Self {
        try choose(bert: BertForSequenceClassification.self, distilBert: DistilBertForSequenceClassification.self,
                   config: config, seed: seed)
    }

    public var parameters: [Parameter] { bert.parameters + head.classifier.parameters }
    public var classifier: Linear { head.classifier }

    /// Logits [B, L]; with labels [B], also the mean cross-entropy loss (for a regression head,
    /// the ids are taken as values: mean-squared error).
    public func callAsFunction(_ input: BertInput, labels: [Int]? = nil) throws -> ClassifierOutput {
        try forward(input, labels: labels.map { $0.map { Int32(clamping: $0) } })
    }

    /// Logits [B, L] and the mean-squared-error loss against float labels ([B] for one output,
    /// [B·L] row-major for L): a regression head (`num_labels` 1 or `problem_type` "regression").
    /// (A label of its own: with `labels:`, an array literal of whole numbers would be ambiguous.)
    public func callAsFunction(_ input: BertInput, regressionLabels: [Float]) throws -> ClassifierOutput {
        try forward(input, regressionLabels: regressionLabels)
    }

    public func forward(_ input: BertInput, labels: [Int32]?) throws -> ClassifierOutput {
        if let labels {
            // Whole-number scores on a regression head are values (transformers would refuse
            // int targets for MSELoss; taking them as floats is what the user meant).
            if config.isRegression { return try forward(input, regressionLabels: labels.map(Float.init)) }
            if config.problemType == "multi_label_classification" {
                throw ModelError("problem_type multi_label_classification (one 0/1 target per label, sigmoid "
                    + "cross-entropy) is not supported; use single_label_classification with one class id per row")
            }
            if config.problemType == nil { bert.config.problemType = "single_label_classification" }
        }
        return try run(input, labels: labels, floatLabels: nil)
    }

    public func forward(_ input: BertInput, regressionLabels: [Float]) throws -> ClassifierOutput {
        guard config.isRegression else {
            throw ModelError("float labels on a classification model with \(config.numLabels) labels"
                + (config.problemType.map { " (problem_type \($0))" } ?? "") + ": give integer class ids 0..<"
                + "\(config.numLabels), or for regression a model with num_labels 1 (problem_type \"regression\")")
        }
        if let bad = regressionLabels.first(where: { !$0.isFinite }) {
            throw ModelError("regression label \(bad) is not a finite number: check the dataset's label column")
        }
        // transformers records what it inferred at the first loss, so a saved config says it.
        if config.problemType == nil { bert.config.problemType = "regression" }
        return try run(input, labels: nil, floatLabels: regressionLabels)
    }

    /// Encoder, pooled vector, head: logits [B, L] and the loss of whichever labels are given.
    private func run(_ input: BertInput, labels: [Int32]?, floatLabels: [Float]?) throws -> ClassifierOutput {
        let (b, _) = try bert.run(input)
        guard let pooled = bert.pooledPointer else { throw ModelError("internal: sequence classifier without pooler") }
        let r = try head.forward(pooled, m: b, targets: labels, floatTargets: floatLabels, p: sequenceClassifierDropout,
                                 rng: headRNG, recording: bert.gradEnabled)
        try bert.checkBF16()
        let logits = Tensor(shape: [b, head.labels])
        try logits.copy(from: r.logits)
        return ClassifierOutput(loss: r.loss, logits: logits, model: self)
    }

    public func backward(scale: Float = 1) throws {
        let d = try head.backward(scale: scale)
        try bert.backward(dLastHidden: nil, dPooled: d)
    }
}

extension BertClassifier {
    /// Back-propagates the loss of the last forward pass with labels (`loss.backward()`).
    public func backward() throws { try backward(scale: 1) }
}

extension BertClassifier {
    /// The task this model is fine-tuned for (`finetuning_task` in config.json, as
    /// `AutoConfig.from_pretrained(..., finetuning_task=)` sets it in Python): run_glue writes
    /// the GLUE task, run_ner "ner". Saved and pushed with the config.
    public var finetuningTask: String? {
        get { bert.config.finetuningTask }
        set { bert.config.finetuningTask = newValue }
    }
}
