import Foundation

// Fence info strings: ```swift id=align hidden timeout=30, ```output approx=1e-3 unordered.
// Every attribute is checked: an unknown one is an error, not silently ignored, because a
// misspelt `unorderd` would otherwise turn a check off without anyone noticing.

/// One `key` or `key=value` word of an info string (values may be double-quoted).
struct InfoAttribute: Equatable {
    var key: String
    var value: String?
}

enum InfoString {
    /// Splits `swift id=x hint="two words"` into the language and its attributes.
    static func split(_ info: String) -> (language: String, attributes: [InfoAttribute])? {
        var words: [String] = []
        var current = ""
        var inQuotes = false
        var hasWord = false
        for ch in info {
            if ch == "\"" { inQuotes.toggle(); hasWord = true; continue }
            if !inQuotes && (ch == " " || ch == "\t") {
                if hasWord { words.append(current); current = ""; hasWord = false }
                continue
            }
            current.append(ch)
            hasWord = true
        }
        if inQuotes { return nil }
        if hasWord { words.append(current) }
        guard let language = words.first else { return ("", []) }
        let attributes = words.dropFirst().map { word -> InfoAttribute in
            if let eq = word.firstIndex(of: "=") {
                return InfoAttribute(key: String(word[..<eq]), value: String(word[word.index(after: eq)...]))
            }
            return InfoAttribute(key: word, value: nil)
        }
        return (language, attributes)
    }

    static let stepKeys = ["id", "hidden", "no-run", "expect-error", "timeout", "exercise", "solution", "check", "hint", "needs"]
    static let outputKeys = ["approx", "unordered", "unchecked"]

    /// Attributes of a ```swift block; problems are reported against `line`.
    static func stepAttributes(_ attributes: [InfoAttribute], path: String, line: Int) throws(ChapterError) -> StepAttributes {
        var result = StepAttributes()
        var roles = 0
        for attr in attributes {
            func need() throws(ChapterError) -> String {
                guard let value = attr.value, !value.isEmpty else {
                    throw ChapterError(path, line, "attribute '\(attr.key)' needs a value (\(attr.key)=...)")
                }
                return value
            }
            func flag() throws(ChapterError) {
                if attr.value != nil { throw ChapterError(path, line, "attribute '\(attr.key)' takes no value") }
            }
            switch attr.key {
            case "id":
                let value = try need()
                guard isName(value) else {
                    throw ChapterError(path, line, "step id '\(value)' must be letters, digits, '-' or '_'")
                }
                result.id = value
            case "hidden": try flag(); result.hidden = true
            case "no-run": try flag(); result.noRun = true
            case "expect-error": try flag(); result.expectError = true
            case "timeout":
                let value = try need()
                guard let seconds = Double(value), seconds > 0 else {
                    throw ChapterError(path, line, "timeout=\(value) is not a positive number of seconds")
                }
                result.timeout = seconds
            case "exercise", "solution", "check":
                let value = try need()
                guard isName(value) else {
                    throw ChapterError(path, line, "exercise id '\(value)' must be letters, digits, '-' or '_'")
                }
                roles += 1
                result.role = attr.key == "exercise" ? .exercise(value) : attr.key == "solution" ? .solution(value) : .check(value)
            case "hint": result.hint = try need()
            case "needs":
                let names = try need().split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard names.allSatisfy(isName) else {
                    throw ChapterError(path, line, "needs= takes step ids separated by commas (needs=load,tokenizer)")
                }
                result.needs = names
            default:
                throw ChapterError(path, line, "unknown attribute '\(attr.key)' on a swift step; known: \(stepKeys.joined(separator: ", "))")
            }
        }
        if roles > 1 { throw ChapterError(path, line, "a block is at most one of exercise=, solution=, check=") }
        if result.hint != nil, case .exercise = result.role {} else if result.hint != nil {
            throw ChapterError(path, line, "hint= belongs on an exercise=ID block")
        }
        if result.needs != nil {
            switch result.role {
            case .solution, .check:
                throw ChapterError(path, line, "needs= belongs on the exercise=ID block (or an ordinary step), not on solution= or check=")
            default: break
            }
        }
        if result.noRun && result.role != .normal {
            throw ChapterError(path, line, "no-run cannot be combined with exercise=, solution= or check=")
        }
        return result
    }

    /// Attributes of an ```output block.
    static func outputOptions(_ attributes: [InfoAttribute], path: String, line: Int) throws(ChapterError) -> OutputOptions {
        var result = OutputOptions()
        for attr in attributes {
            switch attr.key {
            case "approx":
                guard let value = attr.value, let tolerance = parseTolerance(value) else {
                    throw ChapterError(path, line, "approx needs a tolerance: approx=0.01 (absolute) or approx=2% (relative)")
                }
                result.approx = tolerance
            case "unordered", "unchecked":
                if attr.value != nil { throw ChapterError(path, line, "attribute '\(attr.key)' takes no value") }
                if attr.key == "unordered" { result.unordered = true } else { result.unchecked = true }
            default:
                throw ChapterError(path, line, "unknown attribute '\(attr.key)' on an output block; known: \(outputKeys.joined(separator: ", "))")
            }
        }
        return result
    }

    static func parseTolerance(_ text: String) -> Tolerance? {
        if text.hasSuffix("%") {
            guard let percent = Double(text.dropLast()), percent >= 0, percent.isFinite else { return nil }
            return .relative(percent / 100)
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        return .absolute(value)
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
