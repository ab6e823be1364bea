// A fenced block runs only when its language is exactly `swift`, and is checked only when it is
// exactly `output`: any other language is prose. A typo there (```Swift, ```swfit, ```ouptut)
// would silently turn a step into prose that never runs, or an output block into prose that is
// never compared, and the chapter would still pass. So a language that is a near miss of either
// is an error, while real languages (sh, python, text, json, ...) stay prose.

enum FenceLanguage {
    static let known = ["swift", "output"]

    /// What `language` was probably meant to be (`swift` or `output`), or nil when it is
    /// either exactly, or far enough from both to be another language.
    static func nearMiss(_ language: String) -> String? {
        guard !known.contains(language), !language.isEmpty else { return nil }
        let lower = language.lowercased()
        // Another case: ```Swift, ```OUTPUT.
        if let exact = known.first(where: { $0 == lower }) { return exact }
        // An attribute glued on without a space: ```swift,id=x, ```swift:hidden, ```output{approx=1}.
        if let glued = known.first(where: { lower.hasPrefix($0) && !(lower.dropFirst($0.count).first?.isLetter ?? true) }) {
            return glued
        }
        // One or two letters off (a swapped pair counts as one): ```swfit, ```sift, ```ouptut,
        // ```outputs. Short words are left alone: `sh` or `st` are not typos of `swift`.
        guard lower.count >= 4 else { return nil }
        return known.first { distance(lower, $0) <= 2 }
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// adjacent letters each cost one.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// The error for a near-miss fence at `line`.
    static func error(_ language: String, meant: String, path: String, line: Int) -> ChapterError {
        let role = meant == "swift" ? "a step that never runs" : "an output block that is never checked"
        return ChapterError(path, line, "```\(language) is not a fence the course knows, so this block would be prose: "
            + "\(role). Did you mean ```\(meant)? Write the language exactly `\(meant)` (lowercase, attributes after a space), "
            + "or name another language (```text) if the block is meant as prose")
    }
}
