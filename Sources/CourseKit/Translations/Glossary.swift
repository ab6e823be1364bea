import Foundation

// Each language folder has a glossary (`Chapters/zh/glossary.md`): a Markdown table whose
// first column is the English term (variants separated by commas) and whose second is the term
// the translations use, the one readers know from the Python course's own translations.
// The check warns where a glossary term is left in English in a translation's prose (code,
// inline code and link targets set aside). A term kept in English on purpose has itself as
// its translation; writing the English in brackets right after the translated term, as
// `微调（fine-tuning）`, is allowed too.

public struct GlossaryEntry: Sendable, Equatable {
    /// English spellings, lower-cased: `fine-tuning`, `fine-tune`, `fine-tuned`.
    public var english: [String]
    /// The translation's terms (`/` separates accepted alternatives).
    public var translations: [String]
    /// Whether the term is kept in English in this language.
    public var keptInEnglish: Bool { translations.contains { t in english.contains(t.lowercased()) } }
}

public struct Glossary: Sendable {
    public var path: String
    public var entries: [GlossaryEntry]

    /// The glossary next to a translation (`glossary.md` in its folder), if there is one.
    public static func forTranslation(at path: String) -> Glossary? {
        let directory = (path as NSString).deletingLastPathComponent
        let file = directory.isEmpty ? Translations.glossaryName : "\(directory)/\(Translations.glossaryName)"
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return parse(String(decoding: data, as: UTF8.self), path: file)
    }

    /// Rows `| english | translation | ... |` of the file's tables; the header and rule rows are skipped.
    public static func parse(_ text: String, path: String) -> Glossary {
        var entries: [GlossaryEntry] = []
        var sawHeader = false
        for line in text.lines() {
            let trimmed = line.trimmingCharacters()
            guard trimmed.hasPrefix("|") else { sawHeader = false; continue }
            let cells = trimmed.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters() }
            guard cells.count >= 2 else { continue }
            if cells[0].allSatisfy({ $0 == "-" || $0 == ":" || $0 == " " }) { continue }   // |---|---|
            if !sawHeader { sawHeader = true; continue }                                   // the header row
            let english = cells[0].split(separator: ",").map { $0.trimmingCharacters().lowercased() }.filter { !$0.isEmpty }
            let translations = cells[1].split(separator: "/").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
            if !english.isEmpty && !translations.isEmpty { entries.append(GlossaryEntry(english: english, translations: translations)) }
        }
        return Glossary(path: path, entries: entries)
    }

    /// `path:line: warning: ...` for each glossary term left in English in the chapter's prose.
    public func warnings(for chapter: Chapter) -> [String] {
        var warnings: [String] = []
        for (line, text) in Glossary.prose(of: chapter.source) {
            let lower = text.lowercased()
            for entry in entries where !entry.keptInEnglish {
                for term in entry.english {
                    for range in Glossary.wordRanges(of: term, in: lower) where !Glossary.isGloss(range, in: lower, after: entry.translations) {
                        warnings.append("\(chapter.path):\(line): warning: '\(String(lower[range]))' is left in English; "
                            + "the glossary (\(path)) says \(entry.translations.joined(separator: " / "))")
                    }
                }
            }
        }
        return warnings
    }

    /// Prose lines with their numbers: front-matter title and summary, and the body outside
    /// fenced blocks, with inline code, link targets and HTML tags removed.
    static func prose(of source: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        let lines = source.lines()
        var index = 0
        if lines.first?.trimmingTrailingWhitespace() == "---" {
            index = 1
            while index < lines.count, lines[index].trimmingTrailingWhitespace() != "---" {
                let line = lines[index].trimmingCharacters()
                for key in ["title:", "summary:"] where line.hasPrefix(key) { result.append((index + 1, String(line.dropFirst(key.count)))) }
                index += 1
            }
            index += 1
        }
        var fence: (Character, Int)?
        while index < lines.count {
            let line = lines[index]
            let body = line.trimmingCharacters().drop { $0 == ">" || $0 == " " }
            if let char = body.first, char == "`" || char == "~" {
                let run = body.prefix { $0 == char }.count
                if run >= 3 {
                    if let open = fence { if open.0 == char && run >= open.1 { fence = nil } } else { fence = (char, run) }
                    index += 1
                    continue
                }
            }
            if fence == nil { result.append((index + 1, stripInline(String(line)))) }
            index += 1
        }
        return result
    }

    /// The line without `code spans`, `](link targets)` and `<tags>`.
    static func stripInline(_ line: String) -> String {
        var out = ""
        var chars = Array(line)[...]
        while let c = chars.first {
            if c == "`" {
                let ticks = chars.prefix { $0 == "`" }.count
                let rest = chars.dropFirst(ticks)
                if let close = rest.indices.first(where: { i in rest[i...].prefix { $0 == "`" }.count == ticks }) {
                    out += " "
                    chars = rest[(close + ticks)...]
                    continue
                }
            }
            if c == "]", chars.dropFirst().first == "(", let close = chars.firstIndex(of: ")") {
                out += "]"
                chars = chars[(close + 1)...]
                continue
            }
            if c == "<", let close = chars.firstIndex(of: ">") {
                chars = chars[(close + 1)...]
                continue
            }
            out.append(c)
            chars = chars.dropFirst()
        }
        return out
    }

    /// Where `term` occurs as a whole word (no ASCII letter or digit on either side).
    static func wordRanges(of term: String, in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = text.startIndex
        func isWordChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        while let range = text.range(of: term, range: start..<text.endIndex) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : " "
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : " "
            // "-" after the term joins it to another word ("fine-tuning" holds "fine-tun...", but
            // "token-level" still holds the word token); plural "s" counts as the term.
            let afterOK = !isWordChar(after) || (after == "s" && (range.upperBound == text.index(before: text.endIndex)
                || !isWordChar(text[text.index(after: range.upperBound)])))
            if !isWordChar(before) && afterOK { result.append(range) }
            start = range.upperBound
        }
        return result
    }

    /// Whether the English at `range` is a gloss in brackets just after a translated term:
    /// `微调（fine-tuning）`, `*不区分大小写*（uncased）`, `组块分析（chunking）`,
    /// `Feinabstimmung (fine-tuning)`: the term ends at most a few characters before the bracket.
    static func isGloss(_ range: Range<String.Index>, in text: String, after translations: [String]) -> Bool {
        var before = text[..<range.lowerBound]
        guard let open = before.last, open == "（" || open == "(" else { return false }
        before = before.dropLast()
        let near = String(before.suffix(12)).filter { $0 != "*" && $0 != "_" }
        return translations.contains { near.contains($0.lowercased()) }
    }
}
