import ArgumentParser
import CourseKit
import Foundation

struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Do the chapters' ✏️ exercises: start, hint, check (or --watch), reset.",
        subcommands: [List.self, Start.self, Hint.self, Check.self, Watch.self, Reset.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The exercises, where they are, and your progress.")
        @OptionGroup var language: InterfaceLanguageOption
        func run() throws {
            let strings = language.strings()
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
                print("\(mark) \(pad(e.exercise.id, idWidth))  \(style.dim(pad(place, placeWidth)))  \(strings.exerciseStatus(status))")
            }
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy an exercise's starting code into Exercises/ to edit.")
        @Argument(help: "The exercise id (see `course exercise list`).") var id: String
        @OptionGroup var language: LanguageOption
        func run() throws {
            let workspace = language.workspace(try Environment.discover())
            let e = try language.locate(workspace.find(id))
            let (_, created) = try workspace.start(e)
            let path = workspace.relativePath(e)
            let flags = workspace.suggestedFlags
            let strings = language.strings
            print(created ? strings.wrote(path, "course exercise check \(e.exercise.id)\(flags)")
                          : strings.alreadyExists(path, "course exercise reset \(e.exercise.id)\(flags)"))
        }
    }

    struct Hint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an exercise's hint.")
        @Argument(help: "The exercise id.") var id: String
        @OptionGroup var language: LanguageOption
        func run() throws {
            let e = try language.locate(language.workspace(try Environment.discover()).find(id))
            print(e.exercise.hint ?? language.strings.exerciseHasNoHint(e.exercise.id, e.chapter.path, e.exercise.starter.fenceLine))
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Overwrite your file with the starting code again.")
        @Argument(help: "The exercise id.") var id: String
        @OptionGroup var language: LanguageOption
        func run() throws {
            let workspace = language.workspace(try Environment.discover())
            let e = try language.locate(workspace.find(id))
            try workspace.start(e, overwrite: true)
            print(language.strings.resetToStart(workspace.relativePath(e)))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the chapter up to the exercise with your code, then its hidden check.")
        @Argument(help: "The exercise id.") var id: String
        @OptionGroup var language: LanguageOption
        @Flag(help: "Check again every time the file is saved (Ctrl-C to stop).") var watch = false
        @Flag(help: "Train every fine-tune for real, instead of replaying one recorded earlier with exactly the same inputs.") var fresh = false

        func run() throws {
            var workspace = language.workspace(try Environment.discover())
            workspace.fresh = fresh
            let check = ExerciseCheck(workspace: workspace, exercise: try language.locate(workspace.find(id)), style: .forStdout())
            if watch { throw ExitCode(try check.watch()) }
            switch try check.once() {
            case .passed: return
            case .notYet: throw ExitCode.failure
            case .interrupted(let status): throw ExitCode(status)   // 128 + the signal, as a shell reports it
            }
        }
    }

    /// `course exercise watch ID`, as a reader of the README types it: `check --watch`.
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an exercise again every time its file is saved (the same as `check --watch`; Ctrl-C to stop).")
        @Argument(help: "The exercise id.") var id: String
        @OptionGroup var language: LanguageOption

        func run() throws {
            let workspace = language.workspace(try Environment.discover())
            let check = ExerciseCheck(workspace: workspace, exercise: try language.locate(workspace.find(id)), style: .forStdout())
            throw ExitCode(try check.watch())
        }
    }
}
