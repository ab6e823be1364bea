// Console report of a run: one line per step as it finishes (✓, ✗ with a diff, crash, timeout,
// not run, skipped), per-step timings, and a closing line per chapter.

public struct Reporter {
    public var style: Style
    /// Where lines go (stdout by default; tests capture them).
    public var write: (String) -> Void
    /// The report's words, in the learner's language.
    public var strings: TerminalStrings = .english

    public init(style: Style, write: @escaping (String) -> Void = { print($0) }) {
        self.style = style
        self.write = write
    }

    public func chapterStarted(_ chapter: Chapter) {
        write(style.bold(chapter.path) + style.dim("  \(chapter.title)"))
    }

    public func step(_ r: StepResult, chapter: Chapter) {
        let time = style.dim(String(format: "%7.2fs", r.seconds))
        let label = strings.stepLabel(r.step)
        let location = "\(chapter.path):\(r.step.fenceLine)"
        switch r.outcome {
        case .passed:
            write("  \(style.green("✓")) \(pad(label)) \(time)")
        case .skipped(let why):
            write("  \(style.yellow("-")) \(pad(label)) \(style.dim(strings.reportSkipped(strings.skipReason(why))))")
        case .failed(let why):
            write("  \(style.red("✗")) \(pad(label)) \(time)  \(location)")
            write(indent(colorDiff(strings.framed(failure: why, place: "\(chapter.path):\(r.step.output?.fenceLine ?? r.step.fenceLine)"))))
        case .compileError(let diagnostics):
            write("  \(style.red("✗")) \(pad(label)) \(strings.reportDoesNotCompile)  \(location)")
            write(indent(OutputMatcher.normalizedLines(diagnostics).joined(separator: "\n")))
        case .crashed(let why):
            write("  \(style.red("✗")) \(pad(label)) \(time)  \(strings.reportCrashed)  \(location)")
            write(indent(why))
            if let output = r.output, !output.isEmpty {
                write(indent(strings.outputBeforeCrash + "\n" + StepChecker.indentLines(String(output.suffix(2000)))))
            }
        case .timedOut(let seconds, let limit):
            write("  \(style.red("✗")) \(pad(label)) \(String(format: "%7.2fs", seconds))  \(strings.reportTimedOut)  \(location)")
            write(indent(strings.killed + limit))
        case .notRun(let why):
            write("  \(style.dim("·")) \(pad(label)) \(style.dim(strings.reportNotRun(strings.notRunReason(why))))")
        }
    }

    public func chapterFinished(_ result: ChapterResult) {
        let compiled = result.compileCached ? nil : String(format: "%.2fs", result.compileSeconds)
        let counts = strings.runCounts(result.passed, result.failed, result.skipped)
        write("  " + style.dim(strings.compiledAndRan(compiled, String(format: "%.2fs", result.runSeconds))) + (result.ok ? counts : style.red(counts)))
        if !result.ok {
            write("  " + strings.rerun(result.chapter.path))
        }
    }

    public func chapterError(_ error: Error, path: String) {
        write(style.bold(path))
        write(indent(style.red(String(describing: error))))
    }

    /// Pads to 28 columns (a Chinese or Japanese character takes two).
    private func pad(_ s: String) -> String {
        let columns = s.count + s.unicodeScalars.filter(TerminalText.isWide).count
        return columns >= 28 ? s : s + String(repeating: " ", count: 28 - columns)
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    }

    private func colorDiff(_ text: String) -> String {
        guard style.enabled else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("+++") || line.hasPrefix("---") { return style.bold(String(line)) }
            if line.hasPrefix("+") { return style.green(String(line)) }
            if line.hasPrefix("-") { return style.red(String(line)) }
            if line.hasPrefix("@@") { return style.cyan(String(line)) }
            return String(line)
        }.joined(separator: "\n")
    }
}
