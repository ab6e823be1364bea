import ArgumentParser
import CourseKit
import Foundation

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Read a chapter a step at a time in the terminal, running each step on a key press.",
        discussion: "Keys: enter (or space) runs the next step, h shows an exercise's hint, s its reference solution, j jumps to another step, r restarts, q (or Esc) quits. Coming back to a chapter, it offers to go on where you last quit. Without a terminal it behaves as `course run`.")

    @Argument(help: "The chapter: a file, or its number, file name or id (e.g. 00, how-this-course-works).") var path: String

    @Option(help: "Start at this step: its number as the step headers count it (3 for `── 3/8`), or its id (`loss` or `id=loss`). The steps before it run without pausing, their outputs checked.")
    var from: String?

    @Flag(help: "Train every fine-tune for real. By default a Trainer run whose inputs (model, data, arguments, seed, threads, toolkit build) all equal an earlier run's is replayed: its weights, files and output come back in seconds, and stderr says so.")
    var fresh = false
    @OptionGroup var language: InterfaceLanguageOption

    func run() throws {
        let path = language.readingPath(self.path)
        let environment = try Environment.discover()
        guard isatty(1) != 0, let terminal = RawTerminal() else {
            // Without a terminal every step runs and is checked; a --from that names no step is still an error.
            let chapter = try? ChapterLoader.load(ChapterLoader.resolve(path))
            let strings = language.strings(reading: chapter)
            if let from {
                let stepper = Stepper(chapter: try chapter ?? ChapterLoader.load(ChapterLoader.resolve(path)), environment: environment,
                                      style: Style(enabled: false), write: { _ in }, readKey: { .quit })
                stepper.strings = strings
                _ = try stepper.stepNumber(named: from)
            }
            FileHandle.standardError.write(Data((strings.notATerminal + "\n").utf8))
            var reporter = Reporter(style: .forStdout())
            reporter.strings = strings
            let session = CourseSession(environment: environment, reporter: reporter)
            guard let (_, result) = try session.run(path: path) else { throw ExitCode.failure }
            print(strings.summary(Summary.of([result])))
            if let status = Interruption.exitStatus { throw ExitCode(status) }
            if !result.ok { throw ExitCode.failure }
            return
        }
        defer { terminal.restore() }
        let chapter = try ChapterLoader.load(ChapterLoader.resolve(path))
        var state = CourseState.load(environment)
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
                case UInt8(ascii: "j"): return .jump
                default: return .other
                }
            })
        stepper.fresh = fresh
        stepper.strings = language.strings(reading: chapter)
        stepper.exerciseFlags = language.exerciseFlags(reading: chapter)
        stepper.readTarget = { prompt in terminal.readLine(prompt: prompt) { FileHandle.standardOutput.write(Data($0.utf8)) } }
        if let from {
            stepper.target = try stepper.stepNumber(named: from)
        } else if let stop = state.stop(in: chapter) {
            guard let start = offerToGoOn(stepper, stop, terminal) else { return }
            stepper.target = start
        }
        let result = try stepper.run()
        state = CourseState.load(environment)   // an exercise command may have changed it meanwhile
        state.record(result)
        // Quitting remembers the step; reaching the end (or a failure that ended the run) forgets it.
        if stepper.stoppedBefore != nil || !result.stopped { state.recordStop(stepper.stoppedBefore, in: chapter) }
        try? state.save(environment)
        if let status = Interruption.exitStatus { throw ExitCode(status) }
        // Quitting early is not a failure; a step that failed is.
        if result.steps.contains(where: { if case .notRun = $0.outcome { return false }; return $0.outcome.isFailure }) {
            throw ExitCode.failure
        }
    }

    /// Where the learner quit last time: asks whether to go on from there. Returns the step
    /// to start at (nil when they quit instead).
    private func offerToGoOn(_ stepper: Stepper, _ stop: Step, _ terminal: RawTerminal) -> Int?? {
        let style = Style.forStdout()
        let name = stop.attributes.id.map { " \"\($0)\"" } ?? ""
        let text = stepper.strings.lastTimeStopped(stepper.position(of: stop), stepper.shownCount, name) + "\n"
            + style.dim(stepper.strings.goOnKeys)
        FileHandle.standardOutput.write(Data(text.utf8))
        while true {
            let key = terminal.readKey()
            FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
            switch key {
            case nil, UInt8(ascii: "q"), 27: return nil
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "): return .some(stop.number)
            case UInt8(ascii: "b"): return .some(nil)
            default: continue
            }
        }
    }
}
