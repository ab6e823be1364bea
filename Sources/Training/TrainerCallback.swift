import Foundation
import Metrics
import Models

/// Switches a callback flips to steer the training loop (Python `TrainerControl`). The Trainer
/// sets `shouldLog`, `shouldEvaluate` and `shouldSave` from its strategies at each step end
/// (before the callbacks' `onStepEnd`), then acts on them; a callback can force any of them,
/// or end training with `shouldTrainingStop` (the loop stops after the step's log, evaluation
/// and save, and the best model is still loaded at the end).
public struct TrainerControl: Sendable, Equatable {
    /// End training after this step's log, evaluation and save.
    public var shouldTrainingStop = false
    /// Log at the end of this step.
    public var shouldLog = false
    /// Evaluate at the end of this step.
    public var shouldEvaluate = false
    /// Save a checkpoint at the end of this step.
    public var shouldSave = false
    /// All switches off.
    public init() {}
}

/// Hooks into the Trainer's loop (Python `TrainerCallback`); every hook has an empty default,
/// so a callback implements only what it needs. Hooks run in the order of `trainer.callbacks`
/// and see the arguments, the state (step, epoch, log history, best metric) and the control.
///
///     final class PrintLoss: TrainerCallback {
///         func onLog(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
///                    logs: [String: Double]) throws {
///             if let loss = logs["loss"] { print(state.globalStep, loss) }
///         }
///     }
///     let trainer = try Trainer(..., callbacks: [PrintLoss()])
public protocol TrainerCallback: AnyObject {
    /// Before the first step (after a resumed checkpoint is loaded). `model` is the model trained.
    func onTrainBegin(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                      model: any BertClassifier) throws
    /// After the last step (and after the best model is loaded).
    func onTrainEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws
    /// At the end of each epoch (and at the last step), before the step's log/evaluate/save.
    func onEpochEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws
    /// After each optimizer step, before its log/evaluate/save.
    func onStepEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws
    /// After an entry is added to `state.logHistory`; `logs` is the entry without its `step`.
    func onLog(args: TrainingArguments, state: TrainerState, control: inout TrainerControl, logs: [String: Double]) throws
    /// After each evaluation, with its `eval_` metrics.
    func onEvaluate(args: TrainingArguments, state: TrainerState, control: inout TrainerControl, metrics: MetricResult) throws
    /// After a checkpoint is written (and old ones rotated).
    func onSave(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws
}

extension TrainerCallback {
    public func onTrainBegin(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                             model: any BertClassifier) throws {}
    public func onTrainEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {}
    public func onEpochEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {}
    public func onStepEnd(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {}
    public func onLog(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                      logs: [String: Double]) throws {}
    public func onEvaluate(args: TrainingArguments, state: TrainerState, control: inout TrainerControl,
                           metrics: MetricResult) throws {}
    public func onSave(args: TrainingArguments, state: TrainerState, control: inout TrainerControl) throws {}
}

/// Where the Trainer reports its logs (Python `report_to`): `[.tensorboard]` adds a
/// `TensorBoardCallback`. The default, as in transformers 5, is none.
public enum ReportIntegration: String, Codable, Sendable {
    case tensorboard
}

extension Trainer {
    /// The callbacks `args.reportTo` asks for (Python's reporting integrations come first).
    static func reportingCallbacks(_ args: TrainingArguments) -> [any TrainerCallback] {
        args.reportTo.contains(.tensorboard) ? [TensorBoardCallback()] : []
    }

    /// Adds a callback after the others (`trainer.add_callback`).
    public func addCallback(_ callback: any TrainerCallback) { callbacks.append(callback) }

    /// Calls `hook` on every callback in order with the Trainer's control.
    func callbackEvent(_ hook: (any TrainerCallback, inout TrainerControl) throws -> Void) throws {
        for callback in callbacks { try hook(callback, &control) }
    }

    /// Appends `entry` to the log history and calls `onLog` with it minus `step` (Python `log`).
    func log(_ entry: [String: Double]) throws {
        state.logHistory.append(entry)
        var logs = entry
        logs["step"] = nil
        control.shouldLog = false
        try callbackEvent { try $0.onLog(args: args, state: state, control: &$1, logs: logs) }
    }

    /// The step-end decisions of Python's `DefaultFlowCallback`, then the callbacks' `onStepEnd`
    /// (and `onEpochEnd` at an epoch's last step): log, evaluate and save by the strategies; at
    /// the last step a `.steps` strategy also evaluates (if this step would not) and saves.
    func stepEndControl(step: Int, totalSteps: Int, epochEnd: Bool) throws {
        control.shouldLog = (args.loggingStrategy == .steps && step % args.loggingSteps == 0)
            || (args.loggingStrategy == .epoch && epochEnd)
        control.shouldEvaluate = (args.evalStrategy == .steps && (step % args.effectiveEvalSteps == 0 || step >= totalSteps))
            || (args.evalStrategy == .epoch && epochEnd)
        control.shouldSave = (args.saveStrategy == .steps && (step % args.saveSteps == 0 || step >= totalSteps))
            || (args.saveStrategy == .epoch && epochEnd)
        try callbackEvent { try $0.onStepEnd(args: args, state: state, control: &$1) }
        if epochEnd { try callbackEvent { try $0.onEpochEnd(args: args, state: state, control: &$1) } }
    }
}
