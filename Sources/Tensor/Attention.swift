import CBLAS
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
    DispatchQueue.concurrentPerform(iterations: b * h) { bh in
        let bi = bh / h, hi = bh % h
        let qb = q + bi * t * ld + hi * d, kb = k + bi * t * ld + hi * d, vb = v + bi * t * ld + hi * d
        let a = att + bh * t * t
        // scores[T, T] = scale · Q·Kᵀ
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(t), Int32(d),
                    scale, qb, Int32(ld), kb, Int32(ld), 0, a, Int32(t))
        for i in 0..<t {
            let row = a + i * t
            if let mask {
                // Hugging Face adds the lowest float to masked scores; exp then gives exactly 0.
                for j in 0..<t where mask[bi * t + j] == 0 { row[j] += -Float.greatestFiniteMagnitude }
            }
            var mx = -Float.infinity
            for j in 0..<t { mx = max(mx, row[j]) }
            // exp(x − max) ≤ 1, 16 lanes at a time; masked scores (≈ −3.4e38) give exactly 0.
            forEachLanes(0..<t, row, row) { x in vectorExpNonPositive(x - mx) }
            var sum: Float = 0
            for j in 0..<t { sum += row[j] }
            let inv = 1 / sum
            for j in 0..<t { row[j] *= inv }
        }
        let ad = attd + bh * t * t
        if dropout > 0 {
            let keepScale = 1 / (1 - dropout)
            for i in 0..<(t * t) {
                ad[i] = rng.uniform(bh * t * t + i) < dropout ? 0 : a[i] * keepScale
            }
        } else if ad != a {
            ad.update(from: a, count: t * t)
        }
        // ctx[T, D] = attd · V, written into head h's channels of out.
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(d), Int32(t),
                    1, ad, Int32(t), vb, Int32(ld), 0, out + bi * t * c + hi * d, Int32(c))
    }
}

/// Backward of `attentionForward` (same `rng`, same `ld`). dq, dk, dv: [B, T, C] with rows
/// `ld` apart (like q, k, v) are overwritten;
/// scratch: [B, H, T, T] workspace for the probability gradients.
public func attentionBackward(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>,
                              dv: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                              dout: UnsafePointer<Float>, att: UnsafePointer<Float>,
                              attd: UnsafePointer<Float>, q: UnsafePointer<Float>,
                              k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                              b: Int, t: Int, c: Int, h: Int, ld: Int? = nil, dropout: Float, rng: CounterRandom) {
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
        if dropout > 0 {
            let keepScale = 1 / (1 - dropout)
            for i in 0..<(t * t) { da[i] = rng.uniform(bh * t * t + i) < dropout ? 0 : da[i] * keepScale }
        }
        // Softmax backward per row: dscore = att ⊙ (datt − Σ att·datt), then the 1/√D scale.
        for i in 0..<t {
            let p = a + i * t, g = da + i * t
            var dot: Float = 0
            for j in 0..<t { dot += p[j] * g[j] }
            for j in 0..<t { g[j] = p[j] * (g[j] - dot) * scale }
        }
        // dQ = dscore · K ;  dK = dscoreᵀ · Q
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(d), Int32(t),
                    1, da, Int32(t), k + offQKV, Int32(ld), 0, dq + offQKV, Int32(ld))
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(t), Int32(d), Int32(t),
                    1, da, Int32(t), q + offQKV, Int32(ld), 0, dk + offQKV, Int32(ld))
    }
}
