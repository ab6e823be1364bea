import Tensor

/// Preallocated activation and gradient buffers for batches of up to `capacity` tokens
/// (N = B·T) and attention maps of up to `attCapacity` = B·H·T² entries. Reused across steps,
/// grown only when a larger batch arrives, so a training step allocates nothing per element.
final class BertWorkspace {
    /// One encoder layer's saved activations (sized for the capacity; a batch uses the first
    /// B·T rows). [B, T, 3C]: qkv (each row q | k | v). [B, T, C]: ctx (attention output before its dense layer),
    /// res1 (= LN1 input), ln1, res2 (= LN2 input), out. [B·T]: LayerNorm mean and rstd.
    /// [B, H, T, T]: att (softmax) and attd (after dropout; the same buffer when dropout is off;
    /// allocated on first use: bf16 training keeps attd in bf16 only and never touches it).
    /// [B, T, I]: ffnH (before GELU) and ffnG (after). In bf16: q, k, v per head [3][B, H, T, D]
    /// and attd [B, H, T, T] in bf16 (attentionBF16).
    final class Layer {
        let qkv, ctx, res1, ln1, res2, out: Tensor
        let ln1Mean, ln1Rstd, ln2Mean, ln2Rstd: Tensor
        let att: Tensor
        private let attentionCount: Int, dropoutAtt: Bool
        /// The fp32 probabilities after dropout (fp32 attention only).
        private(set) lazy var attd: Tensor = dropoutAtt ? Tensor(shape: [attentionCount]) : att
        let ffnH, ffnG: Tensor
        /// Attention's bf16 operands (q, k, v per head, attd) for the backward pass, in bf16 mode.
        let attentionBF16 = BF16AttentionSaved()
        init(n: Int, c: Int, i: Int, attN: Int, dropoutAtt: Bool) {
            qkv = Tensor(shape: [n * 3 * c])
            ctx = Tensor(shape: [n * c]); res1 = Tensor(shape: [n * c])
            ln1 = Tensor(shape: [n * c]); res2 = Tensor(shape: [n * c])
            out = Tensor(shape: [n * c])
            ln1Mean = Tensor(shape: [n]); ln1Rstd = Tensor(shape: [n]); ln2Mean = Tensor(shape: [n]); ln2Rstd = Tensor(shape: [n])
            att = Tensor(shape: [attN])
            attentionCount = attN
            self.dropoutAtt = dropoutAtt
            ffnH = Tensor(shape: [n * i]); ffnG = Tensor(shape: [n * i])
        }
    }

    let capacity: Int
    let batchCapacity: Int
    let attCapacity: Int
    let hasAttentionDropout: Bool
    // Embeddings
    let inputs: BertInputBuffers
    let embSum, embOut, embMean, embRstd: Tensor
    let layers: [Layer]
    // Pooler: cls [B, C], pooled [B, C]
    let cls, pooled: Tensor
    // Gradient scratch shared by all layers.
    let dOut, dInp, dRes, dTmp, dCtx: Tensor
    /// [B, T, 3C]: gradients of the fused q | k | v rows.
    let dqkv: Tensor
    let dFfn, dFfn2, dAtt: Tensor
    let dCls, dPooled: Tensor

    init(config: BertConfig, tokens n: Int, batch b: Int, attention attN: Int, dropoutAtt: Bool) {
        let c = config.hiddenSize, i = config.intermediateSize
        capacity = n
        batchCapacity = b
        attCapacity = attN
        hasAttentionDropout = dropoutAtt
        inputs = BertInputBuffers(tokens: n)
        embSum = Tensor(shape: [n * c]); embOut = Tensor(shape: [n * c])
        embMean = Tensor(shape: [n]); embRstd = Tensor(shape: [n])
        layers = (0..<config.numHiddenLayers).map { _ in Layer(n: n, c: c, i: i, attN: attN, dropoutAtt: dropoutAtt) }
        cls = Tensor(shape: [b * c]); pooled = Tensor(shape: [b * c])
        dOut = Tensor(shape: [n * c]); dInp = Tensor(shape: [n * c]); dRes = Tensor(shape: [n * c])
        dTmp = Tensor(shape: [n * c]); dCtx = Tensor(shape: [n * c])
        dqkv = Tensor(shape: [n * 3 * c])
        dFfn = Tensor(shape: [n * i]); dFfn2 = Tensor(shape: [n * i]); dAtt = Tensor(shape: [attN])
        dCls = Tensor(shape: [b * c]); dPooled = Tensor(shape: [b * c])
    }

    /// Whether this workspace can hold a batch of `b` sequences of `t` tokens.
    func fits(b: Int, t: Int, h: Int, dropoutAtt: Bool) -> Bool {
        b * t <= capacity && b <= batchCapacity && b * h * t * t <= attCapacity
            && (hasAttentionDropout || !dropoutAtt)
    }
}
