import Tensor

/// How a model's linear layers compute at inference.
///
/// `.int8Dynamic` is PyTorch's `torch.ao.quantization.quantize_dynamic(model, {nn.Linear},
/// dtype=torch.qint8)` and ONNX Runtime's `quantize_dynamic` (MatMulInteger): every linear layer
/// (Q/K/V, attention output, both FFN layers, pooler, classifier) gets an int8 weight, symmetric
/// per output channel, made once when the model is switched; its input is quantised to u8 per
/// tensor at every product; oneDNN sums in int32 and dequantises. Embeddings, LayerNorm,
/// softmax, GELU and the attention products QKᵀ and PV stay fp32. Inference only.
public enum Quantization: String, Codable, Sendable, CaseIterable {
    /// Floating point (fp32, or bf16 under mixed precision).
    case none
    /// Dynamic int8: int8 weights per output channel, u8 activations per tensor.
    case int8Dynamic = "int8-dynamic"

    static let trainingError = "this model is quantised to int8 for inference (quantize(.int8Dynamic)); training "
        + "needs floating-point weights: train the model before quantising it, or call quantize(.none) first"
}

extension BertModel {
    /// The encoder's quantisation (`.none` unless `quantize(.int8Dynamic)` was called).
    public var quantization: Quantization { int8Context == nil ? .none : .int8Dynamic }

    /// Quantises the encoder's linear layers (the pooler's too) from their current fp32 weights,
    /// or (`.none`) drops the int8 weights. The fp32 weights are kept: checkpoints stay fp32.
    /// Throws when oneDNN cannot be loaded.
    public func quantize(_ mode: Quantization) throws {
        let context = mode == .int8Dynamic ? try Int8Context() : nil
        for linear in linears {
            linear.int8.quantize(linear.weight.value.data, oc: linear.outFeatures, c: linear.inFeatures, context: context)
        }
        int8Context = context
    }
}

extension BertClassifier {
    /// The model's quantisation: `.int8Dynamic` after `quantize(.int8Dynamic)`.
    public var quantization: Quantization { bert.quantization }

    /// Switches every linear layer of the model (encoder, pooler, classifier) to dynamic int8
    /// inference, quantising the current weights once, or back (`.none`). A quantised model runs
    /// in eval mode only: `train()` then a forward pass, or `backward()`, throws. Re-quantise after
    /// changing weights. Returns the model, so `try model.quantize(.int8Dynamic)` reads as a step.
    @discardableResult
    public func quantize(_ mode: Quantization) throws -> Self {
        if mode == .int8Dynamic { eval() }
        try bert.quantize(mode)
        let c = classifier
        c.int8.quantize(c.weight.value.data, oc: c.outFeatures, c: c.inFeatures, context: bert.int8Context)
        return self
    }

    /// Quantises for a scope (`mode`; `.none` leaves the model as it is) and returns a closure
    /// that puts the model back as it was. `Trainer.evaluate`/`predict` and pipelines use it.
    public func enterQuantization(_ mode: Quantization) throws -> () -> Void {
        guard mode != .none, quantization == .none else { return {} }
        try quantize(mode)
        // Back to floating point only drops the int8 weights: it cannot fail.
        return { [self] in _ = try? quantize(.none) }
    }
}
