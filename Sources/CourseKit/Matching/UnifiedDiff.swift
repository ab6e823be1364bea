// A unified diff of documented vs actual output, line-based (LCS). Lines that a pattern
// matches (wildcards, tolerances) count as equal, so the diff shows only real differences.

public enum UnifiedDiff {
    /// `--- expected` / `+++ actual` with `@@` hunks and `context` lines around changes.
    public static func make(expected: [String], actual: [String], context: Int = 3,
                            equal: (Int, Int) -> Bool) -> String {
        let ops = editScript(expected.count, actual.count, equal: equal)
        var out = ["--- expected", "+++ actual"]
        // Group ops into hunks separated by more than 2*context unchanged lines.
        var i = 0
        while i < ops.count {
            guard let changeStart = ops[i...].firstIndex(where: { $0.kind != .same }) else { break }
            var hunkEnd = changeStart
            var scan = changeStart
            while scan < ops.count {
                if ops[scan].kind != .same { hunkEnd = scan; scan += 1; continue }
                let run = ops[scan...].prefix { $0.kind == .same }.count
                if run > 2 * context || scan + run == ops.count { break }
                scan += run
            }
            let lo = max(i == 0 ? 0 : i, changeStart - context)
            let hi = min(ops.count, hunkEnd + 1 + context)
            let hunk = ops[lo..<hi]
            let eStart = hunk.first.map { $0.e } ?? 0
            let aStart = hunk.first.map { $0.a } ?? 0
            let eCount = hunk.filter { $0.kind != .insert }.count
            let aCount = hunk.filter { $0.kind != .delete }.count
            out.append("@@ -\(range(eStart, eCount)) +\(range(aStart, aCount)) @@")
            for op in hunk {
                switch op.kind {
                case .same: out.append(" " + expected[op.e])
                case .delete: out.append("-" + expected[op.e])
                case .insert: out.append("+" + actual[op.a])
                }
            }
            i = hi
        }
        return out.joined(separator: "\n")
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    struct Op {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var e: Int   // index in expected (for same/delete; insertion point for insert)
        var a: Int   // index in actual (for same/insert; insertion point for delete)
    }

    /// Minimal edit script by longest common subsequence (O(n·m); outputs are small, and very
    /// long ones are cut to their first 2000 lines by the caller's report).
    static func editScript(_ n: Int, _ m: Int, equal: (Int, Int) -> Bool) -> [Op] {
        var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = equal(i, j) ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
        }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, equal(i, j) {
                ops.append(Op(kind: .same, e: i, a: j)); i += 1; j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append(Op(kind: .delete, e: i, a: j)); i += 1
            } else {
                ops.append(Op(kind: .insert, e: i, a: j)); j += 1
            }
        }
        return ops
    }
}

extension OutputMatcher {
    /// The diff to show when `matches` failed.
    public static func diff(expected: String, actual: String, options: OutputOptions) -> String {
        let maxLines = 2000
        let e = Array(normalizedLines(expected).prefix(maxLines))
        let a = Array(normalizedLines(actual).prefix(maxLines))
        let patterns = e.map { LinePattern($0, tolerance: options.approx) }
        if options.unordered {
            // Compare as sorted multisets: the order is not what failed.
            let se = e.sorted(), sa = a.sorted()
            let sp = se.map { LinePattern($0, tolerance: options.approx) }
            return "(unordered: lines compared sorted)\n" + UnifiedDiff.make(expected: se, actual: sa) { sp[$0].matches(sa[$1]) }
        }
        return UnifiedDiff.make(expected: e, actual: a) { patterns[$0].matches(a[$1]) }
    }
}
