import Foundation

/// Wall-clock time of a training step by kind of work (`bench train --profile`): where a step's
/// time goes, to compare with torch.profiler's table for the same step.
///
/// Off by default: `measure` then costs one branch. Times are exclusive: a region timed inside
/// another (a classifier product inside the head's timing) counts for the inner kind only.
/// Regions must be entered from one thread (the model's step runs on one thread; the
/// parallelism is inside the kernels).
public enum StepProfile {
    /// The kinds of work a step is split into.
    public enum Kind: Int, CaseIterable, Sendable {
        case productForward, productBackwardData, productBackwardWeight, biasGradient
        case toBF16, attention, layerNorm, gelu, dropout, embedding, loss, gradNorm, optimizer, zeroGrad

        /// The row label in the profile table.
        public var label: String {
            switch self {
            case .productForward: "linear products, forward (incl. bias)"
            case .productBackwardData: "linear products, backward dX"
            case .productBackwardWeight: "linear products, backward dW"
            case .biasGradient: "bias gradients (column sums)"
            case .toBF16: "fp32 -> bf16 conversions"
            case .attention: "attention (QK^T, softmax, dropout, PV; fwd+bwd)"
            case .layerNorm: "residual + LayerNorm (fwd+bwd)"
            case .gelu: "GELU (fwd+bwd)"
            case .dropout: "dropout backward (hidden)"
            case .embedding: "embeddings (fwd+bwd)"
            case .loss: "classifier head + cross-entropy"
            case .gradNorm: "gradient norm (clipping)"
            case .optimizer: "AdamW step"
            case .zeroGrad: "zero_grad"
            }
        }
    }

    /// Whether regions are timed.
    nonisolated(unsafe) public static var enabled = false
    /// Seconds per kind since the last `reset`.
    nonisolated(unsafe) public private(set) static var seconds = [Double](repeating: 0, count: Kind.allCases.count)

    /// The innermost open region and when its current stretch began (nanoseconds).
    nonisolated(unsafe) private static var open: Kind?
    nonisolated(unsafe) private static var mark: UInt64 = 0

    /// Clears the totals.
    public static func reset() { seconds = [Double](repeating: 0, count: Kind.allCases.count) }

    /// Runs `body`, adding its wall time (less that of regions inside it) to `kind` when
    /// profiling is on.
    @inline(__always)
    public static func measure<R>(_ kind: Kind, _ body: () throws -> R) rethrows -> R {
        guard enabled else { return try body() }
        let outer = open
        let start = DispatchTime.now().uptimeNanoseconds
        if let outer { seconds[outer.rawValue] += Double(start - mark) / 1e9 }
        open = kind
        mark = start
        defer {
            let end = DispatchTime.now().uptimeNanoseconds
            seconds[kind.rawValue] += Double(end - mark) / 1e9
            open = outer
            mark = end
        }
        return try body()
    }
}
