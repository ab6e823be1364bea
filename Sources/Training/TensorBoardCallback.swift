import Foundation
import Metrics
import Models

/// Sends the Trainer's logs to TensorBoard event files (Python `TensorBoardCallback`; added by
/// `reportTo: [.tensorboard]`). The run directory is, in order: `loggingDir` given here, the
/// environment variable `TENSORBOARD_LOGGING_DIR`, or Python's default
/// `<outputDir>/runs/<Mon DD_HH-MM-SS>_<host>`. Open it with `tensorboard --logdir <outputDir>/runs`.
///
/// What it writes, as Python does:
/// - at train begin, the arguments (snake_case keys, as Python's `args.to_json_string()`) and
///   the model's configuration as JSON text summaries (`args/text_summary`, `model_config/text_summary`);
/// - at every log, each number at `state.globalStep`, its tag rewritten as Python's
///   `rewrite_logs` does: `eval_loss` → `eval/loss`, `test_accuracy` → `test/accuracy`, any other
///   key `k` → `train/k`. A run with evaluation writes Python's 14 tags: `train/loss`,
///   `train/grad_norm`, `train/learning_rate`, `train/epoch`, `eval/loss`, `eval/<metric>`,
///   `eval/runtime`, `eval/samples_per_second`, `eval/steps_per_second`, `train/train_runtime`,
///   `train/train_samples_per_second`, `train/train_steps_per_second`, `train/total_flos`,
///   `train/train_loss` (the runtimes and speeds are wall clock, so they differ run to run).
public final class TensorBoardCallback: TrainerCallback {
    /// The run directory (nil until the first event is written, unless given).
    public private(set) var logDir: String?
    /// The event file being written, nil when closed.
    public private(set) var writer: SummaryWriter?
    /// Event files this callback has written, oldest first.
    public private(set) var eventFiles: [String] = []

    /// A callback writing under `loggingDir`, else `TENSORBOARD_LOGGING_DIR`, else `<outputDir>/runs/<date>_<host>/`.
    public init(loggingDir: String? = nil) {
        logDir = loggingDir ?? ProcessInfo.processInfo.environment["TENSORBOARD_LOGGING_DIR"]
            .map { ($0 as NSString).expandingTildeInPath }
    }

    /// Python's `rewrite_logs`: the TensorBoard tag of a log key.
    public static func tag(for key: String) -> String {
        if key.hasPrefix("eval_") { return "eval/" + key.dropFirst(5) }
        if key.hasPrefix("test_") { return "test/" + key.dropFirst(5) }
        return "train/" + key
    }

    func openWriter(_ args: TrainingArguments) throws -> SummaryWriter {
        if let writer { return writer }
        let dir = logDir ?? (args.outputDir as NSString).appendingPathComponent(defaultLogDir())
        logDir = dir
        let w = try SummaryWriter(logDir: dir)
        writer = w
        eventFiles.append(w.path)
        return w
    }

    public func onTrainBegin(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                             model: any BertClassifier) throws {
        let w = try openWriter(args)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Python's names: perDeviceTrainBatchSize → per_device_train_batch_size.
        let snake = JSONEncoder()
        snake.outputFormatting = [.prettyPrinted, .sortedKeys]
        snake.keyEncodingStrategy = .convertToSnakeCase
        try w.addText("args", String(decoding: try snake.encode(args), as: UTF8.self))
        try w.addText("model_config", String(decoding: try encoder.encode(model.config), as: UTF8.self))
    }

    public func onLog(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                      logs: [String: Double]) throws {
        let w = try openWriter(args)
        for (key, value) in logs.sorted(by: { $0.key < $1.key }) {
            try w.addScalar(Self.tag(for: key), value, step: state.globalStep)
        }
        try w.flush()
    }

    public func onTrainEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {
        try writer?.close()
        writer = nil
    }
}
