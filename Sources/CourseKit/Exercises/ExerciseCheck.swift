import Foundation

// `course exercise check`: runs the learner's attempt (ExerciseWorkspace.check) and prints
// what their code printed, then the check's verdict and, when it fails, where the hint is.

public struct ExerciseCheck {
    public enum Outcome: Sendable, Equatable {
        case passed, notYet
        /// A signal stopped the attempt: the command exits with this status (128 + the signal).
        case interrupted(Int32)
    }

    public let workspace: ExerciseWorkspace
    public let exercise: LocatedExercise
    public let style: Style

    public init(workspace: ExerciseWorkspace, exercise: LocatedExercise, style: Style) {
        self.workspace = workspace
        self.exercise = exercise
        self.style = style
    }

    /// Checks the attempt once, printing the result.
    public func once() throws -> Outcome {
        let id = exercise.exercise.id
        let strings = workspace.strings
        let result = try workspace.check(exercise)
        if result.passed {
            print(style.green(strings.checkPassed(id)))
        } else {
            print(style.red(strings.checkNotYet(id)))
        }
        // What the learner's code printed, then the check's verdict.
        if let printed = result.printed {
            let lines = OutputMatcher.normalizedLines(printed)
            print(lines.isEmpty ? style.dim(strings.printedNothing)
                                : style.dim(strings.printed) + "\n" + lines.map { "    " + $0 }.joined(separator: "\n"))
        }
        if !result.message.isEmpty {
            print(result.message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        }
        if !result.passed { print(style.dim(strings.hintCommand("course exercise hint \(id)\(workspace.suggestedFlags)"))) }
        if let status = Interruption.exitStatus { return .interrupted(status) }
        return result.passed ? .passed : .notYet
    }

    /// `--watch`: checks at the start and every time the file is saved. Returns only when a
    /// signal stopped an attempt, with the status to exit with (Ctrl-C between attempts ends
    /// `course` at once, see Interruption).
    public func watch() throws -> Int32 {
        let path = workspace.relativePath(exercise)
        let strings = workspace.strings
        var stoppedWith: Int32 = 0
        try Watcher(file: workspace.file(exercise)).run { event in
            switch event {
            case .started: print(style.dim(strings.watchChecking(path)))
            case .changed: print(style.dim(strings.watchChanged(path)))
            }
            if case .interrupted(let status) = try once() {
                stoppedWith = status
                return false
            }
            print(style.dim(strings.watching(path)))
            return true
        }
        return stoppedWith
    }
}
