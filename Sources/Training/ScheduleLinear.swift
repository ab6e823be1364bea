import Foundation

/// The linear schedule with warmup (`get_linear_schedule_with_warmup`): the learning rate rises
/// from 0 to the optimizer's base rate over `numWarmupSteps`, then falls linearly to 0 at
/// `numTrainingSteps`. Like PyTorch's LambdaLR it sets the rate for step 0 on creation;
/// call `step()` after each `optimizer.step()`.
public final class LinearScheduleWithWarmup {
    public let optimizer: AdamW
    public let numWarmupSteps: Int
    public let numTrainingSteps: Int
    /// Scheduler steps taken so far.
    public private(set) var lastEpoch = 0

    public init(optimizer: AdamW, numWarmupSteps: Int, numTrainingSteps: Int) {
        self.optimizer = optimizer
        self.numWarmupSteps = max(0, numWarmupSteps)
        self.numTrainingSteps = max(0, numTrainingSteps)
        optimizer.lr = optimizer.baseLR * factor(0)
    }

    /// The multiplier of the base learning rate at `step`.
    public func factor(_ step: Int) -> Float {
        if step < numWarmupSteps { return Float(step) / Float(max(1, numWarmupSteps)) }
        return max(0, Float(numTrainingSteps - step) / Float(max(1, numTrainingSteps - numWarmupSteps)))
    }

    /// The learning rate the next optimizer step uses (`get_last_lr()`).
    public var lastLR: Float { optimizer.lr }

    /// Jumps to scheduler step `step` (resuming from a checkpoint) and sets the learning rate.
    public func load(lastEpoch step: Int) {
        lastEpoch = max(0, step)
        optimizer.lr = optimizer.baseLR * factor(lastEpoch)
    }

    /// Advances one step and sets the optimizer's learning rate (`scheduler.step()`).
    public func step() {
        lastEpoch += 1
        optimizer.lr = optimizer.baseLR * factor(lastEpoch)
    }
}

/// The Python name, for readers following the course side by side.
public func getLinearScheduleWithWarmup(_ optimizer: AdamW, numWarmupSteps: Int, numTrainingSteps: Int)
    -> LinearScheduleWithWarmup {
    LinearScheduleWithWarmup(optimizer: optimizer, numWarmupSteps: numWarmupSteps, numTrainingSteps: numTrainingSteps)
}
