import Foundation

// `course step`: the chapter a section at a time. The program runs once, paused before each
// step (steps share state, so nothing is re-run); the learner presses a key to run the next
// step and sees its output live, then ✓ (with the documented output when it is written
// differently, e.g. rounded) or a diff against it. An exercise shows its starting code; its hint
// and the reference solution (which runs so the chapter can go on) come only on request.
// When what follows would push the last output off the screen, the stepper waits first.
// A learner coming back starts at a later step (`--from`, or where they last stopped) or jumps
// ahead with j: the steps before the target run without pausing (the state they build is
// needed), their outputs checked as usual and shown as one line each.

public final class Stepper {
    public enum Key { case run, quit, restart, hint, solution, jump, other }

    let chapter: Chapter
    let environment: Environment
    let style: Style
    let write: (String) -> Void
    let readKey: () -> Key
    /// Columns and rows of the terminal, read before each section (so a resize re-wraps).
    let columns: () -> Int
    let rows: (() -> Int)?
    /// Reads a step number or id after j, given the prompt (nil: the learner cancelled); without
    /// it, j does nothing.
    public var readTarget: ((String) -> String?)?

    /// The step to run up to without pausing (its number), while jumping there.
    public var target: Int?
    /// Train every fine-tune for real (`course step --fresh`); by default one whose inputs
    /// equal an earlier run's is replayed (see `TrainingReplayStore`).
    public var fresh = false
    /// The step the learner quit before, if they quit.
    public private(set) var stoppedBefore: Step?
    /// The words around the chapter (prompts, key help, results), in the learner's language.
    public var strings: TerminalStrings = .english
    /// Appended to the exercise commands suggested (" --lang zh" while reading a translation).
    public var exerciseFlags = ""

    /// Markdown lines already shown (1-based, inclusive).
    private var shownUpTo = 0
    /// Lines written since the learner last pressed a key.
    private var linesSinceKey = 0
    /// Whether the current step has printed anything yet (its output header comes with it).
    private var outputStarted = false

    /// `width` is fixed, or `columns` reads it each time; `rows` (the terminal's height) turns
    /// on waiting before a section that would scroll the last output away.
    public init(chapter: Chapter, environment: Environment, style: Style, width: Int = 88,
                columns: (() -> Int)? = nil, rows: (() -> Int)? = nil, from: Int? = nil,
                readTarget: ((String) -> String?)? = nil,
                write: @escaping (String) -> Void, readKey: @escaping () -> Key) {
        self.chapter = chapter
        self.environment = environment
        self.style = style
        self.columns = columns ?? { width }
        self.rows = rows
        self.write = write
        self.readKey = readKey
        self.readTarget = readTarget
        self.target = from
    }

    private var renderer: TerminalRenderer {
        var renderer = TerminalRenderer(style: style, width: min(columns(), 100))
        let (word, colon) = (strings.image, strings.colon)
        renderer.image = { "[\(word)\(colon)\($0)]" }
        return renderer
    }

    private func emit(_ text: String) {
        linesSinceKey += text.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        write(text)
    }

    private func key() -> Key {
        let k = readKey()
        linesSinceKey = 0
        return k
    }

    /// The steps the learner sees, in order (hidden steps and exercise checks run silently).
    private lazy var shown: [Step] = chapter.steps.filter { $0.runs && !isQuiet($0) }

    /// Steps through the chapter; returns the result of the last (possibly restarted) run.
    @discardableResult
    public func run() throws -> ChapterResult {
        while true {
            shownUpTo = frontMatterEnd()
            stoppedBefore = nil
            announceJump()
            var restart = false
            let runner = ChapterRunner(environment: environment)
            runner.beforeStep = { [unowned self] step in
                let decision = self.prompt(before: step)
                if decision == .restart { restart = true }
                return decision == .run
            }
            runner.onOutput = { [unowned self] step, bytes in
                guard !self.isQuiet(step), !self.passingThrough(step) else { return }
                if !self.outputStarted {
                    self.outputStarted = true
                    self.emit(self.style.dim(self.strings.outputHeader) + "\n")
                }
                self.emit(String(decoding: bytes, as: UTF8.self))
            }
            // Warnings and progress bars on stderr are shown dimmed, apart from the output.
            runner.onStderr = { [unowned self] bytes in self.emit(self.style.dim(String(decoding: bytes, as: UTF8.self))) }
            runner.onStep = { [unowned self] result in self.show(result) }
            var options = RunOptions()
            options.replay = !fresh
            let result = try runner.run(chapter, options: options)
            if restart {
                emit(style.dim("\n" + strings.restarting(chapter.path) + "\n\n"))
                continue
            }
            if !result.stopped, !result.steps.contains(where: { if case .notRun = $0.outcome { return true }; return false }) {
                let closing = prose(upTo: chapter.source.lines().count)
                _ = pauseBefore(closing)
                showProse(upTo: chapter.source.lines().count)
            }
            let notRun = result.notRun
            let failed = result.failed - notRun
            var summary = failed == 0 ? style.green(strings.passedCount(result.passed))
                : style.red(strings.passedFailedCount(result.passed, failed))
            summary += style.dim(strings.countSeparator + strings.skippedCount(result.skipped))
            if notRun > 0 { summary += style.dim(strings.countSeparator + strings.notRunCount(notRun)) }
            emit("\n" + summary + "\n")
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

    /// `── 3/8 "loss" ───…`: steps are counted among those the learner sees.
    private func header(for step: Step) -> String {
        var title = "\(position(of: step))/\(shown.count)"
        if case .solution(let name) = step.attributes.role { title += " ✏️  " + strings.exerciseHeader(name) }
        else if let id = step.attributes.id { title += " \"\(id)\"" }
        if step.attributes.expectError { title += " (expect-error)" }
        let text = "── \(title) "
        // Chinese and Japanese characters take two columns each (measured so, ASCII headers keep their length).
        let columns = text.count + text.unicodeScalars.filter(TerminalText.isWide).count
        return style.dim(text + String(repeating: "─", count: max(4, min(self.columns(), 64) - columns)))
    }

    /// If `section` would scroll what the learner has not yet read off the screen, waits for a key.
    private func pauseBefore(_ section: String) -> Key {
        guard let rows, linesSinceKey > 0 else { return .run }
        let lines = section.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) } + 2
        guard linesSinceKey + lines > rows() - 1 else { return .run }
        write(style.dim(strings.readOnKeys))
        let k = key()
        write("\r\u{1B}[K")
        return k
    }

    /// Whether `step` runs without pausing, on the way to the target.
    private func passingThrough(_ step: Step) -> Bool { target.map { step.number < $0 } ?? false }

    private func prompt(before step: Step) -> Decision {
        if isQuiet(step) { return .run }
        if passingThrough(step) { return .run }
        if let t = target, step.number >= t { target = nil }
        outputStarted = false
        let isSolution: String? = { if case .solution(let name) = step.attributes.role { return name }; return nil }()
        let before = prose(upTo: step.fenceLine - 1)
        var section = header(for: step) + "\n"
        if let name = isSolution {
            section += renderer.render(strings.yourTurn(name, exerciseFlags)) + "\n"
        } else {
            section += SwiftHighlighter.ansi(step.code.hasSuffix("\n") ? String(step.code.dropLast()) : step.code, style: style) + "\n"
        }
        if pauseBefore(before + section) == .quit { return stop(before: step) }
        showProse(upTo: step.fenceLine - 1)
        emit(section)
        let keys = isSolution == nil ? strings.runKeys(readTarget != nil) : strings.solutionKeys(readTarget != nil)
        while true {
            write(style.dim(keys))
            let k = key()
            write("\r\u{1B}[K")
            switch k {
            case .run: return .run
            case .quit: return stop(before: step)
            case .restart: return .restart
            case .jump:
                guard let readTarget else { continue }
                let answer = readTarget(strings.jumpPrompt)
                write("\r\u{1B}[K")
                guard let answer else { continue }
                switch jumpTarget(answer, from: step) {
                case .failure(let why): emit(style.yellow(why.message) + "\n")
                case .success(let number):
                    if number == step.number { continue }
                    target = number
                    // Earlier steps have run: going back means running the chapter again up to it.
                    if number < step.number { return .restart }
                    announceJump()
                    return .run
                }
            case .hint:
                guard let name = isSolution else { continue }
                let hint = chapter.exercises.first { $0.id == name }?.hint
                emit((hint.map { renderer.wrap(style.yellow(strings.hintLabel) + $0.split(whereSeparator: \.isWhitespace).joined(separator: " ")) }
                      ?? style.dim(strings.noHint)) + "\n")
            case .solution:
                guard isSolution != nil else { continue }
                emit(style.dim(strings.referenceSolution) + "\n")
                emit(SwiftHighlighter.ansi(step.code.hasSuffix("\n") ? String(step.code.dropLast()) : step.code, style: style) + "\n")
            case .other: continue
            }
        }
    }

    /// The step `answer` names (its number among the steps shown, as the headers count, or its
    /// id, bare or as `id=NAME`), or why it names none. Empty: stay at `current`.
    private func jumpTarget(_ answer: String, from current: Step) -> Result<Int, StepperJumpError> {
        let answer = answer.trimmingCharacters(in: .whitespaces)
        return answer.isEmpty ? .success(current.number) : stepNumber(answer)
    }

    /// The step `value` names for `--from`: as the stepper's headers count it, or by id.
    public func stepNumber(named value: String) throws -> Int {
        switch stepNumber(value) {
        case .success(let n): return n
        case .failure(let why): throw CourseError("\(chapter.path): \(why.message)")
        }
    }

    private func stepNumber(_ answer: String) -> Result<Int, StepperJumpError> {
        if let n = Int(answer) {
            guard (1...shown.count).contains(n) else { return .failure(StepperJumpError(strings.noSuchStep(n, shown.count))) }
            return .success(shown[n - 1].number)
        }
        let id = answer.hasPrefix("id=") ? String(answer.dropFirst(3)) : answer
        guard let step = shown.first(where: { $0.attributes.id == id }) else {
            return .failure(StepperJumpError(strings.noSuchID(id, shown.compactMap(\.attributes.id).joined(separator: ", "))))
        }
        return .success(step.number)
    }

    /// Says where the stepper is going and that the steps on the way are checked.
    private func announceJump() {
        guard let t = target, let step = shown.first(where: { $0.number >= t }) else { return }
        emit(style.dim(strings.runningToward(position(of: step), shown.count)) + "\n")
    }

    /// How many steps the learner sees (the total of the headers' n/total).
    public var shownCount: Int { shown.count }

    /// `step`'s position among the steps shown (the n of the headers' n/total).
    public func position(of step: Step) -> Int { (shown.firstIndex { $0.number == step.number } ?? 0) + 1 }

    private func stop(before step: Step) -> Decision {
        stoppedBefore = step
        emit(style.dim(strings.stoppedBefore(strings.stepLabel(step), chapter.path) + "\n"))
        return .quit
    }

    private func show(_ r: StepResult) {
        if passingThrough(r.step), !isQuiet(r.step), r.outcome == .passed {
            // On the way to the target: one line per step, the output checked but not shown.
            emit(style.green("✓ ") + style.dim(strings.ranWithoutPausing(position(of: r.step), shown.count, r.step.attributes.id.map { "\"\($0)\"" } ?? "")) + "\n")
            shownUpTo = max(shownUpTo, r.step.output?.closingLine ?? r.step.closingLine)
            return
        }
        if isQuiet(r.step) {
            if case .notRun = r.outcome { return }
            if r.outcome.isFailure { emit(style.red(strings.quietStepFailed(strings.stepLabel(r.step)) + "\n")) }
            return
        }
        switch r.outcome {
        case .passed:
            if let block = r.step.output {
                emit(style.green(strings.matchesDocumented) + "\n")
                // Shown when it is written differently (rounded numbers, wildcards, another order),
                // so prose that compares the two has both on the screen.
                let documented = OutputMatcher.normalizedLines(block.text)
                if documented != OutputMatcher.normalizedLines(r.output ?? "") {
                    emit(style.dim(strings.documentedOutputHeader) + "\n" + documented.joined(separator: "\n") + "\n")
                }
                emit("\n")
            } else {
                emit(style.green(strings.done) + style.dim(strings.printsNothing) + "\n\n")
            }
        case .skipped(let why): emit(style.yellow("- " + strings.skipReason(why)) + "\n\n")
        case .failed(let why): emit(style.red("✗ ") + framed(why, r.step) + "\n\n")
        case .compileError(let d): emit(style.red(strings.doesNotCompile) + OutputMatcher.normalizedLines(d).joined(separator: "\n") + "\n\n")
        case .crashed(let why): emit(style.red(strings.crashed) + why + "\n\n")
        case .timedOut(let s, let limit): emit(style.red(strings.timedOut(Int(s))) + strings.colon + limit + "\n\n")
        case .notRun: return
        }
        shownUpTo = max(shownUpTo, r.step.output?.closingLine ?? r.step.closingLine)
    }

    /// A failed step's report, its first line in the learner's language.
    private func framed(_ why: String, _ step: Step) -> String {
        strings.framed(failure: why, place: "\(chapter.path):\(step.output?.fenceLine ?? step.fenceLine)")
    }

    /// The prose (and any code that does not run) between what was shown and `line`, rendered.
    private func prose(upTo line: Int) -> String {
        let lines = chapter.source.lines()
        guard line > shownUpTo, shownUpTo < lines.count else { return "" }
        // Hidden steps, exercise checks (with their output blocks), solutions and the exercises'
        // hints are not part of the reading: the learner asks for a hint or a solution.
        var hiddenLines = Set<Int>()
        for step in chapter.steps {
            var quiet = isQuiet(step)
            if case .solution = step.attributes.role { quiet = true }
            if quiet {
                hiddenLines.formUnion(step.fenceLine...step.closingLine)
                if let output = step.output, isQuiet(step) { hiddenLines.formUnion(output.fenceLine...output.closingLine) }
            }
            if let hint = step.hintLines { hiddenLines.formUnion(hint) }
        }
        let text = (shownUpTo..<min(line, lines.count)).filter { !hiddenLines.contains($0 + 1) }
            .map { String(lines[$0]) }.joined(separator: "\n")
        let rendered = renderer.render(text)
        return rendered.isEmpty ? "" : rendered + "\n\n"
    }

    private func showProse(upTo line: Int) {
        emit(prose(upTo: line))
        shownUpTo = max(shownUpTo, line)
    }

    private func frontMatterEnd() -> Int {
        let lines = chapter.source.lines()
        guard lines.first?.trimmingTrailingWhitespace() == "---" else { return 0 }
        return (lines.dropFirst().firstIndex { $0.trimmingTrailingWhitespace() == "---" }).map { $0 + 1 } ?? 0
    }
}

/// Why a jump target names no step (shown to the learner, who can type another).
struct StepperJumpError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
