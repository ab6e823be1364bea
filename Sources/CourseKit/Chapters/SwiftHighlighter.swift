// A small Swift lexer for highlighting: enough to colour keywords, strings, numbers, comments,
// types and attributes. Renderers (terminal, HTML) map token kinds to their own styles.

public enum SwiftToken: Equatable, Sendable {
    case plain(String)
    case keyword(String)
    case string(String)
    case number(String)
    case comment(String)
    case type(String)      // Capitalised identifiers
    case attribute(String) // @main, #sourceLocation

    public var text: String {
        switch self {
        case .plain(let s), .keyword(let s), .string(let s), .number(let s), .comment(let s), .type(let s), .attribute(let s): return s
        }
    }
}

public enum SwiftHighlighter {
    static let keywords: Set<String> = [
        "let", "var", "func", "return", "if", "else", "guard", "for", "in", "while", "repeat", "switch", "case",
        "default", "break", "continue", "struct", "class", "enum", "protocol", "extension", "import", "try",
        "throw", "throws", "catch", "do", "defer", "where", "as", "is", "nil", "true", "false", "self", "Self",
        "init", "deinit", "public", "private", "internal", "fileprivate", "static", "mutating", "inout", "some",
        "any", "async", "await", "typealias", "associatedtype", "subscript", "override", "final", "lazy", "weak",
        "rethrows", "super", "fallthrough", "indirect", "open", "consuming", "borrowing",
    ]

    /// Tokens of `code`; concatenating their text gives `code` back exactly.
    public static func tokens(_ code: String) -> [SwiftToken] {
        let chars = Array(code)
        var tokens: [SwiftToken] = []
        var plain = ""
        var i = 0
        func flush() { if !plain.isEmpty { tokens.append(.plain(plain)); plain = "" } }
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "/" && next == "/" {
                flush()
                var j = i
                while j < chars.count && chars[j] != "\n" { j += 1 }
                tokens.append(.comment(String(chars[i..<j]))); i = j
            } else if c == "/" && next == "*" {
                flush()
                var j = i + 2
                while j + 1 < chars.count && !(chars[j] == "*" && chars[j + 1] == "/") { j += 1 }
                j = min(chars.count, j + 2)
                tokens.append(.comment(String(chars[i..<j]))); i = j
            } else if c == "\"" {
                flush()
                let triple = i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\""
                var j = i + (triple ? 3 : 1)
                while j < chars.count {
                    if chars[j] == "\\" { j += 2; continue }
                    if triple {
                        if j + 2 < chars.count && chars[j] == "\"" && chars[j + 1] == "\"" && chars[j + 2] == "\"" { j += 3; break }
                    } else if chars[j] == "\"" || chars[j] == "\n" { j += 1; break }
                    j += 1
                }
                j = min(j, chars.count)
                tokens.append(.string(String(chars[i..<j]))); i = j
            } else if c.isNumber && !(plain.last.map { $0.isLetter || $0 == "_" || $0 == "$" } ?? false) {   // `$0` is a name
                flush()
                var j = i
                while j < chars.count && (chars[j].isNumber || chars[j] == "_" || chars[j] == "."
                    || chars[j] == "x" || chars[j] == "e" || (chars[j].isHexDigit && j > i)) {
                    if chars[j] == "." && !(j + 1 < chars.count && chars[j + 1].isNumber) { break }
                    j += 1
                }
                tokens.append(.number(String(chars[i..<j]))); i = j
            } else if c.isLetter || c == "_" || ((c == "@" || c == "#") && (next?.isLetter ?? false)) {
                var j = i + 1
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { j += 1 }
                let word = String(chars[i..<j])
                if c == "@" || c == "#" { flush(); tokens.append(.attribute(word)) }
                else if keywords.contains(word) { flush(); tokens.append(.keyword(word)) }
                else if c.isUppercase { flush(); tokens.append(.type(word)) }
                else { plain += word }
                i = j
            } else {
                plain.append(c); i += 1
            }
        }
        flush()
        return tokens
    }

    /// ANSI-coloured code for the terminal.
    public static func ansi(_ code: String, style: Style) -> String {
        guard style.enabled else { return code }
        return tokens(code).map { token -> String in
            switch token {
            case .plain(let s): return s
            case .keyword(let s): return "\u{1B}[35m\(s)\u{1B}[0m"
            case .string(let s): return "\u{1B}[32m\(s)\u{1B}[0m"
            case .number(let s): return "\u{1B}[33m\(s)\u{1B}[0m"
            case .comment(let s): return "\u{1B}[2m\(s)\u{1B}[0m"
            case .type(let s): return "\u{1B}[36m\(s)\u{1B}[0m"
            case .attribute(let s): return "\u{1B}[34m\(s)\u{1B}[0m"
            }
        }.joined()
    }
}
