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
    case notRun(String)
    /// `no-run`, an `unchecked` output, or outside `--from`/`--until`.
    case skipped(String)

    public var isFailure: Bool {
        switch self {
        case .passed, .skipped: return false
        default: return true
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
