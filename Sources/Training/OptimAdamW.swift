import Foundation
import Models
import Tensor

/// AdamW (Loshchilov & Hutter) with decoupled weight decay, as `torch.optim.AdamW` computes it:
///   p ← p · (1 − lr·wd);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
///   p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε).
/// Like the Hugging Face Trainer, weight decay skips biases and LayerNorm weights
/// (`Parameter.decays`). Element-wise and parallel, so results do not depend on thread count.
public final class AdamW {
    /// The parameters it updates, in order (`model.parameters`).
    public let parameters: [Parameter]
    /// The learning rate of the next step (a scheduler sets it).
    public var lr: Float
    /// The learning rate given at construction; schedules scale it.
    public let baseLR: Float
    /// β₁, β₂: the decay rates of the first and second moment estimates; ε: added to √v for stability.
    public let beta1: Float, beta2: Float, eps: Float
    /// Decoupled weight decay per step (× lr), for parameters that decay (not biases or LayerNorm weights).
    public let weightDecay: Float
    /// Steps taken so far (the `t` of the bias corrections).
    public private(set) var stepCount = 0
    /// First and second moment estimates, one pair per parameter (for checkpoints).
    public let expAvg: [Tensor]
    /// Second moment estimates (v), one tensor per parameter, of its shape.
    public let expAvgSq: [Tensor]

    /// AdamW over `parameters`, with the defaults of the Trainer (lr 5e-5, no weight decay); throws on
    /// negative rates or betas outside [0, 1).
    public init(_ parameters: [Parameter], lr: Float = 5e-5, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0) throws {
        guard lr >= 0, eps >= 0, weightDecay >= 0, (0..<1).contains(betas.0), (0..<1).contains(betas.1) else {
            throw ModelError("AdamW needs lr ≥ 0, eps ≥ 0, weightDecay ≥ 0 and betas in [0, 1); "
                + "got lr \(lr), betas \(betas), eps \(eps), weightDecay \(weightDecay)")
        }
        self.parameters = parameters
        self.lr = lr
        baseLR = lr
        beta1 = betas.0
        beta2 = betas.1
        self.eps = eps
        self.weightDecay = weightDecay
        expAvg = parameters.map { Tensor(shape: $0.shape) }
        expAvgSq = parameters.map { Tensor(shape: $0.shape) }
    }

    /// Applies one update from the accumulated gradients (`optimizer.step()`). With
    /// `gradientScale` (the clip coefficient of `clipCoefficient`), each gradient is multiplied
    /// by it as it is read: the same result as `clipGradNorm` then `step()`, in one pass
    /// over the gradients instead of two.
    public func step(gradientScale: Float = 1) {
        stepCount += 1
        let t = Double(stepCount)
        let stepSize = Float(Double(lr) / (1 - pow(Double(beta1), t)))
        let bc2Sqrt = Float((1 - pow(Double(beta2), t)).squareRoot())
        let b1 = beta1, b2 = beta2, eps = eps
        for (i, p) in parameters.enumerated() {
            let decay: Float = p.decays ? 1 - lr * weightDecay : 1
            let w = p.value.data, g = p.grad.data, m = expAvg[i].data, v = expAvgSq[i].data
            parallelFor(p.value.count, costPerItem: 12) { range in
                // 16 lanes at a time (the loop is memory-bound: 28 bytes per element); the tail
                // uses the same lane arithmetic, so the split between threads never shows.
                @inline(__always) func update(_ w: FloatLanes, _ g: FloatLanes, _ m: FloatLanes, _ v: FloatLanes)
                    -> (FloatLanes, FloatLanes, FloatLanes) {
                    let g = g * gradientScale
                    let m2 = m + (g - m) * (1 - b1)
                    let v2 = v * b2 + (1 - b2) * g * g
                    let w2 = w * decay - stepSize * m2 / (vectorSqrt(v2) / bc2Sqrt + eps)
                    return (w2, m2, v2)
                }
                let lanes = FloatLanes.scalarCount
                var j = range.lowerBound
                while j + lanes <= range.upperBound {
                    let (w2, m2, v2) = update(load(w + j), load(g + j), load(m + j), load(v + j))
                    store(w2, w + j); store(m2, m + j); store(v2, v + j)
                    j += lanes
                }
                if j < range.upperBound {
                    var tw = FloatLanes(), tg = FloatLanes(), tm = FloatLanes(), tv = FloatLanes()
                    for k in j..<range.upperBound { tw[k - j] = w[k]; tg[k - j] = g[k]; tm[k - j] = m[k]; tv[k - j] = v[k] }
                    let (w2, m2, v2) = update(tw, tg, tm, tv)
                    for k in j..<range.upperBound { w[k] = w2[k - j]; m[k] = m2[k - j]; v[k] = v2[k - j] }
                }
            }
        }
    }

    /// The optimizer state for a checkpoint: the step count and each parameter's moments, named
    /// `<parameter>.exp_avg` / `<parameter>.exp_avg_sq` (write them with `Safetensors.write`).
    public func stateDict() -> (step: Int, tensors: [(String, Tensor)]) {
        (stepCount, zip(parameters, zip(expAvg, expAvgSq)).flatMap { p, mv in
            [(p.name + ".exp_avg", mv.0), (p.name + ".exp_avg_sq", mv.1)]
        })
    }

    /// Restores a state saved by `stateDict()` (resuming training); throws naming a missing or
    /// mis-shaped moment.
    public func loadStateDict(step: Int, tensors: [String: Tensor]) throws {
        for (i, p) in parameters.enumerated() {
            for (suffix, dst) in [(".exp_avg", expAvg[i]), (".exp_avg_sq", expAvgSq[i])] {
                guard let src = tensors[p.name + suffix] else {
                    throw ModelError("optimizer state lacks \(p.name + suffix): was it saved from this model?")
                }
                guard src.shape == dst.shape else {
                    throw ModelError("optimizer state \(p.name + suffix) has shape \(src.shape), the parameter \(p.shape)")
                }
                try dst.copy(from: src)
            }
        }
        stepCount = max(0, step)
    }

    /// Clears every parameter's gradient (`optimizer.zero_grad()`).
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Scales all gradients so their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`); returns the norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    let norm = gradNorm(parameters)
    let coef = clipCoefficient(norm: norm, maxNorm: maxNorm)
    if coef < 1 {
        for p in parameters {
            let g = p.grad.data
            if let rows = p.gradRows, p.shape.count == 2 {
                let c = p.shape[1]
                for r in rows { for j in (r * c)..<((r + 1) * c) { g[j] *= coef } }
            } else {
                parallelFor(p.grad.count) { r in for j in r { g[j] *= coef } }
            }
        }
    }
    return norm
}

/// The factor `clipGradNorm` scales gradients by: min(1, maxNorm / (norm + 1e-6)), as PyTorch.
public func clipCoefficient(norm: Float, maxNorm: Float) -> Float {
    min(1, maxNorm / (norm + 1e-6))
}

/// The global L2 norm of all gradients (what `clip_grad_norm_` measures), summed in Double.
/// Parameters whose gradient rows are known (the word embeddings) are summed over those rows
/// only: the others are zero.
public func gradNorm(_ parameters: [Parameter]) -> Float {
    // Sums of squares over fixed pieces (64k-element chunks, or known rows), in parallel, added
    // in piece order: the same bits for any thread count.
    var total: Double = 0
    let chunk = 65_536
    for p in parameters {
        let g = p.grad.data, n = p.grad.count
        let pieces: [Range<Int>]
        if let rows = p.gradRows, p.shape.count == 2 {
            let c = p.shape[1]
            pieces = rows.map { ($0 * c)..<(($0 + 1) * c) }
        } else {
            pieces = stride(from: 0, to: n, by: chunk).map { $0..<min(n, $0 + chunk) }
        }
        var partial = [Double](repeating: 0, count: pieces.count)
        partial.withUnsafeMutableBufferPointer { out in
            parallelFor(pieces.count, costPerItem: pieces.first?.count ?? 1) { range in
                for i in range { out[i] = sumOfSquares(g, pieces[i]) }
            }
        }
        for s in partial { total += s }
    }
    return Float(total.squareRoot())
}

/// Σ g[j]² over `range` in Double, eight independent accumulators (lane j % 8) so the adds
/// pipeline; the lanes are combined in a fixed order, so the sum is the same on every run.
@inline(__always)
private func sumOfSquares(_ g: UnsafeMutablePointer<Float>, _ range: Range<Int>) -> Double {
    var lanes = SIMD8<Double>(repeating: 0)
    var j = range.lowerBound
    while j + 8 <= range.upperBound {
        let x = widen(UnsafeRawPointer(g + j).loadUnaligned(as: SIMD8<Float>.self))
        lanes += x * x
        j += 8
    }
    var s = lanes.sum()
    while j < range.upperBound { s += Double(g[j]) * Double(g[j]); j += 1 }
    return s
}

@inline(__always) private func load(_ p: UnsafeMutablePointer<Float>) -> FloatLanes {
    UnsafeRawPointer(p).loadUnaligned(as: FloatLanes.self)
}

@inline(__always) private func store(_ x: FloatLanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: x, as: FloatLanes.self)
}
