// What happened to each step, and the counts `course check` closes with.

public enum StepOutcome: Sendable, Equatable {
    case passed
    /// Ran, but its output (or its check) did not match; the text explains, with a diff.
    case failed(String)
    /// Did not compile; the compiler's diagnostics, naming `Chapters/x.md:LINE`.
    case compileError(String)
    /// The program died during this step (trap, uncaught error, signal).
    case crashed(String)
    /// Killed at a time limit after these seconds; `limit` says which limit fired (the step's
    /// `timeout=` or the chapter's `timeout:`), what was still running, and how to raise it.
    case timedOut(Double, limit: String)
    /// Never started because an earlier step crashed, timed out or did not compile.
    case notRun(NotRunReason)
    /// `no-run`, an `unchecked` output, or outside `--from`/`--until`.
    case skipped(SkipReason)

    public var isFailure: Bool {
        switch self {
        case .passed, .skipped: return false
        default: return true
        }
    }
}

/// Why a step was skipped. The cases, not their text, are what code compares (the state file
/// counts steps after `--until`); the description is what the reports show.
public enum SkipReason: Sendable, Equatable, CustomStringConvertible {
    case noRun, beforeFrom, afterUntil, notNeededByExercise, outputUnchecked

    public var description: String {
        switch self {
        case .noRun: return "no-run"
        case .beforeFrom: return "before --from"
        case .afterUntil: return "after --until"
        case .notNeededByExercise: return "not needed by the exercise"
        case .outputUnchecked: return "output is unchecked"
        }
    }
}

/// Why a step never started; the description is what the reports show after "not run: ".
public enum NotRunReason: Sendable, Equatable, CustomStringConvertible {
    case chapterDidNotCompile
    case chapterCouldNotStart
    /// The step that was running when `course` got this signal (its name, e.g. SIGTERM).
    case signalledWhileRunning(String)
    /// The steps after it.
    case runStoppedBy(String)
    case stoppedBeforeIt
    case programDidNotReachIt
    case earlierStepThrew
    case earlierStepCrashed
    case earlierStepTimedOut
    case rankLeftEarly(Int)

    public var description: String {
        switch self {
        case .chapterDidNotCompile: return "the chapter did not compile"
        case .chapterCouldNotStart: return "the chapter could not start"
        case .signalledWhileRunning(let name):
            return "stopped by \(name) while it ran: `course` received it and passed it on to the chapter program"
        case .runStoppedBy(let name): return "the run was stopped by \(name)"
        case .stoppedBeforeIt: return "stopped before it"
        case .programDidNotReachIt: return "the program did not reach it"
        case .earlierStepThrew: return "an earlier step threw an error"
        case .earlierStepCrashed: return "an earlier step crashed"
        case .earlierStepTimedOut: return "an earlier step timed out"
        case .rankLeftEarly(let rank): return "rank \(rank) left the job early"
        }
    }
}

public struct StepResult: Sendable {
    public var step: Step
    public var outcome: StepOutcome
    /// Wall-clock seconds between this step's marker and the next.
    public var seconds: Double
    /// What the step printed on stdout (nil if it did not run).
    public var output: String?
}

public struct ChapterResult: Sendable {
    public var chapter: Chapter
    public var steps: [StepResult]
    public var compileSeconds: Double = 0
    public var compileCached = false
    public var runSeconds: Double = 0
    /// The learner stopped the run (`course step`, q) before its end.
    public var stopped = false
    /// Not the whole chapter: stopped, or limited by `--from`/`--until`.
    public var partial = false
    /// Steps in which the Trainer replayed a recorded fine-tune instead of training: such a run
    /// proves nothing about training and is never recorded as a full (verified) result.
    public var replayedSteps: Set<Int> = []

    public var passed: Int { steps.filter { $0.outcome == .passed }.count }
    public var failed: Int { steps.filter { $0.outcome.isFailure }.count }
    public var skipped: Int { steps.filter { if case .skipped = $0.outcome { return true }; return false }.count }
    public var ok: Bool { failed == 0 }
    /// Steps that never started (counted in `failed` too: a full run must reach every step).
    public var notRun: Int { steps.filter { if case .notRun = $0.outcome { return true }; return false }.count }
}

/// Totals over chapters; a chapter that cannot be parsed counts as one failure.
public struct Summary: Sendable, CustomStringConvertible {
    public var passed = 0
    public var failed = 0
    public var skipped = 0

    public init() {}

    /// The totals of `results`.
    public static func of(_ results: [ChapterResult]) -> Summary {
        var summary = Summary()
        results.forEach { summary.add($0) }
        return summary
    }

    public mutating func add(_ result: ChapterResult) {
        passed += result.passed
        failed += result.failed
        skipped += result.skipped
    }

    /// Exactly `N passed, N failed, N skipped`.
    public var description: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}
