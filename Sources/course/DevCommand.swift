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

        @Flag(help: "Run every solution, even one whose check passed in a full run of the same chapter program (`course check`).")
        var rerunSolutions = false

        func run() throws {
            let env = try Environment.discover()
            var proof = ExerciseProof(workspace: ExerciseWorkspace(environment: env), style: .forStdout())
            proof.reuseFullRuns = !rerunSolutions
            let chapters = try (paths.isEmpty ? ChapterLoader.discover(in: "Chapters") : paths.map { try ChapterLoader.resolve($0) })
                .map { try ChapterLoader.load($0) }
            switch try proof.run(chapters) {
            case .interrupted(let status):
                throw ExitCode(status)
            case .finished(let summary):
                print(summary)
                if summary.failed > 0 { throw ExitCode.failure }
            }
        }
    }
}
