// The optional `---` block at the top of a chapter: `key: value` lines, nothing nested.

enum FrontMatterParser {
    static let keys = ["title", "id", "order", "timeout", "threads", "processes", "summary", "lang", "translation-of"]

    /// Parses the front matter at the start of `lines` (without line terminators).
    /// Returns the settings and how many lines the block spans (0 when there is none).
    static func parse(_ lines: [Substring], path: String) throws(ChapterError) -> (FrontMatter, Int) {
        var matter = FrontMatter()
        guard let first = lines.first, first.trimmingTrailingWhitespace() == "---" else { return (matter, 0) }
        var index = 1
        while index < lines.count {
            let raw = lines[index]
            let lineNumber = index + 1
            let line = raw.trimmingTrailingWhitespace()
            if line == "---" { return (matter, index + 1) }
            index += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw ChapterError(path, lineNumber, "front matter line is not 'key: value': \(line)")
            }
            let key = line[..<colon].trimmingCharacters()
            var value = line[line.index(after: colon)...].trimmingCharacters()
            if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'")) {
                value = String(value.dropFirst().dropLast())
            }
            func int() throws(ChapterError) -> Int {
                guard let n = Int(value) else { throw ChapterError(path, lineNumber, "front matter '\(key)' must be an integer, got '\(value)'") }
                return n
            }
            switch key {
            case "title": matter.title = value
            case "summary":
                guard !value.isEmpty else { throw ChapterError(path, lineNumber, "front matter summary is empty: write what the chapter teaches, or remove the line") }
                matter.summary = value
            case "id":
                guard InfoString.isName(value) else { throw ChapterError(path, lineNumber, "front matter id '\(value)' must be letters, digits, '-' or '_'") }
                matter.id = value
            case "order": matter.order = try int()
            case "seed":
                // One owner per setting: seeds live in the chapter's code, as in Python.
                throw ChapterError(path, lineNumber, "front matter 'seed' is not a setting: a chapter seeds in its code, as a "
                    + "Python program does (TrainingArguments(seed: 7), DataLoader(seed: 7), a model's seed: 7); what is not "
                    + "given uses the toolkit's defaultSeed (42). Remove the line")
            case "timeout":
                guard let seconds = Double(value), seconds > 0 else {
                    throw ChapterError(path, lineNumber, "front matter timeout must be a positive number of seconds, got '\(value)'")
                }
                matter.timeout = seconds
            case "threads":
                let n = try int()
                guard n >= 1 && n <= 256 else { throw ChapterError(path, lineNumber, "front matter threads must be between 1 and 256") }
                matter.threads = n
            case "processes":
                let n = try int()
                guard n >= 1 && n <= 64 else { throw ChapterError(path, lineNumber, "front matter processes must be between 1 and 64 (the MPI ranks the chapter runs as)") }
                matter.processes = n
            case "lang":
                guard Language.isTag(value) else { throw ChapterError(path, lineNumber, "front matter lang '\(value)' is not a language tag such as zh-Hans, ja or de") }
                matter.language = value
            case "translation-of":
                guard value.hasSuffix(".md") else { throw ChapterError(path, lineNumber, "front matter translation-of must name the source chapter's file, e.g. ../01-token-classification.md") }
                matter.translationOf = value
            default:
                throw ChapterError(path, lineNumber, "unknown front matter key '\(key)'; known: \(keys.joined(separator: ", "))")
            }
        }
        throw ChapterError(path, 1, "front matter opened with '---' is never closed: add a '---' line after it")
    }
}

extension StringProtocol {
    /// The text without trailing spaces, tabs and carriage returns.
    func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            let c = self[before]
            if c == " " || c == "\t" || c == "\r" { end = before } else { break }
        }
        return String(self[startIndex..<end])
    }

    /// The text without leading and trailing spaces and tabs.
    func trimmingCharacters() -> String {
        let trailing = trimmingTrailingWhitespace()
        return String(trailing.drop { $0 == " " || $0 == "\t" })
    }
}

extension String {
    /// Lines split at "\n" only; a "\r" before it stays on its line. (Swift's `Character`
    /// treats "\r\n" as one character, so splitting on "\n" would miss CRLF line ends.)
    func lines() -> [Substring] {
        var result: [Substring] = []
        var start = startIndex
        var i = utf8.startIndex
        while i != utf8.endIndex {
            if utf8[i] == UInt8(ascii: "\n") {
                result.append(self[start..<i])
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        result.append(self[start...])
        return result
    }
}
