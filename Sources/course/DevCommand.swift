import ArgumentParser
import CourseKit
import Foundation

struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Maintainer commands.", subcommands: [CheckExercises.self])

    struct CheckExercises: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-exercises",
            abstract: "Prove every exercise fails as shipped and passes with its solution.")

        @Argument(help: "Chapters, by path, number, file name or id (default: every Chapters/*.md).") var paths: [String] = []

        func run() throws {
            let env = try Environment.discover()
            let workspace = ExerciseWorkspace(environment: env)
            let style = Style.forStdout()
            let chapters = try (paths.isEmpty ? ChapterLoader.discover(in: "Chapters") : paths.map { try ChapterLoader.resolve($0) })
                .map { try ChapterLoader.load($0) }
            var summary = Summary()
            for chapter in chapters {
                for exercise in chapter.exercises {
                    let e = LocatedExercise(chapter: chapter, exercise: exercise)
                    let starter = try workspace.attempt(e, code: exercise.starter.code,
                                                        file: "\(chapter.path) (starting code of \(exercise.id))", passStderr: false)
                    let solution = try workspace.attempt(e, code: exercise.solution.code,
                                                         file: "\(chapter.path) (solution of \(exercise.id))", passStderr: false)
                    if let status = Interruption.exitStatus { throw ExitCode(status) }
                    // What an attempt runs: with needs=, only those steps; else everything before the exercise.
                    let runs = chapter.stepsNeeded(by: exercise).map { needed in
                        "running only \(exercise.needs?.joined(separator: ", ") ?? "") (\(needed.count) of "
                            + "\(chapter.steps.filter { $0.runs && $0.number < exercise.solution.number }.count) steps before it)"
                    } ?? "running every step before it"
                    for (what, ok, detail) in [("fails as shipped", !starter.passed, starter.message),
                                               ("passes with its solution, \(runs)", solution.passed, solution.message)] {
                        let label = "\(exercise.id) \(what)"
                        if ok {
                            summary.passed += 1
                            print("  \(style.green("✓")) \(label)  \(style.dim("\(chapter.path):\(exercise.starter.fenceLine)"))")
                        } else {
                            summary.failed += 1
                            print("  \(style.red("✗")) \(label)  \(chapter.path):\(exercise.starter.fenceLine)")
                            print(detail.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
                        }
                    }
                }
            }
            print(summary)
            if summary.failed > 0 { throw ExitCode.failure }
        }
    }
}
