import Foundation

/// The learning-rate schedules of `transformers.get_scheduler`, by their Python names
/// (`SchedulerType("cosine")`, `lr_scheduler_type="cosine"`).
public enum SchedulerType: String, CaseIterable, Codable, Sendable {
    /// Warmup, then a straight line down to 0 at the last step.
    case linear
    /// Warmup, then half a cosine wave (`numCycles` 0.5) down to 0.
    case cosine
    /// Warmup, then `numCycles` cosine waves, each restarting from the full rate.
    case cosineWithRestarts = "cosine_with_restarts"
    /// Warmup, then (1 − progress)^`power` from the full rate down to `lrEnd`.
    case polynomial
    /// The full rate at every step, no warmup.
    case constant
    /// Warmup, then the full rate.
    case constantWithWarmup = "constant_with_warmup"
    /// Warmup, then 1/√(step / timescale).
    case inverseSqrt = "inverse_sqrt"
}

/// A learning-rate schedule over an optimizer (Python's `LambdaLR` made by `get_scheduler`):
/// the rate of step `s` is the optimizer's base rate × `factor(s)`. Like PyTorch it sets the
/// rate of step 0 on creation; call `step()` after each `optimizer.step()`.
///
///     let scheduler = try getScheduler(.linear, optimizer: optimizer, numWarmupSteps: 0,
///                                      numTrainingSteps: numTrainingSteps)
///
/// Factors are computed in Double with the Python library's formulas (the same libm `cos` and
/// `pow`), then the rate is rounded once to the optimizer's Float.
public final class LRScheduler {
    /// The optimizer whose `lr` the schedule sets at every `step()`.
    public let optimizer: AdamW
    /// The schedule's shape (`.linear`, `.cosine`, ...).
    public let type: SchedulerType
    /// Steps over which the rate rises linearly from 0 to the base rate.
    public let numWarmupSteps: Int
    /// The total number of optimizer steps the schedule spans.
    public let numTrainingSteps: Int
    /// Cosine waves over the decay (`num_cycles`): 0.5 for `.cosine`, 1 for `.cosineWithRestarts`.
    public let numCycles: Double
    /// `.polynomial`: the exponent and the final rate (`power`, `lr_end`).
    public let power: Double
    /// The rate the `.polynomial` decay ends at (`lr_end`).
    public let lrEnd: Double
    /// `.inverseSqrt`: steps per unit of decay (`timescale`; default `numWarmupSteps`, or 10,000).
    public let timescale: Int
    /// Scheduler steps taken so far (PyTorch's `last_epoch`).
    public private(set) var lastEpoch = 0

    /// Prefer `getScheduler`, which checks its arguments; this initializer clamps negative step
    /// counts to 0.
    public init(_ type: SchedulerType, optimizer: AdamW, numWarmupSteps: Int, numTrainingSteps: Int,
                numCycles: Double? = nil, power: Double = 1, lrEnd: Double = 1e-7, timescale: Int? = nil) {
        self.type = type
        self.optimizer = optimizer
        self.numWarmupSteps = type == .constant ? 0 : max(0, numWarmupSteps)
        self.numTrainingSteps = max(0, numTrainingSteps)
        self.numCycles = numCycles ?? (type == .cosineWithRestarts ? 1 : 0.5)
        self.power = power
        self.lrEnd = lrEnd
        self.timescale = timescale ?? (numWarmupSteps > 0 ? numWarmupSteps : 10_000)
        setRate()
    }

    /// The multiplier of the base learning rate at `step` (Python's `lr_lambda(step)`).
    public func factor(_ step: Int) -> Double {
        let warmup = numWarmupSteps, total = numTrainingSteps
        if type != .constant, step < warmup { return Double(step) / Double(max(1, warmup)) }
        let progress = Double(step - warmup) / Double(max(1, total - warmup))
        switch type {
        case .constant, .constantWithWarmup:
            return 1
        case .linear:
            return max(0, Double(total - step) / Double(max(1, total - warmup)))
        case .cosine:
            return max(0, 0.5 * (1 + cos(Double.pi * numCycles * 2 * progress)))
        case .cosineWithRestarts:
            if progress >= 1 { return 0 }
            return max(0, 0.5 * (1 + cos(Double.pi * (numCycles * progress).truncatingRemainder(dividingBy: 1))))
        case .polynomial:
            let lrInit = Double(optimizer.baseLR)
            if step > total { return lrEnd / lrInit }
            let remaining = 1 - Double(step - warmup) / Double(max(1, total - warmup))
            return ((lrInit - lrEnd) * pow(remaining, power) + lrEnd) / lrInit
        case .inverseSqrt:
            let shift = timescale - warmup
            return 1 / (Double(step + shift) / Double(timescale)).squareRoot()
        }
    }

    /// The learning rate the next optimizer step uses (`scheduler.get_last_lr()[0]`).
    public var lastLR: Float { optimizer.lr }

    /// Advances one step and sets the optimizer's learning rate (`scheduler.step()`).
    public func step() {
        lastEpoch += 1
        setRate()
    }

    /// Jumps to scheduler step `step` (resuming from a checkpoint) and sets the learning rate.
    public func load(lastEpoch step: Int) {
        lastEpoch = max(0, step)
        setRate()
    }

    private func setRate() {
        optimizer.lr = Float(Double(optimizer.baseLR) * factor(lastEpoch))
    }
}

/// A schedule by its Python name (`transformers.get_scheduler`): `.linear`, `.cosine`,
/// `.constant`, `.constantWithWarmup`, `.polynomial`, `.cosineWithRestarts`, `.inverseSqrt`.
/// The rates are those of the Python library step for step.
///
/// - `numCycles`: cosine waves (default 0.5 for `.cosine`, 1 for `.cosineWithRestarts`).
/// - `power`, `lrEnd`: for `.polynomial` (defaults 1 and 1e-7, as Python's).
/// - `timescale`: for `.inverseSqrt` (default `numWarmupSteps`, else 10,000).
public func getScheduler(_ type: SchedulerType, optimizer: AdamW, numWarmupSteps: Int = 0, numTrainingSteps: Int,
                         numCycles: Double? = nil, power: Double = 1, lrEnd: Double = 1e-7,
                         timescale: Int? = nil) throws -> LRScheduler {
    guard numWarmupSteps >= 0, numTrainingSteps >= 0 else {
        throw TrainerError("getScheduler needs numWarmupSteps ≥ 0 and numTrainingSteps ≥ 0, got \(numWarmupSteps) and "
            + "\(numTrainingSteps); numTrainingSteps is usually epochs × loader.count")
    }
    if let numCycles, !(numCycles >= 0) || !numCycles.isFinite {
        throw TrainerError("numCycles must be a finite number ≥ 0, got \(numCycles)")
    }
    if type == .polynomial {
        guard Double(optimizer.baseLR) > lrEnd else {
            throw TrainerError("lrEnd (\(lrEnd)) must be smaller than the optimizer's learning rate (\(optimizer.baseLR))")
        }
        guard numTrainingSteps > numWarmupSteps else {
            throw TrainerError("the polynomial schedule decays over numTrainingSteps − numWarmupSteps steps, which must be "
                + "at least 1; got \(numTrainingSteps) − \(numWarmupSteps)")
        }
        guard power.isFinite, power >= 0 else { throw TrainerError("power must be a finite number ≥ 0, got \(power)") }
    }
    if type == .inverseSqrt, let timescale, timescale <= 0 {
        throw TrainerError("timescale must be at least 1, got \(timescale)")
    }
    return LRScheduler(type, optimizer: optimizer, numWarmupSteps: numWarmupSteps, numTrainingSteps: numTrainingSteps,
                       numCycles: numCycles, power: power, lrEnd: lrEnd, timescale: timescale)
}

/// `getScheduler("cosine", ...)`: the Python name as a string; throws naming the known ones.
public func getScheduler(_ name: String, optimizer: AdamW, numWarmupSteps: Int = 0, numTrainingSteps: Int,
                         numCycles: Double? = nil, power: Double = 1, lrEnd: Double = 1e-7,
                         timescale: Int? = nil) throws -> LRScheduler {
    guard let type = SchedulerType(rawValue: name) else {
        throw TrainerError("unknown scheduler '\(name)'; use one of "
            + SchedulerType.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return try getScheduler(type, optimizer: optimizer, numWarmupSteps: numWarmupSteps, numTrainingSteps: numTrainingSteps,
                            numCycles: numCycles, power: power, lrEnd: lrEnd, timescale: timescale)
}

/// The linear schedule with warmup under its older name (the Trainer's default schedule).
public typealias LinearScheduleWithWarmup = LRScheduler

extension LRScheduler {
    /// `LinearScheduleWithWarmup(optimizer:numWarmupSteps:numTrainingSteps:)`.
    public convenience init(optimizer: AdamW, numWarmupSteps: Int, numTrainingSteps: Int) {
        self.init(.linear, optimizer: optimizer, numWarmupSteps: numWarmupSteps, numTrainingSteps: numTrainingSteps)
    }
}

/// The Python name, for readers following the course side by side.
public func getLinearScheduleWithWarmup(_ optimizer: AdamW, numWarmupSteps: Int, numTrainingSteps: Int)
    -> LinearScheduleWithWarmup {
    LRScheduler(.linear, optimizer: optimizer, numWarmupSteps: numWarmupSteps, numTrainingSteps: numTrainingSteps)
}
