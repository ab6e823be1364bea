// A translation is checked against its source without running it: the same steps in the same
// order, with the same code once comments are set aside (comments are translated), the same
// attributes, the same output blocks with the same options, the same exercises (hints are
// translated, but must be there), and the same figures. The source's own run checks the outputs,
// so a current translation shows only code and outputs that `course check` has verified.

/// What the comparison of one translation with its source found.
public struct TranslationReport: Sendable {
    public var translation: Translation
    /// Steps that match their source step.
    public var matched: Int
    /// One entry per difference, each naming both files and lines, with a diff where it helps.
    public var problems: [String]
    public var ok: Bool { problems.isEmpty }
}

public enum TranslationChecker {
    public static func check(_ translation: Translation) -> TranslationReport {
        let t = translation.chapter, s = translation.source
        var problems: [String] = []
        var matched = 0
        for (ts, ss) in zip(t.steps, s.steps) {
            let tLines = signature(ts), sLines = signature(ss)
            if tLines == sLines {
                matched += 1
            } else {
                let diff = UnifiedDiff.make(expected: sLines, actual: tLines, context: 2) { sLines[$0] == tLines[$1] }
                    .split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2)
                problems.append("\(t.path):\(ts.fenceLine): stale translation: \(ts.label) differs from \(s.path):\(ss.fenceLine)\n"
                    + "--- \(s.path):\(ss.fenceLine) (source)\n+++ \(t.path):\(ts.fenceLine) (translation)\n"
                    + diff.joined(separator: "\n"))
            }
            if case .exercise(let name) = ss.attributes.role, ss.hint != nil, ts.hint == nil {
                problems.append("\(t.path):\(ts.fenceLine): exercise \(name) has a hint in \(s.path):\(ss.fenceLine) but none here: translate it "
                    + "(a blockquote right under the block, or hint=\"...\")")
            }
        }
        for ss in s.steps.dropFirst(t.steps.count) {
            problems.append("\(t.path): stale translation: \(ss.label) of \(s.path):\(ss.fenceLine) is missing "
                + "(the translation has \(t.steps.count) steps, its source \(s.steps.count))")
        }
        for ts in t.steps.dropFirst(s.steps.count) {
            problems.append("\(t.path):\(ts.fenceLine): stale translation: \(ts.label) is not in \(s.path) "
                + "(the translation has \(t.steps.count) steps, its source \(s.steps.count))")
        }
        let tFigures = Figures.references(in: t), sFigures = Figures.references(in: s)
        if tFigures.map(\.path) != sFigures.map(\.path) {
            let line = tFigures.first?.line ?? 1
            problems.append("\(t.path):\(line): stale translation: it shows the figures [\(tFigures.map(\.path).joined(separator: ", "))], "
                + "its source \(s.path) [\(sFigures.map(\.path).joined(separator: ", "))]: use the source's paths, in its order")
        }
        return TranslationReport(translation: translation, matched: matched, problems: problems)
    }

    /// What must be equal between a step and its translation, as lines: the attributes (hint
    /// aside), the code without comments, and the output block with its options.
    static func signature(_ step: Step) -> [String] {
        var lines = ["```swift" + attributeText(step.attributes)]
        lines += codeWithoutComments(step.code)
        lines.append("```")
        if let output = step.output {
            lines.append("```output" + optionText(output.options))
            lines += output.text.trimmingTrailingNewlines().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.append("```")
        }
        return lines
    }

    /// The code's lines with `//` and `/* */` comments removed (strings are left alone, so
    /// `"http://..."` stays), trailing whitespace trimmed, and lines that held only a comment
    /// dropped: a translated comment may take more or fewer lines than the original.
    static func codeWithoutComments(_ code: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var hadComment = false
        func endLine() {
            let trimmed = current.trimmingTrailingWhitespace()
            if !(hadComment && trimmed.trimmingCharacters().isEmpty) { lines.append(trimmed) }
            current = ""
            hadComment = false
        }
        for token in SwiftHighlighter.tokens(code.trimmingTrailingNewlines()) {
            if case .comment(let text) = token {
                hadComment = true
                // A block comment spanning lines still ends those lines.
                for _ in text.filter({ $0 == "\n" }) { endLine(); hadComment = true }
                continue
            }
            let parts = token.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, part) in parts.enumerated() {
                if i > 0 { endLine() }
                current += part
            }
        }
        endLine()
        return lines
    }

    static func attributeText(_ a: StepAttributes) -> String {
        var words: [String] = []
        if let id = a.id { words.append("id=\(id)") }
        switch a.role {
        case .normal: break
        case .exercise(let n): words.append("exercise=\(n)")
        case .solution(let n): words.append("solution=\(n)")
        case .check(let n): words.append("check=\(n)")
        }
        if a.hidden { words.append("hidden") }
        if a.noRun { words.append("no-run") }
        if a.expectError { words.append("expect-error") }
        if let t = a.timeout { words.append("timeout=\(HTML.number(t))") }
        return words.map { " " + $0 }.joined()
    }

    static func optionText(_ o: OutputOptions) -> String {
        var words: [String] = []
        switch o.approx {
        case .absolute(let tol)?: words.append("approx=\(HTML.number(tol))")
        case .relative(let f)?: words.append("approx=\(HTML.number(f * 100))%")
        case nil: break
        }
        if o.unordered { words.append("unordered") }
        if o.unchecked { words.append("unchecked") }
        return words.map { " " + $0 }.joined()
    }
}
