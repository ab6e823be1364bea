/// Turns tokens back into text (tokenizer.json `"decoder": {"type": "WordPiece"}`): pieces
/// with the `##` prefix join the previous token, others are preceded by a space; with
/// `cleanup`, a space before `.`, `?`, `!`, `,` is removed (applied per token, as the Python
/// library does, so only single-token patterns ever match).
public struct WordPieceDecoder: Sendable, Equatable {
    /// The prefix that marks a piece continuing the previous one (`##`).
    public var prefix: String
    /// Whether to remove the space before `.`, `?`, `!` and `,` (and fix contractions).
    public var cleanup: Bool

    /// A decoder with this prefix and clean-up.
    public init(prefix: String = "##", cleanup: Bool = true) {
        self.prefix = prefix
        self.cleanup = cleanup
    }

    /// The text of `tokens`: continuation pieces joined to the previous token, others after a space.
    public func decode(_ tokens: [String]) -> String {
        var out = ""
        for (i, token) in tokens.enumerated() {
            var t = token
            if i != 0 {
                // Compare scalars: "##" + a combining sign is one Character, so hasPrefix misses it.
                let p = prefix.unicodeScalars
                if !p.isEmpty, t.unicodeScalars.starts(with: p) {
                    t = String(String.UnicodeScalarView(t.unicodeScalars.dropFirst(p.count)))
                } else {
                    t = " " + t
                }
            }
            if cleanup { t = cleanUpTokenization(t, doNot: true) }
            out += t
        }
        return out
    }
}

/// The English clean-up both libraries use: no space before punctuation and inside
/// contractions. `doNot` also rewrites " do not" to " don't" (the decoder's variant).
func cleanUpTokenization(_ s: String, doNot: Bool) -> String {
    guard s.contains(" ") else { return s }
    var r = s.replacingAll(" .", ".").replacingAll(" ?", "?").replacingAll(" !", "!").replacingAll(" ,", ",")
        .replacingAll(" ' ", "'").replacingAll(" n't", "n't").replacingAll(" 'm", "'m")
    if doNot { r = r.replacingAll(" do not", " don't") }
    return r.replacingAll(" 's", "'s").replacingAll(" 've", "'ve").replacingAll(" 're", "'re")
}

extension String {
    /// Every non-overlapping occurrence of `target`, left to right, replaced, comparing Unicode
    /// scalars (Python `str.replace`; Swift's `==` on strings would also match canonical
    /// equivalents).
    func replacingAll(_ target: String, _ replacement: String) -> String {
        let s = Array(unicodeScalars), t = Array(target.unicodeScalars)
        guard !t.isEmpty, s.count >= t.count else { return self }
        var out = String.UnicodeScalarView()
        var i = 0
        var changed = false
        while i < s.count {
            if s[i] == t[0], i + t.count <= s.count, s[i..<(i + t.count)].elementsEqual(t) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += t.count
                changed = true
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return changed ? String(out) : self
    }
}
