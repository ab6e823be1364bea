import Foundation

/// BERT's input embeddings before LayerNorm:
/// out[b, t, :] = wte[ids[b, t], :] + wpe[t, :] + wtt[types[b, t], :].
/// ids, types: [B, T] (already checked to be in range); wte: [V, C]; wpe: [P, C]; wtt: [Y, C];
/// out: [B, T, C].
public func embeddingForward(_ out: UnsafeMutablePointer<Float>, ids: UnsafePointer<Int32>,
                             types: UnsafePointer<Int32>, wte: UnsafePointer<Float>,
                             wpe: UnsafePointer<Float>, wtt: UnsafePointer<Float>,
                             b: Int, t: Int, c: Int) {
    parallelFor(b * t, costPerItem: 3 * c) { rows in
        for r in rows {
            let o = out + r * c
            let w = wte + Int(ids[r]) * c, p = wpe + (r % t) * c, y = wtt + Int(types[r]) * c
            for i in 0..<c { o[i] = w[i] + p[i] + y[i] }
        }
    }
}

/// Backward of `embeddingForward`: scatter-adds dout[B, T, C] into dwte, dwpe, dwtt. Parallel over
/// channel blocks (not tokens) so repeated ids never race and the sum order is fixed.
public func embeddingBackward(dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>,
                              dwtt: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                              ids: UnsafePointer<Int32>, types: UnsafePointer<Int32>,
                              b: Int, t: Int, c: Int) {
    let block = 32
    parallelFor((c + block - 1) / block, costPerItem: 3 * b * t * block) { blocks in
        for blk in blocks {
            let lo = blk * block, hi = min(c, lo + block)
            for r in 0..<(b * t) {
                let g = dout + r * c
                let w = dwte + Int(ids[r]) * c, p = dwpe + (r % t) * c, y = dwtt + Int(types[r]) * c
                for i in lo..<hi { w[i] += g[i]; p[i] += g[i]; y[i] += g[i] }
            }
        }
    }
}
