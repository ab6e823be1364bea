// Documented output vs actual output, as the design specifies:
// - exact, after trimming trailing whitespace of each line and trailing blank lines;
// - a line that is exactly `...` matches any run of lines (also none);
// - `[..]` inside a line matches any text within that line;
// - `approx=TOL`: every number in the block is compared within TOL, the rest exactly;
// - `unordered`: lines compared as a multiset.

public enum OutputMatcher {
    /// Lines with trailing whitespace trimmed and trailing blank lines dropped.
    public static func normalizedLines(_ text: String) -> [String] {
        var lines = text.lines().map { $0.trimmingTrailingWhitespace() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    /// Whether `actual` output matches the documented `expected` output.
    public static func matches(expected: String, actual: String, options: OutputOptions) -> Bool {
        let e = normalizedLines(expected)
        let a = normalizedLines(actual)
        let patterns = e.map { LinePattern($0, tolerance: options.approx) }
        if options.unordered { return unorderedMatch(patterns, a) }
        return sequenceMatch(patterns[...], a[...])
    }

    /// `...` lines are gaps; everything else must match line for line.
    static func sequenceMatch(_ patterns: ArraySlice<LinePattern>, _ lines: ArraySlice<String>) -> Bool {
        // Iterative with memo-free backtracking over gaps; outputs are small.
        guard let first = patterns.first else { return lines.isEmpty }
        if first.isGap {
            let rest = patterns.dropFirst()
            if rest.isEmpty { return true }
            var start = lines.startIndex
            while start <= lines.endIndex {
                if sequenceMatch(rest, lines[start...]) { return true }
                start += 1
            }
            return false
        }
        guard let line = lines.first, first.matches(line) else { return false }
        return sequenceMatch(patterns.dropFirst(), lines.dropFirst())
    }

    /// Each expected line matches a distinct actual line; a `...` line allows extra lines.
    static func unorderedMatch(_ patterns: [LinePattern], _ lines: [String]) -> Bool {
        let allowExtra = patterns.contains { $0.isGap }
        var remaining = lines
        // Most specific patterns first, so a wildcard line does not take a line an exact one needs.
        for pattern in patterns.filter({ !$0.isGap }).sorted(by: { $0.specificity > $1.specificity }) {
            guard let index = remaining.firstIndex(where: { pattern.matches($0) }) else { return false }
            remaining.remove(at: index)
        }
        return allowExtra || remaining.isEmpty
    }
}

/// One documented line compiled into literal text, `[..]` wildcards and (with approx) numbers.
struct LinePattern {
    enum Piece: Equatable {
        case text(String)
        case wildcard
        case number(Double, String)
    }

    let source: String
    let pieces: [Piece]
    let tolerance: Tolerance?
    var isGap: Bool { source == "..." }

    /// Characters of literal text: ranks patterns for unordered matching.
    var specificity: Int {
        pieces.reduce(0) { total, piece in
            switch piece {
            case .text(let s): return total + s.count
            case .number(_, let s): return total + s.count
            case .wildcard: return total
            }
        }
    }

    init(_ line: String, tolerance: Tolerance?) {
        source = line
        self.tolerance = tolerance
        var pieces: [Piece] = []
        var text = ""
        let chars = Array(line.unicodeScalars)
        var i = 0
        while i < chars.count {
            if chars[i] == "[", i + 3 < chars.count, chars[i + 1] == ".", chars[i + 2] == ".", chars[i + 3] == "]" {
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(.wildcard)
                i += 4
                continue
            }
            if tolerance != nil, let (value, length) = NumberScanner.scan(chars, at: i, previous: i > 0 ? chars[i - 1] : nil) {
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(.number(value, String(String.UnicodeScalarView(chars[i..<i + length]))))
                i += length
                continue
            }
            text.unicodeScalars.append(chars[i])
            i += 1
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
    }

    func matches(_ line: String) -> Bool {
        if isGap { return true }
        let chars = Array(line.unicodeScalars)
        return match(piece: 0, chars, at: 0)
    }

    private func match(piece index: Int, _ chars: [Unicode.Scalar], at position: Int) -> Bool {
        guard index < pieces.count else { return position == chars.count }
        switch pieces[index] {
        case .text(let text):
            let scalars = Array(text.unicodeScalars)
            guard position + scalars.count <= chars.count else { return false }
            for k in 0..<scalars.count where chars[position + k] != scalars[k] { return false }
            return match(piece: index + 1, chars, at: position + scalars.count)
        case .wildcard:
            var end = chars.count
            while end >= position {
                if match(piece: index + 1, chars, at: end) { return true }
                end -= 1
            }
            return false
        case .number(let expected, _):
            guard let tolerance,
                  let (actual, length) = NumberScanner.scan(chars, at: position, previous: position > 0 ? chars[position - 1] : nil),
                  tolerance.accepts(expected: expected, actual: actual) else { return false }
            return match(piece: index + 1, chars, at: position + length)
        }
    }
}

/// Finds decimal numbers (`-12`, `0.25`, `1e-5`, `.5`) in text.
enum NumberScanner {
    /// The number starting at `i`, with its length in scalars. A sign counts only when it does
    /// not follow a digit or letter (so `2026-11-22` is 2026, -11, -22 but `a-b` has no number).
    static func scan(_ chars: [Unicode.Scalar], at i: Int, previous: Unicode.Scalar?) -> (Double, Int)? {
        var j = i
        if j < chars.count, chars[j] == "-" || chars[j] == "+" {
            if let p = previous, p.properties.isAlphabetic || p == "." { return nil }
            j += 1
        }
        // A number does not start in the middle of another number.
        if let p = previous, j == i, isDigit(p) || p == "." { return nil }
        let digitsStart = j
        while j < chars.count, isDigit(chars[j]) { j += 1 }
        var sawDigits = j > digitsStart
        if j < chars.count, chars[j] == ".", j + 1 < chars.count, isDigit(chars[j + 1]) {
            j += 1
            while j < chars.count, isDigit(chars[j]) { j += 1 }
            sawDigits = true
        }
        guard sawDigits else { return nil }
        if j < chars.count, chars[j] == "e" || chars[j] == "E" {
            var k = j + 1
            if k < chars.count, chars[k] == "-" || chars[k] == "+" { k += 1 }
            let expStart = k
            while k < chars.count, isDigit(chars[k]) { k += 1 }
            if k > expStart { j = k }
        }
        let text = String(String.UnicodeScalarView(chars[i..<j]))
        guard let value = Double(text) else { return nil }
        return (value, j - i)
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
}
