import ArgumentParser
import CourseKit
import Files
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
                FileHandle.standardError.write(Data("course: \(explained(error))\n".utf8))
                Foundation.exit(status)
            }
            exit(withError: explained(error))
        }
    }

    /// A file-system error from Foundation says only "The operation could not be completed.
    /// (NSCocoaErrorDomain error 512.)": name the path and the reason instead.
    static func explained(_ error: any Error) -> any Error {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return error }
        let path = ns.userInfo[NSFilePathErrorKey] as? String
        let reason = FileProblem.describe(error, path: path)
        return FileFailure(description: path.map { "\($0): \(reason)" } ?? reason)
    }
}

/// A file-system failure, told in words (see `Course.explained`).
struct FileFailure: Error, CustomStringConvertible {
    let description: String
}
