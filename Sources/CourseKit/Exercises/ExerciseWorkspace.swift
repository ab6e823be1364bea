import Foundation

// ✏️ exercises in the terminal, the rustlings way: `start` copies the starting code into the
// learner's workspace (Exercises/, git-ignored), `check` runs the chapter up to the exercise
// (or only the steps its `needs=` names) with the learner's file in place of the solution, then
// the hidden check.

/// An exercise together with its chapter.
public struct LocatedExercise: Sendable {
    public var chapter: Chapter
    public var exercise: Exercise
    /// `chapter-id/exercise-id`, unique across the course.
    public var qualifiedID: String { "\(chapter.id)/\(exercise.id)" }

    public init(chapter: Chapter, exercise: Exercise) {
        self.chapter = chapter
        self.exercise = exercise
    }
}

/// The outcome of checking an attempt.
public struct AttemptResult: Sendable {
    public var passed: Bool
    /// The check's PASS/FAIL lines, or what went wrong before the check could run.
    public var message: String
    /// What the learner's code printed (nil if it did not run).
    public var printed: String? = nil
}

public struct ExerciseWorkspace {
    public let environment: Environment
    /// Options the commands it suggests must keep (` --lang zh` when the learner chose one).
    public var suggestedFlags = ""
    /// Train every fine-tune for real (`--fresh`), not replaying recorded ones.
    public var fresh = false
    /// The words of its messages, in the learner's language.
    public var strings: TerminalStrings = .english
    public var directory: URL { environment.root.appendingPathComponent("Exercises") }

    public init(environment: Environment) { self.environment = environment }

    /// Every exercise of the chapters in `Chapters/`, in course order.
    public func all() throws -> [LocatedExercise] {
        try ChapterLoader.discover(in: "Chapters").flatMap { path -> [LocatedExercise] in
            let chapter = try ChapterLoader.load(path)
            return chapter.exercises.map { LocatedExercise(chapter: chapter, exercise: $0) }
        }
    }

    /// Finds `id` (an exercise id, or `chapter-id/exercise-id` when ids repeat).
    public func find(_ id: String) throws -> LocatedExercise {
        let exercises = try all()
        let matches = exercises.filter { $0.exercise.id == id || $0.qualifiedID == id }
        guard let first = matches.first else {
            let known = exercises.map(\.exercise.id).joined(separator: ", ")
            throw CourseError("no exercise '\(id)'; exercises: \(known.isEmpty ? "none" : known) (see `course exercise list`)")
        }
        guard matches.count == 1 else {
            throw CourseError("'\(id)' names several exercises: \(matches.map(\.qualifiedID).joined(separator: ", ")); use one of those")
        }
        return first
    }

    /// `Exercises/<chapter-id>/<exercise-id>.swift`, relative to the course root.
    public func relativePath(_ e: LocatedExercise) -> String { "Exercises/\(e.chapter.id)/\(e.exercise.id).swift" }
    public func file(_ e: LocatedExercise) -> URL { environment.root.appendingPathComponent(relativePath(e)) }

    /// The starting code with a header saying where it comes from and how to check it.
    public func starterText(_ e: LocatedExercise) -> String {
        // Two lines whatever the language: diagnostics count the learner's lines from the file's top.
        strings.starterHeader(e.exercise.id, e.chapter.path, e.exercise.starter.fenceLine,
                              "course exercise check \(e.exercise.id)\(suggestedFlags)",
                              "course exercise hint \(e.exercise.id)\(suggestedFlags)") + "\n\n"
            + e.exercise.starter.code
    }

    /// Writes the starting code unless the learner already has a file (then says so).
    @discardableResult
    public func start(_ e: LocatedExercise, overwrite: Bool = false) throws -> (URL, created: Bool) {
        let url = file(e)
        if FileManager.default.fileExists(atPath: url.path) && !overwrite { return (url, false) }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try starterText(e).write(to: url, atomically: true, encoding: .utf8)
        var state = CourseState.load(environment)
        state.recordExercise(e.qualifiedID, status: "started")
        try? state.save(environment)
        return (url, true)
    }

    /// Runs the chapter up to the exercise's check with `code` (from `file`) in place of the solution.
    public func attempt(_ e: LocatedExercise, code: String, file: String, passStderr: Bool = true,
                        replay: Bool = false) throws -> AttemptResult {
        let ex = e.exercise
        var options = RunOptions()
        options.plan = plan(e, code: code, file: file)
        options.until = ex.check.number
        options.from = ex.check.number   // earlier steps build state; only the check decides
        options.passStderr = passStderr
        options.replay = replay
        let result = try ChapterRunner(environment: environment).run(e.chapter, options: options)
        let check = result.steps.first { $0.step.number == ex.check.number }
        let printed = result.steps.first { $0.step.number == ex.solution.number }?.output
        // What stopped the run before or at the check.
        if let failed = result.steps.first(where: {
            switch $0.outcome { case .compileError, .crashed, .timedOut: return true; default: return false }
        }) {
            // nil: the learner's own code.
            var where_: String? = failed.step.number == ex.solution.number ? nil
                : "\(e.chapter.path):\(failed.step.fenceLine) (\(strings.stepLabel(failed.step)))"
            switch failed.outcome {
            case .compileError(let d):
                let lines = Diagnostics.deduplicated(OutputMatcher.normalizedLines(d))
                if LearnerDiagnostics.blamesFile(lines, file: file) { where_ = nil }
                let cleaned = LearnerDiagnostics.clean(lines, file: file, code: code)
                return AttemptResult(passed: false, message: strings.attemptDoesNotCompile(where_) + "\n" + cleaned.joined(separator: "\n"))
            case .crashed(let why): return AttemptResult(passed: false, message: strings.attemptCrashed(where_, why), printed: printed)
            case .timedOut(let s, let limit): return AttemptResult(passed: false, message: strings.attemptTimedOut(where_, Int(s), limit))
            default: break
            }
        }
        guard let check, let output = check.output else {
            return AttemptResult(passed: false, message: strings.checkDidNotRun)
        }
        let lines = OutputMatcher.normalizedLines(output)
        // An error out of the learner's code is theirs to fix, not the hidden check's to catch.
        for step in [ex.solution, ex.check] {
            if case .failed(let why) = result.steps.first(where: { $0.step.number == step.number })?.outcome,
               let blame = ThrownError.blame(why, code: code, file: file, strings: strings, calledFrom: step.number == ex.check.number
                                                ? "\(e.chapter.path):\(ex.check.fenceLine)" : nil) {
                return AttemptResult(passed: false, message: blame, printed: printed)
            }
        }
        switch check.outcome {
        case .passed: return AttemptResult(passed: true, message: lines.joined(separator: "\n"), printed: printed)
        case .failed(let why):
            return AttemptResult(passed: false, message: lines.isEmpty ? why : lines.joined(separator: "\n"), printed: printed)
        default: return AttemptResult(passed: false, message: lines.joined(separator: "\n"), printed: printed)
        }
    }

    /// The program an attempt runs: `code` in place of the solution, the chapter up to the
    /// check (with `needs=`, only the steps the exercise depends on; ExerciseDependencies).
    func plan(_ e: LocatedExercise, code: String, file: String) -> ProgramPlan {
        let ex = e.exercise
        var plan = ProgramPlan()
        plan.replacements[ex.solution.number] = Replacement(code: code, file: file, line: 1)
        plan.onlySteps = e.chapter.stepsNeeded(by: ex).map { $0.union([ex.solution.number, ex.check.number]) }
        plan.lastStep = ex.check.number
        return plan
    }

    /// Checks the learner's file and records the result.
    public func check(_ e: LocatedExercise) throws -> AttemptResult {
        let url = file(e)
        guard let code = try? String(contentsOf: url, encoding: .utf8) else {
            throw CourseError(strings.notStartedYet(relativePath(e), "course exercise start \(e.exercise.id)\(suggestedFlags)"))
        }
        let result = try attempt(e, code: code, file: relativePath(e), replay: !fresh)
        var state = CourseState.load(environment)
        state.recordExercise(e.qualifiedID, status: result.passed ? "passed" : "failed")
        try? state.save(environment)
        return result
    }
}
