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

    func run() throws {
        let environment = try Environment.discover()
        let session = CourseSession(environment: environment, reporter: Reporter(style: .forStdout()))
        guard let (chapter, result) = try session.run(path: path, from: from, until: until, requireFigures: !bless) else { throw ExitCode.failure }
        print(Summary.of([result]))
        // Stopped by a signal (SIGTERM from CI or `timeout`, Ctrl-C): 128 + its number, as a shell reports it.
        if let status = Interruption.exitStatus { throw ExitCode(status) }
        if bless {
            try Bless.apply(chapter, result)
            return
        }
        if !result.ok { throw ExitCode.failure }
    }
}

enum Bless {
    /// Rewrites the chapter (or, under CI, writes `PATH.new` and fails).
    static func apply(_ chapter: Chapter, _ result: ChapterResult) throws {
        let figuresRefused = try blessFigures(chapter)
        let missing = Figures.missing(in: chapter)
        for error in missing { print(error) }
        let (text, changes) = Blesser.bless(chapter, results: result.steps)
        let unblessable = result.steps.filter { r in
            guard r.outcome.isFailure else { return false }
            if case .failed = r.outcome, r.output != nil { return false }
            return true
        }
        if changes.isEmpty {
            print("bless: no output block to change in \(chapter.path)")
        } else if ProcessInfo.processInfo.environment["CI"] == "true" {
            try text.write(toFile: chapter.path + ".new", atomically: true, encoding: .utf8)
            print("bless: refused under CI=true; wrote \(chapter.path).new with \(changes.count) changed block(s)")
            throw ExitCode.failure
        } else {
            try text.write(toFile: chapter.path, atomically: true, encoding: .utf8)
            for change in changes {
                let label = chapter.steps.first { $0.number == change.step }?.label ?? "step \(change.step)"
                if change.inserted {
                    print("bless: \(chapter.path):\(change.line) \(label): added an output block")
                    continue
                }
                // Each line it changed; a block rewritten wholesale is summarised after a few.
                for edit in change.edits.prefix(8) { print("bless: \(chapter.path):\(edit.line) \(label): \(edit.description)") }
                if change.edits.count > 8 { print("bless: \(chapter.path):\(change.line) \(label): and \(change.edits.count - 8) more line(s); see `git diff`") }
            }
        }
        if figuresRefused { throw ExitCode.failure }
        if !missing.isEmpty {
            print("bless: the chapter shows \(missing.count) image(s) its steps did not save under figures/")
            throw ExitCode.failure
        }
        if !unblessable.isEmpty {
            print("bless: \(unblessable.count) step(s) failed in ways bless cannot fix (compile errors, crashes, timeouts, checks)")
            throw ExitCode.failure
        }
    }
}

/// Copies the figures the run produced into Chapters/figures/ (only those that differ).
/// Returns true when it refused to (under CI=true), which fails the command.
func blessFigures(_ chapter: Chapter) throws -> Bool {
    let environment = try Environment.discover()
    let changes = Figures.changes(for: chapter, environment: environment)
    guard !changes.isEmpty else { return false }
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        print("bless: refused under CI=true; \(changes.count) figure(s) differ: \(changes.map(\.name).joined(separator: ", "))")
        return true
    }
    for path in try Figures.bless(changes, for: chapter, environment: environment) {
        print("bless: wrote \(path)")
    }
    return false
}

extension Summary {
    static func of(_ results: [ChapterResult]) -> Summary {
        var summary = Summary()
        results.forEach { summary.add($0) }
        return summary
    }
}
