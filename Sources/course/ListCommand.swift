import ArgumentParser
import CourseKit

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the chapters with their titles and last result.")

    @OptionGroup var language: InterfaceLanguageOption

    func run() throws {
        let environment = try Environment.discover()
        let style = Style.forStdout()
        let strings = language.strings()
        let state = CourseState.load(environment)
        let translations = Translations.bySource(in: "Chapters")
        for path in try ChapterLoader.discover(in: "Chapters") {
            let title: String
            do { title = try ChapterLoader.load(path).title } catch { title = style.red(strings.doesNotParse(path)) }
            let last: String
            if let run = state.chapters[path] {
                let counts = strings.runCounts(run.passed, run.failed, run.skipped)
                last = (run.failed == 0 ? style.green("✓ ") : style.red("✗ ")) + counts + style.dim("  (\(run.date))")
            } else {
                last = style.dim(strings.notRunYet)
            }
            print("\(path)\n    \(title)\n    \(last)")
            if let run = state.partial?[path] {
                let counts = strings.partialRun(run.passed, run.failed, run.notRun ?? 0)
                print("    " + (run.failed == 0 ? style.dim("· " + counts) : style.red("✗ " + counts)) + style.dim("  (\(run.date))"))
            }
            for translation in translations[path] ?? [] {
                print("    ↳ \(translation.language.name) (\(translation.language.tag)): \(translation.chapter.path)  \(style.dim(translation.chapter.title))")
            }
            if let chapter = try? ChapterLoader.load(path) {
                for exercise in chapter.exercises {
                    let status = state.exercises?["\(chapter.id)/\(exercise.id)"]?.status ?? "not started"
                    let mark = status == "passed" ? style.green("✓") : status == "failed" ? style.red("✗") : "·"
                    print("    \(mark) ✏️  \(exercise.id)\(strings.colon)\(strings.exerciseStatus(status))")
                }
            }
        }
    }
}
