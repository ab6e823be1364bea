import Foundation

// Attention under mixed precision (autocast's recipe, where QKᵀ and P·V are bf16 batched
// matmuls): the four products of the forward and backward passes take bf16 operands and
// accumulate in fp32, each as ONE oneDNN batched matmul over every (batch, head) pair instead of
// B·H small fp32 sgemms. Softmax, the mask, dropout and the softmax backward stay in fp32, on the
// same fp32 att/attd buffers as `attentionForward`, so the backward pass reads what it always did.
//
// oneDNN 2.6 runs its fast bf16 kernels (brgemm) only on bf16 operands that are dense per head,
// not on column blocks of the fused [B, T, 3C] QKV rows (those get its slower gemm), so the
// conversion to bf16 also lays each head out contiguously: q, k, v → [B, H, T, D]. The fp32
// results may be strided, so the context and the gradients land straight in their [B, T, C] /
// [B, T, 3C] rows.

/// dst[0..<count] = bf16(src[0..<count]) on the calling thread (for rows converted inside a
/// parallel loop; `convertToBF16` is the parallel form), with the same rounding.
@inline(__always)
func convertRowToBF16(_ dst: UnsafeMutablePointer<UInt16>, _ src: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + FloatLanes.scalarCount <= count {
        storeBF16Lanes(loadLanes(src + i), dst + i)
        i += FloatLanes.scalarCount
    }
    while i < count {
        dst[i] = bf16Bits(src[i])
        i += 1
    }
}

/// For each (dst, src) pair: dst [B, H, T, D] (dense, bf16) = the heads of src [B, T, ·] (rows
/// `ld` floats apart, head h in columns h·D..<(h+1)·D), rounded to bf16. Parallel over the
/// B·T rows; element-wise, so the result does not depend on threads.
func convertHeadsToBF16(_ pairs: [(dst: UnsafeMutablePointer<UInt16>, src: UnsafePointer<Float>)],
                        b: Int, t: Int, h: Int, d: Int, ld: Int) {
    parallelFor(b * t, costPerItem: pairs.count * h * d) { rows in
        for r in rows {
            let bi = r / t, ti = r % t
            for (dst, src) in pairs {
                for hi in 0..<h {
                    convertRowToBF16(dst + ((bi * h + hi) * t + ti) * d, src + r * ld + hi * d, count: d)
                }
            }
        }
    }
}

/// `attentionForward` (same arguments and results: out [B, T, C], att and attd [B, H, T, T] in
/// fp32) with its two products in bf16 through oneDNN, each one batched matmul over all (b, h):
///   scores[B, H, T, T] = (1/√D) · Q·Kᵀ   (bf16 q, k [B, H, T, D]; fp32 sums)
///   ctx[B, H, T, D] = attd · V             (bf16 attd [B, H, T, T] and v [B, H, T, D]),
/// written into head h's channels of out. Softmax, mask and dropout are the fp32 steps of
/// `attentionForward` on the fp32 scores. The bf16 copies live in `context`'s attention scratch.
/// With dropout, `attd` nil keeps the probabilities after dropout in bf16 only (in `saving`,
/// which is then required): the backward pass rebuilds their fp32 values from att and the bf16
/// copy's zeros, so training need not keep a second fp32 [B, H, T, T] map per layer.
/// A failed product is recorded on the engine (`takeError()`), as `bf16Gemm` records it.
public func attentionForwardBF16(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                                 attd: UnsafeMutablePointer<Float>?, q: UnsafePointer<Float>,
                                 k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                 mask: UnsafePointer<Float>?, b: Int, t: Int, c: Int, h: Int, ld: Int? = nil,
                                 dropout: Float, rng: CounterRandom, context ctx: BF16Context,
                                 saving: BF16AttentionSaved? = nil) {
    guard b > 0, t > 0, h > 0 else { return }
    if attd == nil, dropout > 0, saving == nil {
        ctx.engine.fail(BF16Error("bf16 attention: dropout without an fp32 attd buffer needs `saving` to keep the "
            + "bf16 probabilities for the backward pass"))
        return
    }
    let d = c / h, ld = ld ?? c, n = b * t
    let scale = 1 / Float(d).squareRoot()
    // [3][B, H, T, D]: q, k, v per head, contiguous; kept in `saving` for the backward pass.
    let inputs = saving?.inputs ?? ctx.attentionInputs
    let probabilities = saving?.probabilities ?? ctx.attentionProbabilities
    saving?.note(ctx, q: q, b: b, t: t, c: c, h: h)
    inputs.reserve(3 * n * c)
    let q16 = inputs.data, k16 = q16 + n * c, v16 = q16 + 2 * n * c
    convertHeadsToBF16([(q16, q), (k16, k), (v16, v)], b: b, t: t, h: h, d: d, ld: ld)
    let heads = BatchedLayout.dense(heads: h, rows: t, cols: d)
    let maps = BatchedLayout.dense(heads: h, rows: t, cols: t)
    // att[B, H, T, T] = scale · Q·Kᵀ: K [B, H, T, D] read transposed as [B, H, D, T].
    bf16BatchedGemm(ctx.engine, batch: b, heads: h, m: t, n: t, k: d, q16, heads,
                    k16, .denseTransposed(heads: h, rows: d, cols: t), alpha: scale, att, maps)
    // The mask as an additive bias row per sequence, as in `attentionForward`.
    let maskBias: UnsafeMutablePointer<Float>? = mask.map { mask in
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: b * t)
        for j in 0..<(b * t) { bias[j] = mask[j] == 0 ? -Float.greatestFiniteMagnitude : 0 }
        return bias
    }
    defer { maskBias?.deallocate() }
    // [B, H, T, T]: attd in bf16, the left operand of P·V.
    probabilities.reserve(b * h * t * t)
    let p16 = probabilities.data
    DispatchQueue.concurrentPerform(iterations: b * h) { bh in
        let bi = bh / h
        let a = att + bh * t * t, ad = attd.map { $0 + bh * t * t }, p = p16 + bh * t * t
        let bias = maskBias.map { UnsafePointer($0) + bi * t }
        let keepScale = 1 / (1 - dropout)
        // One row after dropout [T]: attd's row, or a scratch row when attd is kept in bf16 only.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: t) { scratchRow in
            for i in 0..<t {
                // The fp32 steps of `attentionForward`, then the row (after dropout) to bf16 while in cache.
                softmaxRow(a + i * t, count: t, bias: bias)
                if dropout > 0 {
                    let row = a + i * t, out = ad.map { $0 + i * t } ?? scratchRow.baseAddress!
                    let base = bh * t * t + i * t
                    for j in 0..<t { out[j] = rng.uniform(base + j) < dropout ? 0 : row[j] * keepScale }
                    convertRowToBF16(p + i * t, out, count: t)
                } else {
                    convertRowToBF16(p + i * t, a + i * t, count: t)
                }
            }
        }
        if dropout <= 0, let ad, ad != a { ad.update(from: a, count: t * t) }
    }
    // ctx[B, H, T, D] = attd · V into out [B, T, C]: head h of token t at t·C + h·D.
    bf16BatchedGemm(ctx.engine, batch: b, heads: h, m: t, n: d, k: t, p16, maps, v16, heads,
                    out, BatchedLayout(batch: t * c, head: d, row: c, col: 1))
}

/// `attentionBackward` (same arguments; dq, dk, dv [B, T, C] with rows `ld` apart overwritten;
/// scratch [B, H, T, T]) with its four products in bf16 through oneDNN, each one batched matmul
/// over all (b, h), fp32 sums:
///   dV = attdᵀ · dctx,  dattd = dctx · Vᵀ,  dQ = dscore · K,  dK = dscoreᵀ · Q
/// (attd, dctx, q, k, v, dscore rounded to bf16). The softmax backward is `attentionBackward`'s
/// fp32 step on the fp32 att, attd and dattd. q, k, v and attd in bf16 come from `saved` when
/// the forward pass of this step kept them there, else they are converted again from the fp32
/// buffers (the same values). `attd` nil (with dropout): the forward pass kept it in bf16 only,
/// and its fp32 values are rebuilt row by row as att · 1/(1 − p) where the bf16 copy is not 0 —
/// the very products the forward pass rounded. A failed product is recorded on the engine
/// (`takeError()`).
public func attentionBackwardBF16(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>,
                                  dv: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                                  dout: UnsafePointer<Float>, att: UnsafePointer<Float>,
                                  attd: UnsafePointer<Float>?, q: UnsafePointer<Float>,
                                  k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                  b: Int, t: Int, c: Int, h: Int, ld: Int? = nil, dropout: Float,
                                  context ctx: BF16Context, saved: BF16AttentionSaved? = nil) {
    guard b > 0, t > 0, h > 0 else { return }
    let d = c / h, ld = ld ?? c, n = b * t
    let scale = 1 / Float(d).squareRoot()
    // [3][B, H, T, D]: q, k, v per head; [B, H, T, D]: dctx per head; [B, H, T, T]: attd (a16)
    // and dscore (s16, the same scratch when attd is not saved: dV has used it by then).
    ctx.attentionGradient.reserve(n * c)
    ctx.attentionProbabilities.reserve(b * h * t * t)
    let d16 = ctx.attentionGradient.data, s16 = ctx.attentionProbabilities.data
    let q16: UnsafeMutablePointer<UInt16>, a16: UnsafePointer<UInt16>
    if let saved, saved.holds(ctx, q: q, b: b, t: t, c: c, h: h) {
        q16 = saved.inputs.data
        a16 = UnsafePointer(saved.probabilities.data)
    } else if dropout > 0, attd == nil {
        ctx.engine.fail(BF16Error("bf16 attention backward: the probabilities after dropout were kept in bf16 only, "
            + "but not from this forward pass (run the forward pass of this batch first)"))
        return
    } else {
        ctx.attentionInputs.reserve(3 * n * c)
        q16 = ctx.attentionInputs.data
        convertHeadsToBF16([(q16, q), (q16 + n * c, k), (q16 + 2 * n * c, v)], b: b, t: t, h: h, d: d, ld: ld)
        convertToBF16(s16, attd ?? att, count: b * h * t * t)
        a16 = UnsafePointer(s16)
    }
    let k16 = q16 + n * c, v16 = q16 + 2 * n * c
    convertHeadsToBF16([(d16, dout)], b: b, t: t, h: h, d: d, ld: c)
    let heads = BatchedLayout.dense(heads: h, rows: t, cols: d)
    let maps = BatchedLayout.dense(heads: h, rows: t, cols: t)
    let mapsT = BatchedLayout.denseTransposed(heads: h, rows: t, cols: t)
    // dQ, dK, dV per head [3][B, H, T, D], scattered into their [B, T, ld] rows at the end: oneDNN
    // takes brgemm only for an fp32 output without gaps, which a third of each [B, T, 3C] row is not.
    ctx.attentionGradients.reserve(3 * n * c)
    let dq32 = ctx.attentionGradients.data, dk32 = dq32 + n * c, dv32 = dq32 + 2 * n * c
    // dV[B, H, T, D] = attdᵀ · dctx ;  dattd[B, H, T, T] = dctx · Vᵀ (into scratch)
    bf16BatchedGemm(ctx.engine, batch: b, heads: h, m: t, n: d, k: t, a16, mapsT, d16, heads, dv32, heads)
    bf16BatchedGemm(ctx.engine, batch: b, heads: h, m: t, n: t, k: d, d16, heads,
                    v16, .denseTransposed(heads: h, rows: d, cols: t), scratch, maps)
    // The fp32 softmax backward of `attentionBackward` (dropout folded in, then the 1/√D scale),
    // each dscore row then to bf16.
    let keepScale = 1 / (1 - dropout)
    DispatchQueue.concurrentPerform(iterations: b * h) { bh in
        let a = att + bh * t * t, ad = attd.map { $0 + bh * t * t }
        let da = scratch + bh * t * t, p = s16 + bh * t * t, kept16 = a16 + bh * t * t
        withUnsafeTemporaryAllocation(of: Float.self, capacity: t) { keptRow in
            let kept = keptRow.baseAddress!
            for i in 0..<t {
                var rowAttd: UnsafePointer<Float>? = nil
                if dropout > 0 {
                    if let ad { rowAttd = UnsafePointer(ad + i * t) } else {
                        // The forward pass's fp32 value where the bf16 copy kept one (dropped: exactly 0;
                        // a kept value below bf16's smallest, ~1e-40, reads as dropped and adds nothing either way).
                        for j in 0..<t { kept[j] = kept16[i * t + j] == 0 ? 0 : a[i * t + j] * keepScale }
                        rowAttd = UnsafePointer(kept)
                    }
                }
                softmaxRowBackward(da + i * t, att: a + i * t, attd: rowAttd, count: t, scale: scale)
                convertRowToBF16(p + i * t, da + i * t, count: t)
            }
        }
    }
    // dQ[B, H, T, D] = dscore · K ;  dK[B, H, T, D] = dscoreᵀ · Q
    bf16BatchedGemm(ctx.engine, batch: b, heads: h, m: t, n: d, k: t, s16, maps, k16, heads, dq32, heads)
    bf16BatchedGemm(ctx.engine, batch: b, heads: h, m: t, n: d, k: t, s16, mapsT, q16, heads, dk32, heads)
    let pairs = [(dq, UnsafePointer(dq32)), (dk, UnsafePointer(dk32)), (dv, UnsafePointer(dv32))]
    parallelFor(n, costPerItem: 3 * c) { rows in
        for r in rows {
            let bi = r / t, ti = r % t
            for (dst, src) in pairs {
                for hi in 0..<h { (dst + r * ld + hi * d).update(from: src + ((bi * h + hi) * t + ti) * d, count: d) }
            }
        }
    }
}

/// A growable fp32 scratch buffer (attention's per-head gradients before they are scattered).
final class FloatScratch: @unchecked Sendable {
    /// The floats; `reserve` may reallocate it, so never keep it across one.
    private(set) var data: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init() {
        capacity = 1
        data = .allocate(capacity: 1)
        data.initialize(to: 0)
    }

    deinit { data.deallocate() }

    /// Makes room for `count` floats (the contents are not kept when it grows).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        data.deallocate()
        capacity = count
        data = .allocate(capacity: count)
        data.initialize(repeating: 0, count: count)
    }
}

/// One layer's bf16 attention operands from a training forward pass, kept for its backward pass
/// so that it need not convert them again (autocast keeps its casts for backward the same way):
/// q, k, v per head [3][B, H, T, D] and attd [B, H, T, T], 2 bytes a value. They count only for
/// the pass that wrote them: the backward pass checks the context's generation (bumped at every
/// forward pass), the q buffer and the shape, and converts afresh when they differ.
public final class BF16AttentionSaved: @unchecked Sendable {
    let inputs = BF16Buffer(), probabilities = BF16Buffer()
    private var tag: (generation: UInt64, q: UnsafeRawPointer?, b: Int, t: Int, c: Int, h: Int) = (0, nil, 0, 0, 0, 0)

    /// Empty buffers (they grow on the first bf16 forward pass).
    public init() {}

    func note(_ ctx: BF16Context, q: UnsafePointer<Float>, b: Int, t: Int, c: Int, h: Int) {
        tag = (ctx.generation, UnsafeRawPointer(q), b, t, c, h)
    }

    func holds(_ ctx: BF16Context, q: UnsafePointer<Float>, b: Int, t: Int, c: Int, h: Int) -> Bool {
        tag.generation == ctx.generation && tag.q == UnsafeRawPointer(q) && tag.b == b && tag.t == t
            && tag.c == c && tag.h == h
    }
}
