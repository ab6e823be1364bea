import Foundation
import Models

// The numbers Python's Trainer reports beside the losses: wall-clock speeds (`speed_metrics`),
// the FLOs estimate (`floating_point_ops`), and the run's settings in the saved state.

extension Trainer {
    /// Python's `speed_metrics(split, start_time, num_samples, num_steps)`: `<split>_runtime`
    /// in seconds (4 decimals) and, when time has passed, `<split>_samples_per_second` and
    /// `<split>_steps_per_second` (3 decimals). Wall clock: these differ from run to run.
    static func speedMetrics(_ split: String, since start: Date, samples: Double, steps: Double) -> [String: Double] {
        let runtime = Date().timeIntervalSince(start)
        var result = [split + "_runtime": rounded(runtime, 4)]
        guard runtime > 0 else { return result }
        result[split + "_samples_per_second"] = rounded(samples / runtime, 3)
        result[split + "_steps_per_second"] = rounded(steps / runtime, 3)
        return result
    }

    static func rounded(_ x: Double, _ decimals: Int) -> Double {
        let scale = pow(10, Double(decimals))
        return (x * scale).rounded() / scale
    }

    /// transformers' estimate of one forward and backward pass over `batch`:
    /// 6 × its input ids (B·T, padding included) × the parameters outside the embedding tables.
    func floatingPointOps(_ batch: Batch) -> Double {
        6 * Double(batch.input.inputIds.count) * Double(nonEmbeddingParameterCount)
    }

    /// `model.num_parameters(exclude_embeddings=True)`: every parameter but the weights of the
    /// embedding tables (word, position, token type), the `*_embeddings.weight` tensors.
    var nonEmbeddingParameterCount: Int {
        model.parameters.filter { p in
            let parts = p.name.split(separator: ".")
            return !(parts.count >= 2 && parts[parts.count - 2].hasSuffix("_embeddings"))
        }.reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// The state's record of this run's settings, as Python's `compute_steps` and
    /// `train_batch_size` set them when training starts.
    func setRunSettings() {
        state.loggingSteps = args.loggingSteps
        state.evalSteps = args.evalStrategy == .steps ? args.effectiveEvalSteps : (args.evalSteps ?? 500)
        state.saveSteps = args.saveSteps
        state.trainBatchSize = args.perDeviceTrainBatchSize
        state.isLocalProcessZero = isLocalProcessZero
        state.isWorldProcessZero = isWorldProcessZero
    }
}

extension TrainerState {
    /// Takes the run settings (steps between logs, evaluations and saves, batch size, ranks) of
    /// `other`: a resumed run records its own, not the checkpoint's.
    mutating func setRunSettings(from other: TrainerState) {
        (loggingSteps, evalSteps, saveSteps) = (other.loggingSteps, other.evalSteps, other.saveSteps)
        trainBatchSize = other.trainBatchSize
        (isLocalProcessZero, isWorldProcessZero) = (other.isLocalProcessZero, other.isWorldProcessZero)
    }
}
