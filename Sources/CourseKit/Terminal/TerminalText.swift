// Terminal text in any script: Chinese and Japanese characters take two columns (everything
// else one, as before) and break anywhere between characters (no spaces between words),
// except that closing punctuation never starts a line. `TerminalRenderer.wrap` measures and breaks with these.

enum TerminalText {
    /// Columns a string takes in a terminal, without its ANSI escape sequences.
    static func width(_ s: String) -> Int {
        var count = 0
        var inEscape = false
        for scalar in s.unicodeScalars {
            if inEscape { if scalar == "m" { inEscape = false }; continue }
            if scalar == "\u{1B}" { inEscape = true; continue }
            count += isWide(scalar) ? 2 : 1
        }
        return count
    }

    /// East Asian wide and full-width ranges (CJK, kana, Hangul, full-width forms, most emoji).
    static func isWide(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    static let closing: Set<Character> = ["，", "。", "、", "：", "；", "）", "」", "』", "！", "？", "”", "’", "・", "ー", "…"]

    /// The pieces a line may break between, each with whether a space separates it from the
    /// piece before: words for spaced text, single characters for Chinese and Japanese.
    static func pieces(_ line: Substring) -> [(text: String, spaced: Bool)] {
        var result: [(text: String, spaced: Bool)] = []
        for word in line.split(separator: " ") {
            var current = ""
            var first = true
            func flush() {
                if !current.isEmpty { result.append((current, first)); first = false; current = "" }
            }
            for c in word {
                let wide = c.unicodeScalars.first.map(isWide) ?? false
                if closing.contains(c) {
                    if current.isEmpty, let last = result.indices.last, !first { result[last].text.append(c) } else { current.append(c) }
                    continue
                }
                if wide { flush() }
                current.append(c)
                if wide { flush() }
            }
            flush()
        }
        return result
    }
}
