import ArgumentParser
import CourseKit
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one chapter and show each step's result, with a diff where the output differs.")

    @Argument(help: "The chapter: a file (Chapters/00-how-this-course-works.md), or its number (00), file name or id (how-this-course-works).")
    var path: String

    @Option(help: "Check steps from this one on (a number or an id=); earlier steps still run, unchecked.")
    var from: String?

    @Option(help: "Stop after this step (a number or an id=).")
    var until: String?

    @Flag(help: "Accept the actual output: rewrite the output blocks that differ (refused under CI=true: writes PATH.new).")
    var bless = false

    @OptionGroup var language: InterfaceLanguageOption

    func run() throws {
        let path = language.readingPath(self.path)
        let environment = try Environment.discover()
        var reporter = Reporter(style: .forStdout())
        reporter.strings = language.strings(reading: try? ChapterLoader.load(ChapterLoader.resolve(path)))
        let session = CourseSession(environment: environment, reporter: reporter)
        guard let (chapter, result) = try session.run(path: path, from: from, until: until, requireFigures: !bless) else { throw ExitCode.failure }
        print(reporter.strings.summary(Summary.of([result])))
        // Stopped by a signal (SIGTERM from CI or `timeout`, Ctrl-C): 128 + its number, as a shell reports it.
        if let status = Interruption.exitStatus { throw ExitCode(status) }
        if bless {
            if try !Bless.apply(chapter, result, environment: environment) { throw ExitCode.failure }
            return
        }
        if !result.ok { throw ExitCode.failure }
    }
}
