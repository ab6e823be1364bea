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
                let solution = try workspace.attempt(e, code: exercise.solution.code,
                                                     file: "\(chapter.path) (solution of \(exercise.id))", passStderr: false)
                let solutionSeconds = Clock.now - started
                if let status = Interruption.exitStatus { return .interrupted(status) }
                for (what, ok, detail, seconds) in [("fails as shipped", !starter.passed, starter.message, starterSeconds),
                                                    ("passes with its solution, \(Self.runs(exercise, in: chapter))", solution.passed,
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

    /// What an attempt runs: with needs=, only those steps; else everything before the exercise.
    static func runs(_ exercise: Exercise, in chapter: Chapter) -> String {
        chapter.stepsNeeded(by: exercise).map { needed in
            "running only \(exercise.needs?.joined(separator: ", ") ?? "") (\(needed.count) of "
                + "\(chapter.steps.filter { $0.runs && $0.number < exercise.solution.number }.count) steps before it)"
        } ?? "running every step before it"
    }
}
