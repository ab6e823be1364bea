// Deciding whether a step that ran passed: its output against its ```output block, an
// exercise check's PASS/FAIL lines, an expect-error step's error.

enum StepChecker {
    static func evaluate(_ step: Step, output: String, threw: Bool?, chapterPath: String) -> StepOutcome {
        let where_ = "\(chapterPath):\(step.output?.fenceLine ?? step.fenceLine)"
        if step.attributes.expectError, threw == false {
            let printed = OutputMatcher.normalizedLines(output).isEmpty ? "; it printed nothing"
                : "; it printed:\n" + indentLines(OutputMatcher.normalizedLines(String(output.prefix(4000))).joined(separator: "\n"))
            return .failed("expected an error (expect-error), but the step compiled and ran without throwing" + printed)
        }
        if case .check(let name) = step.attributes.role {
            let lines = OutputMatcher.normalizedLines(output)
            let failures = lines.filter { $0.hasPrefix("FAIL") }
            if !failures.isEmpty {
                return .failed("the check of exercise '\(name)' failed:\n" + failures.joined(separator: "\n"))
            }
            if !lines.contains(where: { $0.hasPrefix("PASS") }) {
                return .failed("the check of exercise '\(name)' printed no PASS line")
            }
        }
        guard let block = step.output else {
            if case .check = step.attributes.role { return .passed }
            if OutputMatcher.normalizedLines(output).isEmpty { return .passed }
            return .failed("the step printed output but has no ```output block after it (add one, or run with --bless):\n"
                + indentLines(String(output.prefix(4000))))
        }
        if block.options.unchecked { return .skipped(.outputUnchecked) }
        if OutputMatcher.matches(expected: block.text, actual: output, options: block.options) { return .passed }
        return .failed("output differs from the documented output at \(where_):\n"
            + OutputMatcher.diff(expected: block.text, actual: output, options: block.options))
    }

    static func indentLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
