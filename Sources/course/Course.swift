import ArgumentParser
import CourseKit
import Foundation

/// `course`: runs, checks, lists (and later steps through and renders) the chapters.
@main struct Course: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Run the course's Markdown chapters as checked, literate programs.",
        discussion: """
            Chapters are Markdown files in Chapters/: each ```swift block is a step, run in order in \
            one program; each ```output block documents what the step before it prints, and is checked.
            """,
        subcommands: [RunCommand.self, CheckCommand.self, ListCommand.self, StepCommand.self, ExerciseCommand.self, DevCommand.self, SiteCommand.self])

    /// ArgumentParser's own main, except that after a signal stopped what `course` ran (see
    /// Interruption) any error ends it with 128 + the signal, as a shell reports it.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let status = Interruption.exitStatus, !(error is ExitCode) {
                FileHandle.standardError.write(Data("course: \(error)\n".utf8))
                Foundation.exit(status)
            }
            exit(withError: error)
        }
    }
}
