// `--bless`: accept the actual output. Only output blocks that do not match are rewritten (a
// block that matches, with its wildcards and tolerances, is left alone); a step that printed
// output but has none gets a new block after it. Every other byte of the file stays as it was.

public enum Blesser {
    public struct Change: Sendable, Equatable {
        public var step: Int
        public var line: Int
        public var inserted: Bool
    }

    /// The chapter text with the outputs of `results` accepted, and what changed.
    public static func bless(_ chapter: Chapter, results: [StepResult]) -> (text: String, changes: [Change]) {
        var lines = chapter.source.lines().map(String.init)
        var changes: [Change] = []
        // Bottom-up, so earlier line numbers stay valid while later lines change.
        for r in results.sorted(by: { $0.step.fenceLine > $1.step.fenceLine }) {
            guard let output = r.output, blessable(r) else { continue }
            let actual = OutputMatcher.normalizedLines(output)
            // New lines take the line ending of the fence they sit under (files may mix them).
            let fenceLine = lines[(r.step.output?.fenceLine ?? r.step.closingLine) - 1]
            let eol = fenceLine.hasSuffix("\r") ? "\r" : ""
            if let block = r.step.output {
                if block.options.unchecked { continue }
                if OutputMatcher.matches(expected: block.text, actual: output, options: block.options) { continue }
                let fenceIndent = indentOf(lines[block.fenceLine - 1])
                let new = actual.map { ($0.isEmpty ? "" : fenceIndent + $0) + eol }
                lines.replaceSubrange(block.fenceLine..<(block.closingLine - 1), with: new)
                changes.append(Change(step: r.step.number, line: block.fenceLine, inserted: false))
            } else if !actual.isEmpty {
                if case .check = r.step.attributes.role { continue }
                let indent = r.step.indent
                let fence = String(repeating: "`", count: max(3, longestBacktickRun(actual) + 1))
                let new = [eol, indent + fence + "output" + eol] + actual.map { ($0.isEmpty ? "" : indent + $0) + eol } + [indent + fence + eol]
                lines.insert(contentsOf: new, at: r.step.closingLine)
                changes.append(Change(step: r.step.number, line: r.step.closingLine + 2, inserted: true))
            }
        }
        return (lines.joined(separator: "\n"), changes.reversed())
    }

    /// Output mismatches are blessable; crashes, timeouts and failed checks are not.
    static func blessable(_ r: StepResult) -> Bool {
        switch r.outcome {
        case .passed, .failed: break
        default: return false
        }
        if r.step.attributes.expectError, case .failed(let why) = r.outcome, why.hasPrefix("expected an error") { return false }
        if case .check = r.step.attributes.role, r.step.output == nil { return false }
        return true
    }

    static func indentOf(_ line: String) -> String {
        String(line.prefix { $0 == " " || $0 == "\t" })
    }

    static func longestBacktickRun(_ lines: [String]) -> Int {
        var best = 0
        for line in lines {
            var run = 0
            for c in line { run = c == "`" ? run + 1 : 0; best = max(best, run) }
        }
        return best
    }
}
