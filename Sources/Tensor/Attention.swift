@_implementationOnly import CBLAS
import Foundation

/// Multi-head scaled dot-product attention over already projected q, k, v.
/// q, k, v, out: [B, T, C] with head h in channels h·D..<(h+1)·D (q, k and v may be column
/// blocks of one [B, T, ld] matrix, the fused QKV projection: their rows are `ld` apart);  mask: [B, T] (1 = attend,
/// 0 = padding key) or nil;  att (softmax probabilities) and attd (after dropout): [B, H, T, T].
/// Each (b, h) pair is independent, so pairs run in parallel with a fixed result.
public func attentionForward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>,
                             attd: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>,
                             k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                             mask: UnsafePointer<Float>?, b: Int, t: Int, c: Int, h: Int, ld: Int? = nil,
                             dropout: Float, rng: CounterRandom) {
    Threads.ensureBLAS()
    let d = c / h, ld = ld ?? c
    let scale = 1 / Float(d).squareRoot()
    // The mask as an additive bias row per sequence: Hugging Face adds the lowest float to
    // masked scores (exp then gives exactly 0) and 0 elsewhere (which leaves scores unchanged).
    let maskBias: UnsafeMutablePointer<Float>? = mask.map { mask in
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: b * t)
        for j in 0..<(b * t) { bias[j] = mask[j] == 0 ? -Float.greatestFiniteMagnitude : 0 }
        return bias
    }
    defer { maskBias?.deallocate() }
    DispatchQueue.concurrentPerform(iterations: b * h) { bh in
        let bi = bh / h, hi = bh % h
        let qb = q + bi * t * ld + hi * d, kb = k + bi * t * ld + hi * d, vb = v + bi * t * ld + hi * d
        let a = att + bh * t * t
        // scores[T, T] = scale · Q·Kᵀ
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(t), Int32(d),
                    scale, qb, Int32(ld), kb, Int32(ld), 0, a, Int32(t))
        let bias = maskBias.map { UnsafePointer($0) + bi * t }
        let ad = attd + bh * t * t
        let keepScale = 1 / (1 - dropout)
        for i in 0..<t {
            softmaxRow(a + i * t, count: t, bias: bias)
            if dropout > 0 {
                // Row by row while it is in cache; the counter gives each entry its own draw.
                let row = a + i * t, out = ad + i * t, base = bh * t * t + i * t
                for j in 0..<t { out[j] = rng.uniform(base + j) < dropout ? 0 : row[j] * keepScale }
            }
        }
        if dropout <= 0 && ad != a { ad.update(from: a, count: t * t) }
        // ctx[T, D] = attd · V, written into head h's channels of out.
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(d), Int32(t),
                    1, ad, Int32(t), vb, Int32(ld), 0, out + bi * t * c + hi * d, Int32(c))
    }
}

/// Backward of `attentionForward` (same `dropout` and `ld`; the saved attd carries the dropout
/// mask). dq, dk, dv: [B, T, C] with rows `ld` apart (like q, k, v) are overwritten;
/// scratch: [B, H, T, T] workspace for the probability gradients.
public func attentionBackward(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>,
                              dv: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                              dout: UnsafePointer<Float>, att: UnsafePointer<Float>,
                              attd: UnsafePointer<Float>, q: UnsafePointer<Float>,
                              k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                              b: Int, t: Int, c: Int, h: Int, ld: Int? = nil, dropout: Float) {
    Threads.ensureBLAS()
    let d = c / h, ld = ld ?? c
    let scale = 1 / Float(d).squareRoot()
    DispatchQueue.concurrentPerform(iterations: b * h) { bh in
        let bi = bh / h, hi = bh % h
        let off = bi * t * c + hi * d, offQKV = bi * t * ld + hi * d
        let a = att + bh * t * t, ad = attd + bh * t * t
        let da = scratch + bh * t * t
        // dV[T, D] = attdᵀ · dctx ;  dattd[T, T] = dctx · Vᵀ
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(t), Int32(d), Int32(t),
                    1, ad, Int32(t), dout + off, Int32(c), 0, dv + offQKV, Int32(ld))
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(t), Int32(d),
                    1, dout + off, Int32(c), v + offQKV, Int32(ld), 0, da, Int32(t))
        // Softmax backward per row, with the dropout folded in: for g = datt ⊙ mask / (1 − p),
        // dscore = att ⊙ (g − Σ att·g) = attd ⊙ datt − att · Σ attd·datt (attd = att ⊙ mask /
        // (1 − p)), so the mask never has to be drawn again. Then the 1/√D scale.
        for i in 0..<t {
            softmaxRowBackward(da + i * t, att: a + i * t, attd: dropout > 0 ? ad + i * t : nil, count: t, scale: scale)
        }
        // dQ = dscore · K ;  dK = dscoreᵀ · Q
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(d), Int32(t),
                    1, da, Int32(t), k + offQKV, Int32(ld), 0, dq + offQKV, Int32(ld))
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(t), Int32(d), Int32(t),
                    1, da, Int32(t), q + offQKV, Int32(ld), 0, dk + offQKV, Int32(ld))
    }
}

/// row[0..<t] ← softmax(row + bias) in place (bias nil: no mask), 16 lanes at a time. The
/// maximum is subtracted first, so every exp argument is ≤ 0.
@inline(__always)
func softmaxRow(_ row: UnsafeMutablePointer<Float>, count t: Int, bias: UnsafePointer<Float>?) {
    let w = FloatLanes.scalarCount, tail = t % w, body = t - tail
    var mx = FloatLanes(repeating: -.infinity)
    var j = 0
    while j < body {
        var x = loadLanes(row + j)
        if let bias { x += loadLanes(bias + j); storeLanes(x, row + j) }
        mx = mx.replacing(with: x, where: x .> mx)
        j += w
    }
    if tail > 0 {
        // Missing lanes read −∞: they neither win the max nor add to the sum (exp gives 0).
        var x = loadLanes(row + j, count: tail, fill: -.infinity)
        if let bias { x += loadLanes(bias + j, count: tail); storeLanes(x, row + j, count: tail) }
        mx = mx.replacing(with: x, where: x .> mx)
    }
    let m = mx.max()
    var sum = FloatLanes(repeating: 0)
    j = 0
    while j < body {
        let e = vectorExpNonPositive(loadLanes(row + j) - m)
        storeLanes(e, row + j)
        sum += e
        j += w
    }
    if tail > 0 {
        let e = vectorExpNonPositive(loadLanes(row + j, count: tail, fill: -.infinity) - m)
        storeLanes(e, row + j, count: tail)
        sum += e
    }
    let inv = 1 / sum.sum()
    j = 0
    while j < body { storeLanes(loadLanes(row + j) * inv, row + j); j += w }
    if tail > 0 { storeLanes(loadLanes(row + j, count: tail) * inv, row + j, count: tail) }
}

/// Backward of one softmax row: g[0..<t] (the gradient of the probabilities, overwritten with
/// the scores' gradient times `scale`); att: the probabilities; attd: the probabilities after
/// dropout (nil without dropout, when they are att).
@inline(__always)
func softmaxRowBackward(_ g: UnsafeMutablePointer<Float>, att: UnsafePointer<Float>,
                        attd: UnsafePointer<Float>?, count t: Int, scale: Float) {
    let w = FloatLanes.scalarCount, tail = t % w, body = t - tail
    let kept = attd ?? att
    var acc = FloatLanes(repeating: 0)
    var j = 0
    while j < body { acc += loadLanes(kept + j) * loadLanes(g + j); j += w }
    if tail > 0 { acc += loadLanes(kept + j, count: tail) * loadLanes(g + j, count: tail) }
    let dot = acc.sum()
    j = 0
    while j < body {
        let y = (loadLanes(kept + j) * loadLanes(g + j) - loadLanes(att + j) * dot) * scale
        storeLanes(y, g + j)
        j += w
    }
    if tail > 0 {
        let y = (loadLanes(kept + j, count: tail) * loadLanes(g + j, count: tail)
            - loadLanes(att + j, count: tail) * dot) * scale
        storeLanes(y, g + j, count: tail)
    }
}
