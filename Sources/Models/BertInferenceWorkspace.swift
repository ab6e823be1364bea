import Tensor

/// Buffers of a forward pass that keeps nothing for backward (`withNoGrad`): the layers run
/// one after another through the same few buffers, so memory is one layer's worth instead of
/// every layer's saved activations. Capacity as in `BertWorkspace`: up to `capacity` tokens
/// (N = B·T), `batchCapacity` sequences and `attCapacity` = B·H·T² attention entries.
final class BertInferenceWorkspace {
    let capacity: Int
    let batchCapacity: Int
    let attCapacity: Int
    let inputs: BertInputBuffers
    /// [N, C]: the hidden state (a layer's input, then its output), the attention block's
    /// output (LayerNorm 1), the sublayer outputs before their residual LayerNorm, and the
    /// attention context.
    let hidden, ln1, sublayer, ctx: Tensor
    /// [N, 3C]: the fused q | k | v rows.
    let qkv: Tensor
    /// [N, I]: the feed-forward activations (GELU applied in place).
    let ffn: Tensor
    /// [B, H, T, T]: one layer's attention probabilities.
    let att: Tensor
    /// [N]: LayerNorm statistics (computed, not needed afterwards).
    let mean, rstd: Tensor
    /// [B, C]: the [CLS] rows and the pooler output.
    let cls, pooled: Tensor

    init(config: BertConfig, tokens n: Int, batch b: Int, attention attN: Int) {
        let c = config.hiddenSize
        capacity = n
        batchCapacity = b
        attCapacity = attN
        inputs = BertInputBuffers(tokens: n)
        hidden = Tensor(shape: [n * c]); ln1 = Tensor(shape: [n * c])
        sublayer = Tensor(shape: [n * c]); ctx = Tensor(shape: [n * c])
        qkv = Tensor(shape: [n * 3 * c])
        ffn = Tensor(shape: [n * config.intermediateSize])
        att = Tensor(shape: [attN])
        mean = Tensor(shape: [n]); rstd = Tensor(shape: [n])
        cls = Tensor(shape: [b * c]); pooled = Tensor(shape: [b * c])
    }

    func fits(b: Int, t: Int, h: Int) -> Bool {
        b * t <= capacity && b <= batchCapacity && b * h * t * t <= attCapacity
    }
}
