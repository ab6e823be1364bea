import Tensor

/// A trainable tensor, its gradient, and its checkpoint name
/// (e.g. `bert.encoder.layer.3.attention.self.query.weight`).
public final class Parameter: @unchecked Sendable {
    public let name: String
    public let value: Tensor
    /// Accumulated by backward passes (+=), cleared by `zeroGrad()`.
    public let grad: Tensor

    public init(_ name: String, shape: [Int]) {
        self.name = name
        value = Tensor(shape: shape)
        grad = Tensor(shape: shape)
    }

    public var shape: [Int] { value.shape }

    /// Whether the Hugging Face Trainer applies weight decay to this parameter: not to biases and
    /// not to LayerNorm weights.
    public var decays: Bool { !(name.hasSuffix("bias") || name.contains("LayerNorm")) }
}

/// A linear layer's parameters: weight [OC, C], bias [OC] (PyTorch layout).
public struct Linear: Sendable {
    public let weight: Parameter
    public let bias: Parameter
    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    init(_ prefix: String, in c: Int, out oc: Int) {
        weight = Parameter(prefix + ".weight", shape: [oc, c])
        bias = Parameter(prefix + ".bias", shape: [oc])
    }

    var parameters: [Parameter] { [weight, bias] }

    /// out[N, OC] = inp[N, C] · Wᵀ + b
    func forward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, n: Int) {
        matmulForward(out, inp, weight.value.data, bias.value.data, n: n, c: inFeatures, oc: outFeatures)
    }

    /// Accumulates dW, db; writes (or adds to) dinp[N, C].
    func backward(dinp: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                  n: Int, accumulateInput: Bool = false) {
        matmulBackward(dinp: dinp, dweight: weight.grad.data, dbias: bias.grad.data, dout: dout, inp: inp,
                       weight: weight.value.data, n: n, c: inFeatures, oc: outFeatures,
                       accumulateInput: accumulateInput)
    }
}

/// LayerNorm parameters: weight (gamma) [C], bias (beta) [C].
public struct LayerNormParameters: Sendable {
    public let weight: Parameter
    public let bias: Parameter
    init(_ prefix: String, c: Int) {
        weight = Parameter(prefix + ".weight", shape: [c])
        bias = Parameter(prefix + ".bias", shape: [c])
        weight.value.data.update(repeating: 1, count: c)
    }
    var parameters: [Parameter] { [weight, bias] }
}
