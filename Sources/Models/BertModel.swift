import Foundation
import Tensor

/// What `BertModel.forward` returns. lastHiddenState: [B, T, C]; poolerOutput: [B, C] (nil
/// without a pooling layer).
public struct BertModelOutput {
    /// The last layer's output for every token: [B, T, C].
    public let lastHiddenState: Tensor
    /// tanh(W · h[CLS] + b) per row: [B, C]; nil without a pooling layer.
    public let poolerOutput: Tensor?
}

/// The BERT encoder: embeddings (word + position + token type, LayerNorm, dropout), N post-LN
/// transformer layers, and an optional pooler (tanh(W · h[CLS])). Forward and backward run on
/// preallocated buffers; gradients accumulate into each `Parameter.grad`.
public final class BertModel {
    /// The configuration the encoder was built with.
    public internal(set) var config: BertConfig
    /// "" for a bare encoder, "bert." (or "distilbert.") inside a task model, matching
    /// checkpoint names.
    public let prefix: String
    /// The architecture's tensor names and its few differences from BERT (`EncoderLayout`).
    public let layout: EncoderLayout
    /// The embedding tables: words [V, C], positions [maxPositionEmbeddings, C], token types [typeVocabSize, C].
    public let wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings: Parameter
    /// The LayerNorm over the summed embeddings (weight and bias [C]).
    public let embeddingsNorm: LayerNormParameters
    let layers: [BertLayer]
    /// The pooler's dense layer (weight [C, C], bias [C]); nil for token classification.
    public let pooler: Linear?

    /// Training mode turns dropout on (`train()`), evaluation mode off (`eval()`).
    public var training = false
    /// Seed of the dropout masks; each training forward pass draws fresh masks from
    /// (seed, forward count), so a run is reproducible from its seed.
    public var seed: UInt64 = defaultSeed
    /// Training forward passes so far: with `seed`, it determines the next dropout masks. Part
    /// of the training state, so a resumed run sets it back to where the checkpoint was.
    public var forwardCount: UInt64 = 0

    /// Whether forward passes keep what backward needs (`torch.is_grad_enabled()`); set it
    /// through `withNoGrad`. Without gradients, an eval-mode forward runs the layers through one
    /// layer's worth of buffers (`BertInferenceWorkspace`) instead of saving every activation.
    public private(set) var gradEnabled = true

    /// The bf16 engine state when the products run in bf16 (`setBF16(true)`), else nil (fp32).
    public private(set) var bf16Context: BF16Context?
    /// The int8 engine state when the model is quantised (`quantize(.int8Dynamic)`), else nil.
    public internal(set) var int8Context: Int8Context?

    private var workspace: BertWorkspace?
    private var inferenceWorkspace: BertInferenceWorkspace?
    /// Whether the last forward pass ran on `inferenceWorkspace`.
    private var lastRanInference = false
    private var last: (b: Int, t: Int, masked: Bool, dropout: [BertLayer.Dropout], embRNG: CounterRandom)?

    /// An encoder with random weights, named `prefix` + the checkpoint's names, with or without the
    /// pooler; `layout` defaults to the config's architecture (`model_type`).
    public init(config: BertConfig, prefix: String = "", addPoolingLayer: Bool = true, seed: UInt64 = defaultSeed,
                layout: EncoderLayout? = nil) {
        let layout = layout ?? config.layout
        self.config = config
        self.prefix = prefix
        self.layout = layout
        self.seed = seed
        let c = config.hiddenSize
        wordEmbeddings = Parameter(prefix + "embeddings.word_embeddings.weight", shape: [config.vocabSize, c])
        wordEmbeddings.recordsGradRows = true
        positionEmbeddings = Parameter(prefix + "embeddings.position_embeddings.weight", shape: [config.maxPositionEmbeddings, c])
        tokenTypeEmbeddings = Parameter(prefix + "embeddings.token_type_embeddings.weight", shape: [config.typeVocabSize, c])
        embeddingsNorm = LayerNormParameters(prefix + "embeddings.LayerNorm", c: c)
        layers = (0..<config.numHiddenLayers).map {
            BertLayer(prefix: prefix + layout.layerStem + ".\($0)", config: config, layout: layout)
        }
        pooler = addPoolingLayer ? Linear(layout.poolerPath(prefix), in: c, out: c) : nil
        initializeWeights(parameters, config: config, seed: seed)
    }

    /// Every parameter in checkpoint order.
    public var parameters: [Parameter] {
        // Without token types the type table stays a single zero row outside the parameters.
        [wordEmbeddings, positionEmbeddings] + (layout.hasTokenTypes ? [tokenTypeEmbeddings] : [])
            + embeddingsNorm.parameters
            + layers.flatMap(\.parameters) + (pooler?.parameters ?? [])
    }

    /// Training mode: dropout on.
    public func train() { training = true }
    /// Evaluation mode: dropout off.
    public func eval() { training = false }

    /// Runs `body` with gradients off (`with torch.no_grad():`): forward passes inside keep
    /// nothing for backward, and `backward()` after them throws.
    public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
        let saved = gradEnabled
        gradEnabled = false
        defer { gradEnabled = saved }
        return try body()
    }

    /// Runs the encoder on `input` and returns copies of the outputs.
    public func forward(_ input: BertInput) throws -> BertModelOutput {
        let (b, t) = try run(input)
        let c = config.hiddenSize
        let hidden = Tensor(shape: [b, t, c])
        hidden.data.update(from: lastHiddenPointer, count: hidden.count)
        var pooled: Tensor?
        if let p = pooledPointer {
            let out = Tensor(shape: [b, c])
            out.data.update(from: p, count: out.count)
            pooled = out
        }
        return BertModelOutput(lastHiddenState: hidden, poolerOutput: pooled)
    }

    /// Token, batch and attention-map capacity of the current buffers (tests and diagnostics).
    var workspaceCapacity: (tokens: Int, batch: Int, attention: Int)? {
        workspace.map { ($0.capacity, $0.batchCapacity, $0.attCapacity) }
    }

    /// [B, T, C] output of the last forward pass (inside the workspace).
    var lastHiddenPointer: UnsafeMutablePointer<Float> {
        if lastRanInference, let s = inferenceWorkspace { return s.hidden.data }
        guard let w = workspace else { preconditionFailure("no forward pass yet") }
        return w.layers.last?.out.data ?? w.embOut.data
    }
    /// [B, C] pooler output of the last forward pass.
    var pooledPointer: UnsafeMutablePointer<Float>? {
        if pooler == nil { return nil }
        return lastRanInference ? inferenceWorkspace?.pooled.data : workspace?.pooled.data
    }

    /// The forward pass into the workspace; returns (B, T).
    @discardableResult
    func run(_ input: BertInput) throws -> (b: Int, t: Int) {
        // An architecture without token types ignores token_type_ids (DistilBERT's forward has none).
        let input = layout.hasTokenTypes ? input : input.withoutTokenTypes()
        try input.validate(config)
        let b = input.batchSize, t = input.sequenceLength, c = config.hiddenSize, n = b * t
        let h = config.numAttentionHeads
        // Weights may have changed since the last pass (an optimizer step): bf16 layers re-convert
        // them once, on their first product of this pass, and backward reuses those copies.
        bf16Context?.weightsMayHaveChanged()
        if int8Context != nil && training {
            throw ModelError(Quantization.trainingError)
        }
        if !gradEnabled && !training {
            let shape = try runInference(input)
            try checkBF16()
            return shape
        }
        lastRanInference = false
        let pAtt = training ? config.attentionProbsDropoutProb : 0
        let pHidden = training ? config.hiddenDropoutProb : 0
        if workspace.map({ !$0.fits(b: b, t: t, h: h, dropoutAtt: pAtt > 0) }) ?? true {
            // Grow every dimension to the largest seen so far, so dynamically padded batches of
            // varying shapes settle on one allocation instead of alternating between two.
            let old = workspace.map { ($0.capacity, $0.batchCapacity, $0.attCapacity, $0.hasAttentionDropout) }
            workspace = nil // free the old buffers before allocating larger ones
            workspace = BertWorkspace(config: config, tokens: max(n, old?.0 ?? 0), batch: max(b, old?.1 ?? 0),
                                      attention: max(b * h * t * t, old?.2 ?? 0), dropoutAtt: pAtt > 0 || (old?.3 ?? false))
        }
        guard let w = workspace else { throw ModelError("internal: no workspace") }
        if training { forwardCount &+= 1 }
        let base = forwardCount << 12
        func rng(_ site: UInt64) -> CounterRandom { CounterRandom(seed: seed, stream: base | site) }
        let embRNG = rng(0)
        let mask = StepProfile.measure(.embedding) {
            let mask = embed(input, into: w.inputs, sum: w.embSum.data,
                             out: w.embOut.data, mean: w.embMean.data, rstd: w.embRstd.data)
            dropoutForward(w.embOut.data, w.embOut.data, count: n * c, p: pHidden, rng: embRNG)
            return mask
        }
        var dropouts: [BertLayer.Dropout] = []
        var x = UnsafePointer(w.embOut.data)
        for (l, layer) in layers.enumerated() {
            let s = UInt64(l + 1) << 2
            let d = BertLayer.Dropout(hidden: pHidden, attention: pAtt,
                                      attentionOutput: layout.attentionOutputDropout ? pHidden : 0, attentionRNG: rng(s),
                                      attentionOutputRNG: rng(s | 1), outputRNG: rng(s | 2))
            layer.forward(w.layers[l], inp: x, mask: mask, b: b, t: t, dropout: d)
            dropouts.append(d)
            x = UnsafePointer(w.layers[l].out.data)
        }
        if let pooler {
            for bi in 0..<b { (w.cls.data + bi * c).update(from: x + bi * t * c, count: c) }
            pooler.forward(w.pooled.data, w.cls.data, n: b, keepInput: gradEnabled)
            poolerActivation(w.pooled.data, count: b * c)
        }
        last = gradEnabled ? (b, t, mask != nil, dropouts, embRNG) : nil
        try checkBF16()
        return (b, t)
    }

    /// The eval-mode forward without gradients: embeddings, then each layer in place on one
    /// hidden-state buffer, then the pooler.
    private func runInference(_ input: BertInput) throws -> (b: Int, t: Int) {
        let b = input.batchSize, t = input.sequenceLength, c = config.hiddenSize, n = b * t
        let h = config.numAttentionHeads
        if inferenceWorkspace.map({ !$0.fits(b: b, t: t, h: h) }) ?? true {
            let old = inferenceWorkspace.map { ($0.capacity, $0.batchCapacity, $0.attCapacity) }
            inferenceWorkspace = nil
            inferenceWorkspace = BertInferenceWorkspace(config: config, tokens: max(n, old?.0 ?? 0), batch: max(b, old?.1 ?? 0),
                                                        attention: max(b * h * t * t, old?.2 ?? 0))
        }
        guard let s = inferenceWorkspace else { throw ModelError("internal: no inference workspace") }
        last = nil
        lastRanInference = true
        let mask = embed(input, into: s.inputs, sum: s.sublayer.data,
                         out: s.hidden.data, mean: s.mean.data, rstd: s.rstd.data)
        for layer in layers { layer.infer(s, x: s.hidden.data, mask: mask, b: b, t: t) }
        if let pooler {
            for bi in 0..<b { (s.cls.data + bi * c).update(from: s.hidden.data + bi * t * c, count: c) }
            pooler.forward(s.pooled.data, s.cls.data, n: b)
            poolerActivation(s.pooled.data, count: b * c)
        }
        return (b, t)
    }

    /// The pooled layer's activation in place: tanh (BERT's pooler) or ReLU (DistilBERT's
    /// pre_classifier). x: [B, C].
    private func poolerActivation(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch layout.poolerActivation {
        case .tanh: tanhForward(x, x, count: count)
        case .relu: reluForward(x, x, count: count)
        }
    }

    /// Copies the batch into a workspace's input buffers and computes the embeddings (before
    /// dropout): sum [N, C] = word + position + type, out = LayerNorm(sum). Returns the mask
    /// buffer, or nil when the batch has no attention mask.
    private func embed(_ input: BertInput, into buffers: BertInputBuffers, sum: UnsafeMutablePointer<Float>,
                       out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                       rstd: UnsafeMutablePointer<Float>) -> UnsafePointer<Float>? {
        let b = input.batchSize, t = input.sequenceLength, c = config.hiddenSize
        let mask = buffers.load(input)
        embeddingForward(sum, ids: buffers.ids, types: buffers.types, wte: wordEmbeddings.value.data,
                         wpe: positionEmbeddings.value.data, wtt: tokenTypeEmbeddings.value.data, b: b, t: t, c: c)
        layerNormForward(out, mean: mean, rstd: rstd, sum, weight: embeddingsNorm.weight.value.data,
                         bias: embeddingsNorm.bias.value.data, n: b * t, c: c, eps: config.layerNormEps)
        return mask
    }

    /// Backward of the last forward pass. dLastHidden: [B, T, C], dPooled: [B, C]; either may be
    /// nil (no gradient from that output). Parameter gradients accumulate.
    func backward(dLastHidden: UnsafePointer<Float>?, dPooled: UnsafePointer<Float>?) throws {
        if int8Context != nil { throw ModelError(Quantization.trainingError) }
        guard let last, let w = workspace else {
            if !gradEnabled || lastRanInference {
                throw ModelError("backward() needs a forward pass with gradients: the last one ran inside withNoGrad")
            }
            throw ModelError("backward() needs a forward pass first: call the model on a batch, then backward()")
        }
        let b = last.b, t = last.t, c = config.hiddenSize, n = b * t
        var dOut = w.dOut.data, dInp = w.dInp.data
        if let dLastHidden { dOut.update(from: dLastHidden, count: n * c) } else { dOut.update(repeating: 0, count: n * c) }
        if let dPooled, let pooler {
            switch layout.poolerActivation {
            case .tanh: tanhBackward(dinp: w.dPooled.data, dout: dPooled, out: w.pooled.data, count: b * c)
            case .relu: reluBackward(dinp: w.dPooled.data, dout: dPooled, out: w.pooled.data, count: b * c)
            }
            pooler.backward(dinp: w.dCls.data, dout: w.dPooled.data, inp: w.cls.data, n: b)
            for bi in 0..<b {
                let row = dOut + bi * t * c, g = w.dCls.data + bi * c
                for i in 0..<c { row[i] += g[i] }
            }
        }
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let inp = l == 0 ? w.embOut.data : w.layers[l - 1].out.data
            layers[l].backward(w.layers[l], w, dinp: dInp, dout: dOut, inp: inp, b: b, t: t, dropout: last.dropout[l])
            swap(&dOut, &dInp)
        }
        let pHidden = last.dropout.first?.hidden ?? (training ? config.hiddenDropoutProb : 0)
        StepProfile.measure(.embedding) {
            dropoutBackward(dinp: dOut, dout: dOut, count: n * c, p: pHidden, rng: last.embRNG)
            layerNormBackward(dinp: w.dTmp.data, dweight: embeddingsNorm.weight.grad.data, dbias: embeddingsNorm.bias.grad.data,
                              dout: dOut, inp: w.embSum.data, weight: embeddingsNorm.weight.value.data,
                              mean: w.embMean.data, rstd: w.embRstd.data, n: n, c: c)
            embeddingBackward(dwte: wordEmbeddings.grad.data, dwpe: positionEmbeddings.grad.data,
                              dwtt: tokenTypeEmbeddings.grad.data, dout: w.dTmp.data, ids: w.inputs.ids,
                              types: w.inputs.types, b: b, t: t, c: c)
            wordEmbeddings.noteGradRows(UnsafeBufferPointer(start: w.inputs.ids, count: n))
        }
        try checkBF16()
    }

    /// The linear layers of the encoder (the pooler last), whose products bf16 switches.
    var linears: [Linear] { layers.flatMap(\.linears) + (pooler.map { [$0] } ?? []) }

    /// Runs the matrix products in bf16 with fp32 accumulation (mixed precision, through oneDNN)
    /// or back in fp32 (OpenBLAS). Weights, gradients, LayerNorm, softmax, GELU and the loss stay
    /// fp32 either way. Throws when oneDNN cannot run bf16 products on this CPU.
    public func setBF16(_ enabled: Bool) throws {
        if enabled == (bf16Context != nil) { return }
        bf16Context = enabled ? try BF16Context() : nil
        for linear in linears { linear.bf16.context = bf16Context }
    }

    /// Throws the first bf16 product failure since the last check (oneDNN records it).
    func checkBF16() throws {
        if let error = bf16Context?.engine.takeError() { throw error }
        if let error = int8Context?.engine.takeError() { throw error }
    }
}

/// Hugging Face's initialisation: linear and embedding weights ~ N(0, initializer_range), biases
/// 0, LayerNorm weight 1 and bias 0, the padding token's embedding row 0. Deterministic in `seed`.
func initializeWeights(_ params: [Parameter], config: BertConfig, seed: UInt64) {
    for (i, p) in params.enumerated() {
        if p.isLayerNorm || p.name.hasSuffix(".bias") { continue }
        CounterRandom(seed: seed, stream: 0xFEED_0000 &+ UInt64(i)).fillNormal(p.value, std: config.initializerRange)
        if p.name.hasSuffix("word_embeddings.weight"), config.padTokenId >= 0, config.padTokenId < config.vocabSize {
            (p.value.data + config.padTokenId * config.hiddenSize).update(repeating: 0, count: config.hiddenSize)
        }
    }
}
