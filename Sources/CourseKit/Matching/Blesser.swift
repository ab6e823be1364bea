// `--bless`: accept the actual output, keeping what the author wrote on purpose. An output block
// that matches is left alone; in one that does not, every line that still matches (a `...`
// gap, a `[..]` wildcard, a number within its `approx=` tolerance) is kept byte for byte and
// only the failing lines are rewritten, added or removed (a rewritten line keeps its numbers
// that are still within tolerance). A step that printed output but has none gets a new block
// after it. Every other byte of the file stays as it was.

public enum Blesser {
    /// One line of an output block that bless changed.
    public enum LineEdit: Sendable, Equatable {
        case rewrote(line: Int, old: String, new: String)
        case added(line: Int, new: String)
        case removed(line: Int, old: String)

        /// The Markdown line it concerns (in the file before blessing).
        public var line: Int {
            switch self {
            case .rewrote(let line, _, _), .added(let line, _), .removed(let line, _): return line
            }
        }

        public var description: String {
            switch self {
            case .rewrote(_, let old, let new): return "rewrote `\(old)` as `\(new)`"
            case .added(_, let new): return "added `\(new)`"
            case .removed(_, let old): return "removed `\(old)`"
            }
        }
    }

    public struct Change: Sendable, Equatable {
        public var step: Int
        public var line: Int
        public var inserted: Bool
        /// The lines changed inside an existing block (empty for an inserted block).
        public var edits: [LineEdit] = []

        public init(step: Int, line: Int, inserted: Bool, edits: [LineEdit] = []) {
            self.step = step
            self.line = line
            self.inserted = inserted
            self.edits = edits
        }
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
                // The block's content lines as written (0-based indices into `lines`).
                let raw = Array(lines[block.fenceLine..<(block.closingLine - 1)])
                let expected = OutputMatcher.normalizedLines(block.text)
                let plan = reconcile(expected: expected, actual: actual, options: block.options)
                var new: [String] = []
                var edits: [LineEdit] = []
                for item in plan {
                    switch item {
                    case .keep(let i): new.append(raw[i])
                    case .rewrite(let i, let text):
                        new.append((text.isEmpty ? "" : fenceIndent + text) + eol)
                        edits.append(.rewrote(line: block.fenceLine + 1 + i, old: expected[i], new: text))
                    case .add(let before, let text):
                        new.append((text.isEmpty ? "" : fenceIndent + text) + eol)
                        edits.append(.added(line: block.fenceLine + 1 + before, new: text))
                    case .remove(let i):
                        edits.append(.removed(line: block.fenceLine + 1 + i, old: expected[i]))
                    }
                }
                // Lines after the last documented one (trailing blank lines) stay as they were.
                if expected.count < raw.count { new += raw[expected.count...] }
                lines.replaceSubrange(block.fenceLine..<(block.closingLine - 1), with: new)
                changes.append(Change(step: r.step.number, line: block.fenceLine, inserted: false, edits: edits))
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

    /// What to do with each documented line, in the order of the new block.
    enum PlanItem: Equatable {
        /// Keep documented line i as written.
        case keep(Int)
        /// Replace documented line i with this text.
        case rewrite(Int, String)
        /// Add this text before documented line `before` (or at the end).
        case add(before: Int, String)
        /// Drop documented line i.
        case remove(Int)
    }

    /// The fewest line edits that turn `expected` into a block matching `actual`: an alignment
    /// in which a documented line that matches its actual line costs nothing (a `...` line
    /// absorbs any run of actual lines for free), and rewriting, adding or removing a line costs one.
    static func reconcile(expected: [String], actual: [String], options: OutputOptions) -> [PlanItem] {
        let patterns = expected.map { LinePattern($0, tolerance: options.approx) }
        if options.unordered { return reconcileUnordered(expected, patterns, actual, options) }
        let n = patterns.count, m = actual.count
        // cost[i][j]: edits to make patterns[i...] match actual[j...].
        var cost = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for j in 0...m { cost[n][j] = m - j }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m, through: 0, by: -1) {
                if patterns[i].isGap {
                    cost[i][j] = j < m ? min(cost[i + 1][j], cost[i][j + 1]) : cost[i + 1][j]
                    continue
                }
                var best = 1 + cost[i + 1][j]                      // remove the documented line
                if j < m {
                    best = min(best, 1 + cost[i][j + 1])            // add the actual line
                    best = min(best, 1 + cost[i + 1][j + 1])        // rewrite
                    if patterns[i].matches(actual[j]) { best = min(best, cost[i + 1][j + 1]) }
                }
                cost[i][j] = best
            }
        }
        var plan: [PlanItem] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i == n { plan.append(.add(before: n, actual[j])); j += 1; continue }
            if patterns[i].isGap {
                // End the gap where that is as good as absorbing one more line.
                if cost[i][j] == cost[i + 1][j] { plan.append(.keep(i)); i += 1 } else { j += 1 }
                continue
            }
            if j < m, patterns[i].matches(actual[j]), cost[i][j] == cost[i + 1][j + 1] {
                plan.append(.keep(i)); i += 1; j += 1
            } else if j < m, cost[i][j] == 1 + cost[i + 1][j + 1] {
                plan.append(.rewrite(i, merged(patterns[i], actual[j]))); i += 1; j += 1
            } else if cost[i][j] == 1 + cost[i + 1][j] {
                plan.append(.remove(i)); i += 1
            } else {
                plan.append(.add(before: i, actual[j])); j += 1
            }
        }
        return plan
    }

    /// Unordered blocks: documented lines that match some actual line stay; the others are
    /// rewritten with the actual lines left over, in order; then lines are added or removed.
    private static func reconcileUnordered(_ expected: [String], _ patterns: [LinePattern], _ actual: [String],
                                           _ options: OutputOptions) -> [PlanItem] {
        var remaining = Array(actual.indices)
        var matched = Set<Int>()
        for i in patterns.indices.filter({ !patterns[$0].isGap }).sorted(by: { patterns[$0].specificity > patterns[$1].specificity }) {
            if let k = remaining.firstIndex(where: { patterns[i].matches(actual[$0]) }) {
                remaining.remove(at: k)
                matched.insert(i)
            }
        }
        let allowExtra = patterns.contains { $0.isGap }
        var leftover = remaining.map { actual[$0] }[...]
        var plan: [PlanItem] = []
        for i in patterns.indices {
            if patterns[i].isGap || matched.contains(i) { plan.append(.keep(i)); continue }
            if let text = leftover.popFirst() { plan.append(.rewrite(i, merged(patterns[i], text))) } else { plan.append(.remove(i)) }
        }
        if !allowExtra { plan += leftover.map { .add(before: patterns.count, $0) } }
        return plan
    }

    /// The actual line, but with the documented spelling of each number that is still within
    /// tolerance (so rounded numbers stay rounded), when the two lines differ only in numbers.
    static func merged(_ pattern: LinePattern, _ actual: String) -> String {
        guard let tolerance = pattern.tolerance, !pattern.pieces.contains(.wildcard) else { return actual }
        let found = LinePattern(actual, tolerance: tolerance).pieces
        guard found.count == pattern.pieces.count else { return actual }
        var out = ""
        for (e, a) in zip(pattern.pieces, found) {
            switch (e, a) {
            case (.text(let x), .text(let y)) where x == y: out += x
            case (.number(let ev, let es), .number(let av, let asText)):
                out += tolerance.accepts(expected: ev, actual: av) ? es : asText
            default: return actual
            }
        }
        return out
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
