import ArgumentParser
import CourseKit
import Foundation

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Read a chapter a step at a time in the terminal, running each step on a key press.",
        discussion: "Keys: enter (or space) runs the next step, h shows an exercise's hint, s its reference solution, r restarts, q (or Esc) quits. Without a terminal it behaves as `course run`.")

    @Argument(help: "The chapter: a file, or its number, file name or id (e.g. 00, how-this-course-works).") var path: String

    func run() throws {
        let environment = try Environment.discover()
        guard isatty(1) != 0, let terminal = RawTerminal() else {
            FileHandle.standardError.write(Data("course step: not a terminal; running the chapter as `course run` does\n".utf8))
            let session = CourseSession(environment: environment, reporter: Reporter(style: .forStdout()))
            guard let (_, result) = try session.run(path: path) else { throw ExitCode.failure }
            print(Summary.of([result]))
            if let status = Interruption.exitStatus { throw ExitCode(status) }
            if !result.ok { throw ExitCode.failure }
            return
        }
        defer { terminal.restore() }
        let chapter = try ChapterLoader.load(ChapterLoader.resolve(path))
        let stepper = Stepper(
            chapter: chapter, environment: environment, style: .forStdout(),
            columns: { RawTerminal.width() }, rows: { RawTerminal.height() },
            write: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            readKey: {
                switch terminal.readKey() {
                case nil, UInt8(ascii: "q"), 27: return .quit   // end of input, q, Esc
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "n"): return .run
                case UInt8(ascii: "r"): return .restart
                case UInt8(ascii: "h"): return .hint
                case UInt8(ascii: "s"): return .solution
                default: return .other
                }
            })
        let result = try stepper.run()
        var state = CourseState.load(environment)
        state.record(result)
        try? state.save(environment)
        if let status = Interruption.exitStatus { throw ExitCode(status) }
        // Quitting early is not a failure; a step that failed is.
        if result.steps.contains(where: { if case .notRun = $0.outcome { return false }; return $0.outcome.isFailure }) {
            throw ExitCode.failure
        }
    }
}
