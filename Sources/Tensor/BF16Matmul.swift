// Linear layers in mixed precision (autocast's recipe): the products take bf16 operands and
// accumulate in fp32 through oneDNN; weights, biases, gradients and everything element-wise stay
// fp32. The same layout as Matmul.swift: weight [OC, C], out = inp · weightᵀ + bias.

/// What the bf16 products of one model share: the engine, two scratch buffers for activations
/// converted to bf16 (each product converts its input into one, so one model needs only two),
/// attention's bf16 scratch, and the weight generation: the model bumps it once per forward pass, and a layer re-converts
/// its weight only when its copy is older, so forward and backward share one conversion per
/// optimizer step.
public final class BF16Context: @unchecked Sendable {
    /// The oneDNN engine and stream every product of the model runs on (loaded on first use).
    public let engine: BF16Engine
    let a = BF16Buffer(), b = BF16Buffer()
    /// Attention's bf16 operands (BF16Attention.swift), shared by the layers as the fp32 scratch
    /// is: q, k, v per head [3][B, H, T, D]; the probabilities, then their gradient [B, H, T, T];
    /// the context's gradient per head [B, H, T, D].
    let attentionInputs = BF16Buffer(), attentionProbabilities = BF16Buffer(), attentionGradient = BF16Buffer()
    /// Attention's fp32 gradients of q, k, v per head [3][B, H, T, D].
    let attentionGradients = FloatScratch()
    /// Bumped by the model when the weights may have changed (at the start of a forward pass).
    public private(set) var generation: UInt64 = 1

    /// A context on the shared engine; throws when oneDNN cannot be loaded or lacks bf16 on this CPU.
    public init() throws { engine = try BF16Engine.shared() }

    /// Marks every layer's bf16 weight copy as stale (the model calls it at the start of a forward pass).
    public func weightsMayHaveChanged() { generation &+= 1 }
}

/// One linear layer's bf16 state: the copy of its weight [OC, C], refreshed from the fp32 master
/// weight when the context's generation moved on, and the bf16 copy of its input [N, C] from the
/// last training forward pass, which the backward pass's dW product reuses instead of converting
/// the same activations again (autocast keeps its bf16 casts for backward the same way).
public final class BF16Weight: @unchecked Sendable {
    /// The model's context; nil while the layer runs in fp32.
    public var context: BF16Context?
    let copy = BF16Buffer()
    private var generation: UInt64 = 0
    /// The saved input and what it stands for: the fp32 buffer it was made from (or, for an input
    /// produced directly in bf16, the fp32 buffer it replaces), its length and the forward pass.
    let input = BF16Buffer()
    private var inputTag: (generation: UInt64, source: UnsafeRawPointer?, count: Int) = (0, nil, 0)

    /// A weight with no bf16 copy yet (made on the first bf16 product).
    public init() {}

    func current(_ weight: UnsafePointer<Float>, count: Int, _ ctx: BF16Context) -> UnsafePointer<UInt16> {
        if generation != ctx.generation || copy.capacity < count {
            copy.load(weight, count: count)
            generation = ctx.generation
        }
        return UnsafePointer(copy.data)
    }

    /// Room for this forward pass's bf16 input of `count` values standing for the fp32 buffer
    /// `source`; the caller fills it (a producer writing bf16 directly, or a conversion).
    public func inputBuffer(for source: UnsafeRawPointer, count: Int, _ ctx: BF16Context) -> UnsafeMutablePointer<UInt16> {
        input.reserve(count)
        inputTag = (ctx.generation, source, count)
        return input.data
    }

    /// The saved bf16 input when it stands for `source` in the current forward pass, else nil.
    func savedInput(for source: UnsafeRawPointer, count: Int, _ ctx: BF16Context) -> UnsafePointer<UInt16>? {
        inputTag.generation == ctx.generation && inputTag.source == source && inputTag.count == count
            ? UnsafePointer(input.data) : nil
    }
}

/// out[N, OC] = bf16(inp[N, C]) · bf16(weight[OC, C])ᵀ + bias[OC], accumulated in fp32.
/// `keepInput` (a training forward pass): the bf16 input is kept in `state` for the backward pass;
/// `converted`: the input is already in bf16 there (`state.inputBuffer(for: inp, ...)`, filled by
/// its producer), so `inp` only names it and is not read.
public func matmulForwardBF16(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                              _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                              n: Int, c: Int, oc: Int, state: BF16Weight, context ctx: BF16Context,
                              keepInput: Bool = false, converted: Bool = false) {
    let (w, x) = StepProfile.measure(.toBF16) { () -> (UnsafePointer<UInt16>, UnsafePointer<UInt16>) in
        let w = state.current(weight, count: oc * c, ctx)
        if converted, let saved = state.savedInput(for: inp, count: n * c, ctx) { return (w, saved) }
        if keepInput {
            let x = state.inputBuffer(for: inp, count: n * c, ctx)
            convertToBF16(x, inp, count: n * c)
            return (w, UnsafePointer(x))
        }
        return (w, UnsafePointer(ctx.a.load(inp, count: n * c)))
    }
    StepProfile.measure(.productForward) {
        bf16Gemm(ctx.engine, transA: false, transB: true, m: n, n: oc, k: c, x, lda: c, w, ldb: c, bias: bias,
                 out, ldc: oc)
    }
}

/// Backward of `matmulForwardBF16`, accumulating like `matmulBackward`:
/// dinp[N, C] (+)= bf16(dout)[N, OC] · bf16(weight)[OC, C],
/// dweight[OC, C] += bf16(dout)ᵀ · bf16(inp)[N, C],  dbias[OC] += Σₙ dout[n, :] (fp32).
public func matmulBackwardBF16(dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>?,
                               dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                               inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               n: Int, c: Int, oc: Int, accumulateInput: Bool = false,
                               state: BF16Weight, context ctx: BF16Context) {
    let d = StepProfile.measure(.toBF16) { ctx.b.load(dout, count: n * oc) }
    if let dinp {
        let w = StepProfile.measure(.toBF16) { state.current(weight, count: oc * c, ctx) }
        StepProfile.measure(.productBackwardData) {
            bf16Gemm(ctx.engine, transA: false, transB: false, m: n, n: c, k: oc, d, lda: oc, w, ldb: c,
                     accumulate: accumulateInput, dinp, ldc: c)
        }
    }
    if let dweight {
        let x = StepProfile.measure(.toBF16) {
            state.savedInput(for: inp, count: n * c, ctx) ?? UnsafePointer(ctx.a.load(inp, count: n * c))
        }
        StepProfile.measure(.productBackwardWeight) {
            bf16Gemm(ctx.engine, transA: true, transB: false, m: oc, n: c, k: n, d, lda: oc, x, ldb: c,
                     accumulate: true, dweight, ldc: c)
        }
    }
    if let dbias {
        StepProfile.measure(.biasGradient) {
            chunkedColumnSums(dbias, width: oc, rows: n) { rows, acc in
                for r in rows { addLanes(acc, dout + r * oc, count: oc) }
            }
        }
    }
}
