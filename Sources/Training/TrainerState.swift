import Files
import Foundation

/// What the Trainer knows about a run (Python `TrainerState`), saved as `trainer_state.json` in
/// every checkpoint. `logHistory` holds one entry per log or evaluation, e.g.
/// `{"epoch": 1, "eval_loss": 0.1234, "step": 40}` (JSON numbers; keys sorted when written).
///
/// Besides the Python keys it keeps the running loss sums (Double, exact through JSON) and the
/// model's dropout counter, so that a resumed run continues bit for bit.
public struct TrainerState: Codable, Sendable, Equatable {
    /// One entry per log or evaluation (`{"loss": ..., "step": 10}`), oldest first.
    public var logHistory: [[String: Double]] = []
    /// Optimizer steps done.
    public var globalStep = 0
    /// Fractional epochs done (1.5 = half way through the second epoch).
    public var epoch: Double = 0
    /// The optimizer steps the run takes in all.
    public var maxSteps = 0
    /// The epochs the run spans (rounded up).
    public var numTrainEpochs = 0
    /// The best value of `metricForBestModel` at a saved checkpoint so far.
    public var bestMetric: Double?
    /// That checkpoint's directory (`<outputDir>/checkpoint-<step>`).
    public var bestModelCheckpoint: String?
    // Running sums for resuming exactly.
    var totalLossSum: Double = 0
    var logLossSum: Double = 0
    var logLossCount = 0
    var lineLossSum: Double = 0
    var lineLossCount = 0
    var dropoutForwardCount: UInt64 = 0

    /// The state of a run not started yet.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case logHistory = "log_history", globalStep = "global_step", epoch, maxSteps = "max_steps"
        case numTrainEpochs = "num_train_epochs", bestMetric = "best_metric"
        case bestModelCheckpoint = "best_model_checkpoint", totalLossSum = "total_loss_sum"
        case logLossSum = "log_loss_sum", logLossCount = "log_loss_count", lineLossSum = "line_loss_sum"
        case lineLossCount = "line_loss_count", dropoutForwardCount = "dropout_forward_count"
    }

    /// Writes the state as pretty JSON with sorted keys (stable across runs).
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try encoder.encode(self).write(to: url, options: .atomic) } catch {
            throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    /// Reads a `trainer_state.json` written by `save(to:)`.
    public static func load(_ url: URL) throws -> TrainerState {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainerError("cannot read \(url.path): is this a checkpoint directory written by the Trainer?")
        }
        do { return try JSONDecoder().decode(TrainerState.self, from: data) } catch {
            throw TrainerError("\(url.path) is not a trainer state: \(error)")
        }
    }
}
