import Foundation

// Linear layers in dynamic int8 (inference only): the weight is quantised once (s8 per output
// channel), the input at every product (u8 per tensor), oneDNN sums the int8 products in int32
// and its post-ops dequantise and add the bias. Layout as Matmul.swift: weight [OC, C],
// out = inp · weightᵀ + bias.

/// What the int8 products of one model share: the oneDNN engine and the scratch buffers of one
/// product (the quantised input and the per-column scale and shift rows). Products run one after
/// another, so one set serves the whole model.
public final class Int8Context: @unchecked Sendable {
    /// The oneDNN engine and stream (the bf16 path's; loaded on first use).
    public let engine: BF16Engine
    private(set) var input = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    private var inputCapacity = 1
    private(set) var scale = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var shift = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var rowCapacity = 1

    /// A context on the shared engine; throws when oneDNN cannot be loaded.
    public init() throws { engine = try BF16Engine.shared() }

    deinit { input.deallocate(); scale.deallocate(); shift.deallocate() }

    func reserve(elements: Int, columns: Int) {
        if elements > inputCapacity {
            input.deallocate()
            input = .allocate(capacity: elements)
            inputCapacity = elements
        }
        if columns > rowCapacity {
            scale.deallocate(); shift.deallocate()
            scale = .allocate(capacity: columns); shift = .allocate(capacity: columns)
            rowCapacity = columns
        }
    }
}

/// One linear layer's int8 weight, made when the model is quantised; nil context and weight
/// while the layer runs in floating point.
public final class Int8Weight: @unchecked Sendable {
    /// The model's int8 context; nil unless the model is quantised.
    public var context: Int8Context?
    /// The quantised weight [OC, C].
    public var weight: QuantizedWeight?

    /// A layer that is not quantised.
    public init() {}

    /// Quantises `weight` [OC, C] and attaches the context (nil: back to floating point).
    public func quantize(_ weight: UnsafePointer<Float>, oc: Int, c: Int, context: Int8Context?) {
        self.context = context
        self.weight = context == nil ? nil : QuantizedWeight(weight, n: oc, k: c)
    }
}

/// out[N, OC] ≈ inp[N, C] · weight[OC, C]ᵀ + bias[OC] through int8: inp is quantised to u8
/// (scale sₐ, zero point z), and with the weight's s8 values q and scales s_w,
///   out[i, o] = sₐ·s_w[o] · (Σ_c u8(inp)[i, c]·q[o, c] − z·Σ_c q[o, c]) + bias[o],
/// which oneDNN computes as acc · scale[o] + shift[o] with scale = sₐ·s_w and
/// shift = bias − scale·z·Σq (the zero point folded into the shift row).
public func matmulForwardInt8(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                              _ bias: UnsafePointer<Float>?, n: Int, c: Int, oc: Int,
                              weight w: QuantizedWeight, context ctx: Int8Context) {
    ctx.reserve(elements: n * c, columns: oc)
    let t0 = Int8Profile.enabled ? Int8Profile.now() : 0
    let (sa, z) = quantizeU8(ctx.input, inp, count: n * c)
    w.scales.withUnsafeBufferPointer { ws in
        w.columnSums.withUnsafeBufferPointer { sums in
            for o in 0..<oc {
                let s = sa * ws[o]
                ctx.scale[o] = s
                // In Double: z·Σq reaches 255 · 127 · C, beyond fp32's exact integers.
                ctx.shift[o] = Float(Double(bias?[o] ?? 0) - Double(s) * Double(z) * Double(sums[o]))
            }
        }
    }
    let t1 = Int8Profile.enabled ? Int8Profile.now() : 0
    w.values.withUnsafeBufferPointer { q in
        int8Gemm(ctx.engine, m: n, n: oc, k: c, ctx.input, q.baseAddress!, scale: ctx.scale, shift: ctx.shift,
                 out, ldc: oc)
    }
    if Int8Profile.enabled {
        let t2 = Int8Profile.now()
        Int8Profile.quantizeSeconds += Double(t1 - t0) / 1e9
        Int8Profile.gemmSeconds += Double(t2 - t1) / 1e9
        Int8Profile.products += 1
    }
}

extension QuantizedWeight {
    /// Quantises a linear layer's weight tensor [OC, C] (PyTorch layout). Throws unless it is 2-D
    /// and non-empty.
    public init(_ weight: Tensor) throws {
        guard weight.shape.count == 2, weight.shape[0] > 0, weight.shape[1] > 0 else {
            throw TensorError("an int8 weight must be a non-empty matrix [out_features, in_features], got shape "
                + "\(weight.shape)")
        }
        self.init(weight.data, n: weight.shape[0], k: weight.shape[1])
    }
}

/// out[N, OC] = x[N, C] · weightᵀ + bias[OC] through dynamic int8 (`matmulForwardInt8`): the
/// checked entry point for tensors. x may have any leading dimensions ([B, T, C] gives
/// [B, T, OC]). Throws when the shapes disagree or oneDNN cannot run the product.
public func linearInt8(_ x: Tensor, _ weight: QuantizedWeight, bias: Tensor? = nil, context: Int8Context) throws -> Tensor {
    guard let c = x.shape.last, c == weight.k else {
        throw TensorError("int8 linear: the input's last dimension is \(x.shape.last.map(String.init) ?? "missing") "
            + "(shape \(x.shape)) but the weight takes \(weight.k) features (weight [\(weight.n), \(weight.k)])")
    }
    if let bias, bias.shape != [weight.n] {
        throw TensorError("int8 linear: the bias has shape \(bias.shape), the weight [\(weight.n), \(weight.k)] "
            + "needs [\(weight.n)]")
    }
    let rows = x.count / c
    let out = Tensor(shape: Array(x.shape.dropLast()) + [weight.n])
    matmulForwardInt8(out.data, x.data, bias?.data, n: rows, c: c, oc: weight.n, weight: weight, context: context)
    if let error = context.engine.takeError() { throw error }
    return out
}
