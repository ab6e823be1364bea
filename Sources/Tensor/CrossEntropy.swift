import Foundation

/// The label value that `crossEntropyForward` skips (PyTorch's `ignore_index`, used for padding
/// and for sub-tokens that carry no label).
public let ignoreIndex: Int32 = -100

/// Mean softmax cross-entropy over the rows whose target is not `ignoreIndex`.
/// logits: [N, L], targets: [N], probs (saved for backward): [N, L]. Returns the loss and the
/// number of counted rows. A batch with no counted rows has loss 0 (PyTorch returns NaN, which
/// would poison a training run) and a zero gradient.
/// Throws when a target is outside 0..<L.
public func crossEntropyForward(probs: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>,
                                targets: UnsafePointer<Int32>, n: Int, l: Int) throws -> (loss: Float, count: Int) {
    var total: Double = 0
    var counted = 0
    for r in 0..<n {
        let x = logits + r * l, p = probs + r * l
        var mx = -Float.infinity
        for j in 0..<l { mx = max(mx, x[j]) }
        var sum: Float = 0
        for j in 0..<l { let e = expf(x[j] - mx); p[j] = e; sum += e }
        for j in 0..<l { p[j] /= sum }
        let y = targets[r]
        if y == ignoreIndex { continue }
        guard y >= 0 && Int(y) < l else {
            throw TensorError("label \(y) at row \(r) is outside 0..<\(l); use labels 0...\(l - 1), "
                + "or \(ignoreIndex) for positions the loss should ignore")
        }
        total += Double(mx + logf(sum) - x[Int(y)])
        counted += 1
    }
    return (counted == 0 ? 0 : Float(total / Double(counted)), counted)
}

/// dlogits[N, L] = (probs − onehot(target)) · dloss / count for counted rows, 0 for ignored rows
/// (overwrites).
public func crossEntropyBackward(dlogits: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>,
                                 targets: UnsafePointer<Int32>, n: Int, l: Int, count: Int, dloss: Float = 1) {
    let s = count == 0 ? 0 : dloss / Float(count)
    for r in 0..<n {
        let g = dlogits + r * l, p = probs + r * l
        let y = targets[r]
        if y == ignoreIndex || count == 0 {
            g.update(repeating: 0, count: l)
            continue
        }
        for j in 0..<l { g[j] = p[j] * s }
        g[Int(y)] -= s
    }
}
