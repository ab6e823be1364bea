import Tensor

/// A trainable tensor, its gradient, and its checkpoint name
/// (e.g. `bert.encoder.layer.3.attention.self.query.weight`).
public final class Parameter: @unchecked Sendable {
    /// The checkpoint name (safetensors key), e.g. `bert.pooler.dense.bias`.
    public let name: String
    /// The weights; optimizers update them in place.
    public let value: Tensor
    /// Accumulated by backward passes (+=), cleared by `zeroGrad()`.
    public let grad: Tensor

    /// A parameter of this name and shape, value and gradient zero.
    public init(_ name: String, shape: [Int]) {
        self.name = name
        value = Tensor(shape: shape)
        grad = Tensor(shape: shape)
    }

    /// A parameter over existing storage (views into a fused tensor); value and grad must have
    /// the same shape.
    init(_ name: String, value: Tensor, grad: Tensor) {
        self.name = name
        self.value = value
        self.grad = grad
    }

    /// The value's (and gradient's) shape.
    public var shape: [Int] { value.shape }

    /// Whether backward passes record the gradient rows they touch (`gradRows`): the word
    /// embeddings, whose backward touches only the batch's token rows — a few hundred of
    /// 30,522 — so clearing and measuring their gradient can skip the rest.
    package var recordsGradRows = false

    /// Rows of a [R, C] parameter outside which the gradient is known to be zero (sorted,
    /// unique), or nil when unknown ("every row"). Only for `recordsGradRows` parameters:
    /// `zeroGrad()` starts the record (empty) and backward passes add their rows. Code that
    /// writes into `grad` otherwise finds it nil until the next `zeroGrad()`.
    package private(set) var gradRows: [Int]?

    /// Records that a backward pass added gradient to `rows` (any order, repeats allowed).
    package func noteGradRows<S: Sequence>(_ rows: S) where S.Element: BinaryInteger {
        guard recordsGradRows, let known = gradRows else { return }
        gradRows = Array(Set(known).union(rows.lazy.map { Int($0) })).sorted()
    }

    /// Clears the gradient (`param.grad.zero_()`), only the recorded rows when they are known.
    public func zeroGrad() {
        if let rows = gradRows, shape.count == 2 {
            let c = shape[1]
            for r in rows { (grad.data + r * c).update(repeating: 0, count: c) }
        } else {
            grad.zero()
        }
        gradRows = recordsGradRows ? [] : nil
    }

    /// Whether the Hugging Face Trainer applies weight decay to this parameter: not to biases and
    /// not to LayerNorm weights (BERT's `LayerNorm`, DistilBERT's `sa_layer_norm`, ...).
    public var decays: Bool { !(name.hasSuffix("bias") || isLayerNorm) }
    /// Whether this is a LayerNorm's weight or bias.
    var isLayerNorm: Bool { name.contains("LayerNorm") || name.contains("layer_norm") }
}

/// A linear layer's parameters: weight [OC, C], bias [OC] (PyTorch layout).
public struct Linear: Sendable {
    /// The weight [OC, C]: output = input · weightᵀ + bias.
    public let weight: Parameter
    /// The bias [OC].
    public let bias: Parameter
    /// The bf16 copy of the weight and the model's bf16 context when products run in bf16
    /// (`setBF16(true)`); its context is nil for fp32 products (OpenBLAS).
    let bf16 = BF16Weight()
    /// The int8 weight and the model's int8 context when the model is quantised
    /// (`quantize(.int8Dynamic)`); nil context otherwise. Takes precedence over bf16.
    let int8 = Int8Weight()
    /// C: the input width.
    public var inFeatures: Int { weight.shape[1] }
    /// OC: the output width.
    public var outFeatures: Int { weight.shape[0] }

    init(_ prefix: String, in c: Int, out oc: Int) {
        weight = Parameter(prefix + ".weight", shape: [oc, c])
        bias = Parameter(prefix + ".bias", shape: [oc])
    }

    /// A layer over given parameters (views into a fused layer's storage).
    init(weight: Parameter, bias: Parameter) {
        self.weight = weight
        self.bias = bias
    }

    /// Query, key and value projections of width `c` stored as one [3C, C] weight and [3C]
    /// bias (and gradients), so `fused` computes all three in one product; the three named
    /// layers are views into it, for checkpoints and the optimizer.
    /// `names` are the three layers' full prefixes (`….attention.self.query`, or `….q_lin`).
    static func fusedQKV(_ names: (q: String, k: String, v: String), fused prefix: String, c: Int)
        -> (fused: Linear, query: Linear, key: Linear, value: Linear) {
        let w = Tensor(shape: [3 * c, c]), dw = Tensor(shape: [3 * c, c])
        let b = Tensor(shape: [3 * c]), db = Tensor(shape: [3 * c])
        func part(_ name: String, _ i: Int) -> Linear {
            // Offsets are inside the fused tensors by construction, so the views cannot fail.
            let view = { (t: Tensor, offset: Int, shape: [Int]) -> Tensor in
                (try? Tensor(viewOf: t, offset: offset, shape: shape)) ?? Tensor(shape: shape)
            }
            return Linear(weight: Parameter(name + ".weight", value: view(w, i * c * c, [c, c]), grad: view(dw, i * c * c, [c, c])),
                          bias: Parameter(name + ".bias", value: view(b, i * c, [c]), grad: view(db, i * c, [c])))
        }
        let fused = Linear(weight: Parameter(prefix + ".qkv.weight", value: w, grad: dw),
                           bias: Parameter(prefix + ".qkv.bias", value: b, grad: db))
        return (fused, part(names.q, 0), part(names.k, 1), part(names.v, 2))
    }

    var parameters: [Parameter] { [weight, bias] }

    /// out[N, OC] = inp[N, C] · Wᵀ + b. In bf16, `keepInput` (a training forward pass) keeps the
    /// bf16 input for the backward pass, and `converted` says its producer already wrote it there
    /// (`bf16.inputBuffer(for: inp, ...)`), so the fp32 `inp` is not read.
    func forward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, n: Int,
                 keepInput: Bool = false, converted: Bool = false) {
        if let ctx = int8.context, let q = int8.weight {
            matmulForwardInt8(out, inp, bias.value.data, n: n, c: inFeatures, oc: outFeatures, weight: q, context: ctx)
            return
        }
        if let ctx = bf16.context {
            matmulForwardBF16(out, inp, weight.value.data, bias.value.data, n: n, c: inFeatures, oc: outFeatures,
                              state: bf16, context: ctx, keepInput: keepInput, converted: converted)
            return
        }
        matmulForward(out, inp, weight.value.data, bias.value.data, n: n, c: inFeatures, oc: outFeatures)
    }

    /// Accumulates dW, db; writes (or adds to) dinp[N, C].
    func backward(dinp: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                  n: Int, accumulateInput: Bool = false) {
        if let ctx = bf16.context {
            matmulBackwardBF16(dinp: dinp, dweight: weight.grad.data, dbias: bias.grad.data, dout: dout, inp: inp,
                               weight: weight.value.data, n: n, c: inFeatures, oc: outFeatures,
                               accumulateInput: accumulateInput, state: bf16, context: ctx)
            return
        }
        matmulBackward(dinp: dinp, dweight: weight.grad.data, dbias: bias.grad.data, dout: dout, inp: inp,
                       weight: weight.value.data, n: n, c: inFeatures, oc: outFeatures,
                       accumulateInput: accumulateInput)
    }
}

/// LayerNorm parameters: weight (gamma) [C], bias (beta) [C].
public struct LayerNormParameters: Sendable {
    /// The scale (gamma) [C], initialised to 1.
    public let weight: Parameter
    /// The shift (beta) [C], initialised to 0.
    public let bias: Parameter
    init(_ prefix: String, c: Int) {
        weight = Parameter(prefix + ".weight", shape: [c])
        bias = Parameter(prefix + ".bias", shape: [c])
        weight.value.data.update(repeating: 1, count: c)
    }
    var parameters: [Parameter] { [weight, bias] }
}
