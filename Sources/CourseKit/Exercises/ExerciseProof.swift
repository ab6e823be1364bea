import Foundation

// `course dev check-exercises`, the maintainer's proof (rustlings does the same): every
// exercise fails as shipped, so a learner who changes nothing is never told they passed, and
// passes with its solution run exactly as a learner's attempt runs (with `needs=`, only those
// steps), so a `needs=` list that misses something fails here, not on a learner's machine.

public struct ExerciseProof {
    public enum Outcome: Sendable {
        case finished(Summary)
        /// A signal stopped an attempt: the command exits with this status (128 + the signal).
        case interrupted(Int32)
    }

    public let workspace: ExerciseWorkspace
    public let style: Style
    /// Take "passes with its solution" from a full run of the same chapter program that
    /// already passed the check (SolutionRecord), rather than train the solution again.
    public var reuseFullRuns = true

    public init(workspace: ExerciseWorkspace, style: Style) {
        self.workspace = workspace
        self.style = style
    }

    /// Proves every exercise of `chapters`, printing a line per claim (two per exercise).
    public func run(_ chapters: [Chapter]) throws -> Outcome {
        var summary = Summary()
        for chapter in chapters {
            for exercise in chapter.exercises {
                let e = LocatedExercise(chapter: chapter, exercise: exercise)
                var started = Clock.now
                let starter = try workspace.attempt(e, code: exercise.starter.code,
                                                    file: "\(chapter.path) (starting code of \(exercise.id))", passStderr: false)
                let starterSeconds = Clock.now - started
                started = Clock.now
                let solution: AttemptResult, how: String
                if reuseFullRuns, let date = SolutionRecord.passed(exercise, in: chapter, workspace.environment) {
                    (solution, how) = try shownByFullRun(e, date: date)
                } else {
                    solution = try workspace.attempt(e, code: exercise.solution.code,
                                                     file: "\(chapter.path) (solution of \(exercise.id))", passStderr: false)
                    how = Self.runs(exercise, in: chapter)
                }
                let solutionSeconds = Clock.now - started
                if let status = Interruption.exitStatus { return .interrupted(status) }
                for (what, ok, detail, seconds) in [("fails as shipped", !starter.passed, starter.message, starterSeconds),
                                                    ("passes with its solution, \(how)", solution.passed,
                                                     solution.message, solutionSeconds)] {
                    let label = "\(exercise.id) \(what)"
                    // What each claim cost, so an exercise that repeats a fine-tune shows up here.
                    let time = style.dim(String(format: "%.1f s", seconds))
                    if ok {
                        summary.passed += 1
                        print("  \(style.green("✓")) \(label)  \(style.dim("\(chapter.path):\(exercise.starter.fenceLine)"))  \(time)")
                    } else {
                        summary.failed += 1
                        print("  \(style.red("✗")) \(label)  \(chapter.path):\(exercise.starter.fenceLine)  \(time)")
                        print(detail.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
                    }
                }
            }
        }
        return .finished(summary)
    }

    /// The solution claim from a full run of the same chapter program (`course check`, which
    /// CI runs first) whose check passed. Without `needs=` an attempt runs a prefix of that
    /// program, so nothing is left to show; with it, the attempt's own program (only the needed
    /// steps) is compiled, so a `needs=` that leaves out a name still fails here.
    private func shownByFullRun(_ e: LocatedExercise, date: String) throws -> (AttemptResult, String) {
        let ran = "its check passed in the chapter's full run of \(date) (the same program and toolkit build; not run again)"
        guard let needs = e.exercise.needs else { return (AttemptResult(passed: true, message: ""), ran) }
        let plan = workspace.plan(e, code: e.exercise.solution.code, file: "\(e.chapter.path) (solution of \(e.exercise.id))")
        let how = "\(ran); with only \(needs.joined(separator: ", ")) it compiles"
        do {
            _ = try Compiler(environment: workspace.environment).compile(e.chapter, plan: plan)
            return (AttemptResult(passed: true, message: ""), how)
        } catch let failure as CompileFailure {
            return (AttemptResult(passed: false, message: "with only \(needs.joined(separator: ", ")) it does not compile:\n"
                + Diagnostics.deduplicated(OutputMatcher.normalizedLines(failure.diagnostics)).joined(separator: "\n")), how)
        }
    }

    /// What an attempt runs: with needs=, only those steps; else everything before the exercise.
    static func runs(_ exercise: Exercise, in chapter: Chapter) -> String {
        chapter.stepsNeeded(by: exercise).map { needed in
            "running only \(exercise.needs?.joined(separator: ", ") ?? "") (\(needed.count) of "
                + "\(chapter.steps.filter { $0.runs && $0.number < exercise.solution.number }.count) steps before it)"
        } ?? "running every step before it"
    }
}
