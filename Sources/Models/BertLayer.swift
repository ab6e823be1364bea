import Tensor

/// One transformer encoder layer (post-LayerNorm, as in BERT):
///   x1 = LayerNorm(x + dropout(attention(x)));  out = LayerNorm(x1 + dropout(ffn(x1)))
/// with ffn(x) = W₂ · gelu(W₁ · x). Parameter names follow the checkpoint
/// (`encoder.layer.N.attention.self.query.weight`, ...).
final class BertLayer {
    let query, key, value, attentionOutput, intermediate, output: Linear
    /// query, key and value as one [3C, C] layer (they are views into it).
    let qkv: Linear
    let attentionNorm, outputNorm: LayerNormParameters
    let heads: Int
    let eps: Float

    /// `prefix` is the layer's (`bert.encoder.layer.3`); `layout` names its parts.
    init(prefix: String, config: BertConfig, layout: EncoderLayout = .bert) {
        let c = config.hiddenSize, i = config.intermediateSize
        let p = prefix + "."
        (qkv, query, key, value) = Linear.fusedQKV((p + layout.query, p + layout.key, p + layout.value),
                                                   fused: p + "attention.qkv", c: c)
        attentionOutput = Linear(p + layout.attentionOutput, in: c, out: c)
        attentionNorm = LayerNormParameters(p + layout.attentionNorm, c: c)
        intermediate = Linear(p + layout.intermediate, in: c, out: i)
        output = Linear(p + layout.output, in: i, out: c)
        outputNorm = LayerNormParameters(p + layout.outputNorm, c: c)
        heads = config.numAttentionHeads
        eps = config.layerNormEps
    }

    /// The layers whose products run in bf16 under mixed precision (the fused QKV, not its views).
    var linears: [Linear] { [qkv, attentionOutput, intermediate, output] }

    /// The bf16 context when attention's products run in bf16 too: whenever the model's products
    /// do (`setBF16(true)`), except under int8 quantisation, whose attention stays fp32 as in PyTorch.
    var attentionBF16: BF16Context? { qkv.int8.context == nil ? qkv.bf16.context : nil }

    var parameters: [Parameter] {
        query.parameters + key.parameters + value.parameters + attentionOutput.parameters
            + attentionNorm.parameters + intermediate.parameters + output.parameters + outputNorm.parameters
    }

    /// Dropout settings and random streams of one forward pass (the backward pass reuses them).
    struct Dropout {
        var hidden: Float
        var attention: Float
        /// After the attention output projection: the hidden dropout for BERT, 0 for DistilBERT.
        var attentionOutput: Float
        var attentionRNG, attentionOutputRNG, outputRNG: CounterRandom
    }

    /// inp: [B, T, C] → a.out: [B, T, C]; every intermediate is kept in `a` for backward.
    func forward(_ a: BertWorkspace.Layer, inp: UnsafePointer<Float>, mask: UnsafePointer<Float>?,
                 b: Int, t: Int, dropout: Dropout) {
        let n = b * t, c = query.outFeatures, i = intermediate.outFeatures
        // qkv: [B, T, 3C], each row q | k | v.
        qkv.forward(a.qkv.data, inp, n: n, keepInput: true)
        StepProfile.measure(.attention) {
            if let ctx = attentionBF16 {
                // With dropout, the probabilities after it stay in bf16 only (a.attentionBF16), not in a.attd.
                attentionForwardBF16(out: a.ctx.data, att: a.att.data, attd: dropout.attention > 0 ? nil : a.att.data, q: a.qkv.data, k: a.qkv.data + c,
                                     v: a.qkv.data + 2 * c, mask: mask, b: b, t: t, c: c, h: heads, ld: 3 * c,
                                     dropout: dropout.attention, rng: dropout.attentionRNG, context: ctx,
                                     saving: a.attentionBF16)
            } else {
                let attd = dropout.attention > 0 ? a.attd.data : a.att.data
                attentionForward(out: a.ctx.data, att: a.att.data, attd: attd, q: a.qkv.data, k: a.qkv.data + c,
                                 v: a.qkv.data + 2 * c, mask: mask, b: b, t: t, c: c, h: heads, ld: 3 * c,
                                 dropout: dropout.attention, rng: dropout.attentionRNG)
            }
        }
        // The sublayer outputs go straight into the residual sums, which then add their input in place.
        attentionOutput.forward(a.res1.data, a.ctx.data, n: n, keepInput: true)
        StepProfile.measure(.layerNorm) {
            residualLayerNormForward(a.ln1.data, sum: a.res1.data, mean: a.ln1Mean.data, rstd: a.ln1Rstd.data,
                                     a: a.res1.data, b: inp, dropout: dropout.attentionOutput, rng: dropout.attentionOutputRNG,
                                     weight: attentionNorm.weight.value.data, bias: attentionNorm.bias.value.data,
                                     n: n, c: c, eps: eps)
        }
        intermediate.forward(a.ffnH.data, a.ln1.data, n: n, keepInput: true)
        if let ctx = output.bf16.context, output.int8.context == nil {
            // gelu(h) feeds only W₂'s product and its weight gradient: in bf16 it is written
            // straight into that layer's saved input, and the fp32 ffnG stays unused. (Not when
            // W₂ runs in int8, which reads the fp32 input.)
            StepProfile.measure(.gelu) {
                geluForwardBF16(output.bf16.inputBuffer(for: a.ffnG.data, count: n * i, ctx), a.ffnH.data, count: n * i)
            }
            output.forward(a.res2.data, a.ffnG.data, n: n, keepInput: true, converted: true)
        } else {
            StepProfile.measure(.gelu) {
                geluForward(a.ffnG.data, a.ffnH.data, count: n * i)
            }
            output.forward(a.res2.data, a.ffnG.data, n: n)
        }
        StepProfile.measure(.layerNorm) {
            residualLayerNormForward(a.out.data, sum: a.res2.data, mean: a.ln2Mean.data, rstd: a.ln2Rstd.data,
                                     a: a.res2.data, b: a.ln1.data, dropout: dropout.hidden, rng: dropout.outputRNG,
                                     weight: outputNorm.weight.value.data, bias: outputNorm.bias.value.data,
                                     n: n, c: c, eps: eps)
        }
    }

    /// The same layer without dropout and without keeping anything for backward:
    /// x: [B, T, C], overwritten with the layer's output.
    func infer(_ s: BertInferenceWorkspace, x: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>?, b: Int, t: Int) {
        let n = b * t, c = query.outFeatures, i = intermediate.outFeatures
        qkv.forward(s.qkv.data, x, n: n)
        if let ctx = attentionBF16 {
            attentionForwardBF16(out: s.ctx.data, att: s.att.data, attd: s.att.data, q: s.qkv.data, k: s.qkv.data + c,
                                 v: s.qkv.data + 2 * c, mask: mask, b: b, t: t, c: c, h: heads, ld: 3 * c,
                                 dropout: 0, rng: CounterRandom(seed: 0), context: ctx)
        } else {
            attentionForward(out: s.ctx.data, att: s.att.data, attd: s.att.data, q: s.qkv.data, k: s.qkv.data + c,
                             v: s.qkv.data + 2 * c, mask: mask, b: b, t: t, c: c, h: heads, ld: 3 * c,
                             dropout: 0, rng: CounterRandom(seed: 0))
        }
        attentionOutput.forward(s.sublayer.data, s.ctx.data, n: n)
        residualLayerNormForward(s.ln1.data, sum: s.sublayer.data, mean: s.mean.data, rstd: s.rstd.data,
                                 a: s.sublayer.data, b: x, dropout: 0, rng: CounterRandom(seed: 0),
                                 weight: attentionNorm.weight.value.data, bias: attentionNorm.bias.value.data,
                                 n: n, c: c, eps: eps)
        intermediate.forward(s.ffn.data, s.ln1.data, n: n)
        geluForward(s.ffn.data, s.ffn.data, count: n * i)
        output.forward(s.sublayer.data, s.ffn.data, n: n)
        // The layer's input is no longer needed: its output goes in its place.
        residualLayerNormForward(x, sum: s.sublayer.data, mean: s.mean.data, rstd: s.rstd.data,
                                 a: s.sublayer.data, b: s.ln1.data, dropout: 0, rng: CounterRandom(seed: 0),
                                 weight: outputNorm.weight.value.data, bias: outputNorm.bias.value.data,
                                 n: n, c: c, eps: eps)
    }

    /// dout: [B, T, C] (gradient of a.out) → dinp: [B, T, C] (overwritten); parameter gradients
    /// accumulate. Uses the workspace's shared gradient scratch.
    func backward(_ a: BertWorkspace.Layer, _ w: BertWorkspace, dinp: UnsafeMutablePointer<Float>,
                  dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, b: Int, t: Int, dropout: Dropout) {
        let n = b * t, c = query.outFeatures, i = intermediate.outFeatures
        // Second block: out = LN(ln1 + dropout(W₂ · gelu(W₁ · ln1)))
        StepProfile.measure(.layerNorm) {
            layerNormBackward(dinp: w.dRes.data, dweight: outputNorm.weight.grad.data, dbias: outputNorm.bias.grad.data,
                              dout: dout, inp: a.res2.data, weight: outputNorm.weight.value.data,
                              mean: a.ln2Mean.data, rstd: a.ln2Rstd.data, n: n, c: c)
        }
        StepProfile.measure(.dropout) {
            dropoutBackward(dinp: w.dTmp.data, dout: w.dRes.data, count: n * c, p: dropout.hidden, rng: dropout.outputRNG)
        }
        output.backward(dinp: w.dFfn.data, dout: w.dTmp.data, inp: a.ffnG.data, n: n)
        StepProfile.measure(.gelu) {
            geluBackward(dinp: w.dFfn2.data, dout: w.dFfn.data, inp: a.ffnH.data, count: n * i)
        }
        // dRes becomes d(ln1): the residual path plus the FFN input path.
        intermediate.backward(dinp: w.dRes.data, dout: w.dFfn2.data, inp: a.ln1.data, n: n, accumulateInput: true)
        // First block: ln1 = LN(inp + dropout(Wₒ · attention(inp)))
        StepProfile.measure(.layerNorm) {
            layerNormBackward(dinp: w.dTmp.data, dweight: attentionNorm.weight.grad.data, dbias: attentionNorm.bias.grad.data,
                              dout: w.dRes.data, inp: a.res1.data, weight: attentionNorm.weight.value.data,
                              mean: a.ln1Mean.data, rstd: a.ln1Rstd.data, n: n, c: c)
        }
        StepProfile.measure(.dropout) {
            dropoutBackward(dinp: w.dRes.data, dout: w.dTmp.data, count: n * c, p: dropout.attentionOutput,
                            rng: dropout.attentionOutputRNG)
        }
        attentionOutput.backward(dinp: w.dCtx.data, dout: w.dRes.data, inp: a.ctx.data, n: n)
        StepProfile.measure(.attention) {
            if let ctx = attentionBF16 {
                attentionBackwardBF16(dq: w.dqkv.data, dk: w.dqkv.data + c, dv: w.dqkv.data + 2 * c, scratch: w.dAtt.data,
                                      dout: w.dCtx.data, att: a.att.data, attd: dropout.attention > 0 ? nil : a.att.data, q: a.qkv.data, k: a.qkv.data + c,
                                      v: a.qkv.data + 2 * c, b: b, t: t, c: c, h: heads, ld: 3 * c,
                                      dropout: dropout.attention, context: ctx, saved: a.attentionBF16)
            } else {
                let attd = dropout.attention > 0 ? a.attd.data : a.att.data
                attentionBackward(dq: w.dqkv.data, dk: w.dqkv.data + c, dv: w.dqkv.data + 2 * c, scratch: w.dAtt.data,
                                  dout: w.dCtx.data, att: a.att.data, attd: attd, q: a.qkv.data, k: a.qkv.data + c,
                                  v: a.qkv.data + 2 * c, b: b, t: t, c: c, h: heads, ld: 3 * c, dropout: dropout.attention)
            }
        }
        // d(inp) = residual path + the fused projection's input gradient.
        dinp.update(from: w.dTmp.data, count: n * c)
        qkv.backward(dinp: dinp, dout: w.dqkv.data, inp: inp, n: n, accumulateInput: true)
    }
}
