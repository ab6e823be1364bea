// Console report of a run: one line per step as it finishes (✓, ✗ with a diff, crash, timeout,
// not run, skipped), per-step timings, and a closing line per chapter.

public struct Reporter {
    public var style: Style
    /// Where lines go (stdout by default; tests capture them).
    public var write: (String) -> Void

    public init(style: Style, write: @escaping (String) -> Void = { print($0) }) {
        self.style = style
        self.write = write
    }

    public func chapterStarted(_ chapter: Chapter) {
        write(style.bold(chapter.path) + style.dim("  \(chapter.title)"))
    }

    public func step(_ r: StepResult, chapter: Chapter) {
        let time = style.dim(String(format: "%7.2fs", r.seconds))
        let label = r.step.label
        let location = "\(chapter.path):\(r.step.fenceLine)"
        switch r.outcome {
        case .passed:
            write("  \(style.green("✓")) \(pad(label)) \(time)")
        case .skipped(let why):
            write("  \(style.yellow("-")) \(pad(label)) \(style.dim("skipped: \(why)"))")
        case .failed(let why):
            write("  \(style.red("✗")) \(pad(label)) \(time)  \(location)")
            write(indent(colorDiff(why)))
        case .compileError(let diagnostics):
            write("  \(style.red("✗")) \(pad(label)) does not compile  \(location)")
            write(indent(OutputMatcher.normalizedLines(diagnostics).joined(separator: "\n")))
        case .crashed(let why):
            write("  \(style.red("✗")) \(pad(label)) \(time)  crashed  \(location)")
            write(indent(why))
            if let output = r.output, !output.isEmpty {
                write(indent("its output before the crash:\n" + StepChecker.indentLines(String(output.suffix(2000)))))
            }
        case .timedOut(let seconds, let limit):
            write("  \(style.red("✗")) \(pad(label)) \(String(format: "%7.2fs", seconds))  timed out  \(location)")
            write(indent("killed: " + limit))
        case .notRun(let why):
            write("  \(style.dim("·")) \(pad(label)) \(style.dim("not run: \(why)"))")
        }
    }

    public func chapterFinished(_ result: ChapterResult) {
        let compile = result.compileCached ? "compile cached" : String(format: "compiled in %.2fs", result.compileSeconds)
        let counts = "\(result.passed) passed, \(result.failed) failed, \(result.skipped) skipped"
        write("  " + style.dim("\(compile), ran in \(String(format: "%.2fs", result.runSeconds)); ") + (result.ok ? counts : style.red(counts)))
        if !result.ok {
            write("  re-run: course run \(result.chapter.path)")
        }
    }

    public func chapterError(_ error: Error, path: String) {
        write(style.bold(path))
        write(indent(style.red(String(describing: error))))
    }

    private func pad(_ s: String) -> String { s.count >= 28 ? s : s + String(repeating: " ", count: 28 - s.count) }

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
