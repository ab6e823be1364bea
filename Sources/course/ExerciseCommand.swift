import ArgumentParser
import CourseKit
import Foundation

struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Do the chapters' ✏️ exercises: start, hint, check (or --watch), reset.",
        subcommands: [List.self, Start.self, Hint.self, Check.self, Reset.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The exercises, where they are, and your progress.")
        func run() throws {
            let env = try Environment.discover()
            let workspace = ExerciseWorkspace(environment: env)
            let state = CourseState.load(env)
            let style = Style.forStdout()
            let all = try workspace.all()
            // Columns padded to the widest entry (measured before colouring).
            let idWidth = all.map(\.exercise.id.count).max() ?? 0
            let places = all.map { "\($0.chapter.path):\($0.exercise.starter.fenceLine)" }
            let placeWidth = places.map(\.count).max() ?? 0
            func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
            for (e, place) in zip(all, places) {
                let status = state.exercises?[e.qualifiedID]?.status ?? "not started"
                let mark = status == "passed" ? style.green("✓") : status == "failed" ? style.red("✗") : status == "started" ? style.yellow("…") : " "
                print("\(mark) \(pad(e.exercise.id, idWidth))  \(style.dim(pad(place, placeWidth)))  \(status)")
            }
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy an exercise's starting code into Exercises/ to edit.")
        @Argument(help: "The exercise id (see `course exercise list`).") var id: String
        @OptionGroup var language: LanguageOption
        func run() throws {
            let workspace = ExerciseWorkspace(environment: try Environment.discover())
            let e = try language.locate(workspace.find(id))
            let (_, created) = try workspace.start(e)
            let path = workspace.relativePath(e)
            print(created ? "wrote \(path): edit it, then run `course exercise check \(e.exercise.id)`"
                          : "\(path) already exists (your work is kept; `course exercise reset \(e.exercise.id)` starts over)")
        }
    }

    struct Hint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an exercise's hint.")
        @Argument(help: "The exercise id.") var id: String
        @OptionGroup var language: LanguageOption
        func run() throws {
            let e = try language.locate(ExerciseWorkspace(environment: try Environment.discover()).find(id))
            print(e.exercise.hint ?? "exercise \(e.exercise.id) has no hint: reread \(e.chapter.path) around line \(e.exercise.starter.fenceLine)")
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Overwrite your file with the starting code again.")
        @Argument(help: "The exercise id.") var id: String
        @OptionGroup var language: LanguageOption
        func run() throws {
            let workspace = ExerciseWorkspace(environment: try Environment.discover())
            let e = try language.locate(workspace.find(id))
            try workspace.start(e, overwrite: true)
            print("reset \(workspace.relativePath(e)) to the starting code")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the chapter up to the exercise with your code, then its hidden check.")
        @Argument(help: "The exercise id.") var id: String
        @OptionGroup var language: LanguageOption
        @Flag(help: "Check again every time the file is saved (Ctrl-C to stop).") var watch = false

        func run() throws {
            let workspace = ExerciseWorkspace(environment: try Environment.discover())
            let e = try language.locate(workspace.find(id))
            let style = Style.forStdout()
            func once() throws -> Bool {
                let result = try workspace.check(e)
                if result.passed {
                    print(style.green("✓ \(e.exercise.id): passed"))
                } else {
                    print(style.red("✗ \(e.exercise.id): not yet"))
                }
                // What the learner's code printed, then the check's verdict.
                if let printed = result.printed {
                    let lines = OutputMatcher.normalizedLines(printed)
                    print(lines.isEmpty ? style.dim("  your code printed nothing")
                                        : style.dim("  your code printed:") + "\n" + lines.map { "    " + $0 }.joined(separator: "\n"))
                }
                if !result.message.isEmpty {
                    print(result.message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
                }
                if !result.passed { print(style.dim("  hint: course exercise hint \(e.exercise.id)")) }
                // A signal stopped the attempt (and ends --watch too).
                if let status = Interruption.exitStatus { throw ExitCode(status) }
                return result.passed
            }
            guard watch else {
                if try !once() { throw ExitCode.failure }
                return
            }
            try Watcher(file: workspace.file(e)).run { event in
                switch event {
                case .started:
                    print(style.dim("— checking \(workspace.relativePath(e)) —"))
                    _ = try once()
                    print(style.dim("watching \(workspace.relativePath(e)); Ctrl-C to stop"))
                case .changed:
                    print(style.dim("— \(workspace.relativePath(e)) changed, checking —"))
                    _ = try once()
                    print(style.dim("watching \(workspace.relativePath(e)); Ctrl-C to stop"))
                }
            }
        }
    }
}

/// Watch mode: one loop over file events (polling the modification time: portable, and a
/// check takes far longer than the poll interval anyway).
struct Watcher {
    enum Event { case started, changed }
    var file: URL
    var interval: Double = 0.3

    func run(_ handle: (Event) throws -> Void) throws {
        var last: Date? = nil
        while true {
            let attrs = try? FileManager.default.attributesOfItem(atPath: file.path)
            let modified = attrs?[.modificationDate] as? Date
            if let modified, modified != last {
                let first = last == nil
                last = modified
                try handle(first ? .started : .changed)
            } else if modified == nil {
                throw CourseError("\(file.path) is gone: run `course exercise start` again")
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }
}
