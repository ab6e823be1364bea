import Foundation

// `course step`: the chapter a section at a time. The program runs once, paused before each
// step (steps share state, so nothing is re-run); the learner presses a key to run the next
// step and sees its output live, then ✓ or a diff against the documented output.

public final class Stepper {
    public enum Key { case run, quit, restart, hint, other }

    let chapter: Chapter
    let environment: Environment
    let style: Style
    let renderer: TerminalRenderer
    let write: (String) -> Void
    let readKey: () -> Key

    /// Markdown lines already shown (1-based, inclusive).
    private var shownUpTo = 0

    public init(chapter: Chapter, environment: Environment, style: Style, width: Int,
                write: @escaping (String) -> Void, readKey: @escaping () -> Key) {
        self.chapter = chapter
        self.environment = environment
        self.style = style
        self.renderer = TerminalRenderer(style: style, width: width)
        self.write = write
        self.readKey = readKey
    }

    /// Steps through the chapter; returns the result of the last (possibly restarted) run.
    @discardableResult
    public func run() throws -> ChapterResult {
        while true {
            shownUpTo = frontMatterEnd()
            var restart = false
            let runner = ChapterRunner(environment: environment)
            runner.beforeStep = { [unowned self] step in
                let decision = self.prompt(before: step)
                if decision == .restart { restart = true }
                return decision == .run
            }
            runner.onOutput = { [unowned self] step, bytes in
                if !self.isQuiet(step) { self.write(String(decoding: bytes, as: UTF8.self)) }
            }
            runner.onStep = { [unowned self] result in self.show(result) }
            let result = try runner.run(chapter)
            if restart {
                write(style.dim("\n— restarting \(chapter.path) —\n\n"))
                continue
            }
            if result.steps.allSatisfy({ if case .notRun = $0.outcome { return false }; return true }) {
                showProse(upTo: chapter.source.lines().count)
            }
            let notRun = result.steps.filter { if case .notRun = $0.outcome { return true }; return false }.count
            let failed = result.failed - notRun
            var summary = failed == 0 ? style.green("\(result.passed) passed") : style.red("\(result.passed) passed, \(failed) failed")
            summary += style.dim(", \(result.skipped) skipped")
            if notRun > 0 { summary += style.dim(", \(notRun) not run") }
            write("\n" + summary + "\n")
            return result
        }
    }

    /// Hidden steps and exercise checks run without asking and print nothing here.
    private func isQuiet(_ step: Step) -> Bool {
        if step.attributes.hidden { return true }
        if case .check = step.attributes.role { return true }
        return false
    }

    private enum Decision { case run, quit, restart }

    private func prompt(before step: Step) -> Decision {
        if isQuiet(step) { return .run }
        showProse(upTo: step.fenceLine - 1)
        var header = "── \(step.label) "
        if case .solution(let name) = step.attributes.role {
            header = "── ✏️  exercise \(name): the reference solution "
            write(renderer.render("✏️ **Your turn:** `course exercise start \(name)` puts the starting code above in "
                + "`Exercises/`; `course exercise check \(name)` checks it. Here the reference solution runs, so the "
                + "chapter can go on.") + "\n\n")
        }
        write(style.dim(header + String(repeating: "─", count: max(4, 60 - header.count))) + "\n")
        write(SwiftHighlighter.ansi(step.code.hasSuffix("\n") ? String(step.code.dropLast()) : step.code, style: style) + "\n")
        while true {
            write(style.dim("[enter] run  [h] hint  [r] restart  [q] quit ") )
            let key = readKey()
            write("\r\u{1B}[K")
            switch key {
            case .run:
                write(style.dim("── output ──") + "\n")
                return .run
            case .quit:
                write(style.dim("stopped before \(step.label); `course step \(chapter.path)` starts again\n"))
                return .quit
            case .restart: return .restart
            case .hint:
                write(hint(for: step).map { style.yellow("hint: ") + $0 } ?? style.dim("this step has no hint"))
                write("\n")
            case .other: continue
            }
        }
    }

    private func hint(for step: Step) -> String? {
        if case .solution(let name) = step.attributes.role {
            return chapter.exercises.first { $0.id == name }?.hint
        }
        return nil
    }

    private func show(_ r: StepResult) {
        if isQuiet(r.step) {
            if case .notRun = r.outcome { return }
            if r.outcome.isFailure { write(style.red("✗ \(r.step.label) failed\n")) }
            return
        }
        switch r.outcome {
        case .passed: write(style.green("✓ matches the documented output") + "\n\n")
        case .skipped(let why): write(style.yellow("- \(why)") + "\n\n")
        case .failed(let why): write(style.red("✗ ") + why + "\n\n")
        case .compileError(let d): write(style.red("✗ does not compile:\n") + OutputMatcher.normalizedLines(d).joined(separator: "\n") + "\n\n")
        case .crashed(let why): write(style.red("✗ crashed: ") + why + "\n\n")
        case .timedOut(let s): write(style.red("✗ timed out after \(Int(s)) s") + "\n\n")
        case .notRun: return
        }
        shownUpTo = max(shownUpTo, r.step.output?.closingLine ?? r.step.closingLine)
    }

    /// Renders the prose (and any code that does not run) between what was shown and `line`.
    private func showProse(upTo line: Int) {
        let lines = chapter.source.lines()
        guard line > shownUpTo, shownUpTo < lines.count else { return }
        // Hidden steps and exercise checks (and their output blocks) are not part of the reading.
        let hiddenLines = Set(chapter.steps.filter(isQuiet).flatMap { step -> [Int] in
            Array(step.fenceLine...step.closingLine) + (step.output.map { Array($0.fenceLine...$0.closingLine) } ?? [])
        })
        let text = (shownUpTo..<min(line, lines.count)).filter { !hiddenLines.contains($0 + 1) }
            .map { String(lines[$0]) }.joined(separator: "\n")
        let rendered = renderer.render(text)
        if !rendered.isEmpty { write(rendered + "\n\n") }
        shownUpTo = line
    }

    private func frontMatterEnd() -> Int {
        let lines = chapter.source.lines()
        guard lines.first?.trimmingTrailingWhitespace() == "---" else { return 0 }
        return (lines.dropFirst().firstIndex { $0.trimmingTrailingWhitespace() == "---" }).map { $0 + 1 } ?? 0
    }
}
