import Foundation

// Translations live beside their source, one folder per language (`Chapters/zh/01-x.md`), and
// say so in front matter: `lang: zh-Hans` and `translation-of: ../01-x.md` (relative to the
// translation's file). They are not chapters of their own: `course check` compares them with
// their source instead of running them (TranslationChecker), and everything that defines how a
// chapter runs (id, order, timeout, threads, processes) comes from the source, so a translation
// shares the source's work directory, exercise ids and Exercises/ files.

/// A translated chapter together with its source.
public struct Translation: Sendable {
    /// The translation, parsed, with the source's run settings.
    public var chapter: Chapter
    public var source: Chapter
    public var language: Language
}

public enum Translations {
    /// The glossary of a language folder (`Chapters/zh/glossary.md`) is not a translation.
    public static let glossaryName = "glossary.md"

    /// Translation files in the subfolders of `directory` (not `figures/`), sorted by path.
    /// Only files whose front matter says `translation-of:` count; others are left alone.
    public static func discover(in directory: String) -> [String] {
        let fm = FileManager.default
        guard let folders = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
        var paths: [String] = []
        for folder in folders.sorted() where !folder.hasPrefix(".") && folder != "figures" {
            let dir = directory == "." ? folder : "\(directory)/\(folder)"
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue,
                  let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasSuffix(".md") && !name.hasPrefix(".") && name != glossaryName {
                let path = "\(dir)/\(name)"
                if isTranslation(path) { paths.append(path) }
            }
        }
        return paths
    }

    /// Whether the file's front matter has a `translation-of:` line (read without parsing the rest).
    public static func isTranslation(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        let lines = String(decoding: data, as: UTF8.self).lines()
        guard lines.first?.trimmingTrailingWhitespace() == "---" else { return false }
        for line in lines.dropFirst() {
            let trimmed = line.trimmingTrailingWhitespace()
            if trimmed == "---" { return false }
            if trimmed.hasPrefix("translation-of:") { return true }
        }
        return false
    }

    /// The source chapter's path, as the translation's path would name it
    /// (`Chapters/zh/01-x.md` + `../01-x.md` → `Chapters/01-x.md`).
    public static func sourcePath(of chapter: Chapter) -> String? {
        guard let relative = chapter.frontMatter.translationOf else { return nil }
        if relative.hasPrefix("/") { return relative }
        let directory = (chapter.path as NSString).deletingLastPathComponent
        return normalize(directory.isEmpty ? relative : "\(directory)/\(relative)")
    }

    /// Resolves `.` and `..` in a relative path without touching the file system.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Front-matter keys whose value a translation takes from its source.
    static let inheritedKeys = ["id", "order", "timeout", "threads", "processes"]

    /// A parsed translation with its source's run settings, or the errors that stop it
    /// (no `lang:`, a missing source, a source that is itself a translation, a run setting of its own).
    static func inheritingSettings(_ chapter: Chapter) throws -> Chapter {
        guard let sourcePath = sourcePath(of: chapter) else { return chapter }
        var errors: [ChapterError] = []
        if chapter.frontMatter.language == nil {
            errors.append(ChapterError(chapter.path, 1, "a translation needs `lang:` in its front matter (zh-Hans, ja, de, ...)"))
        }
        let lines = chapter.source.lines()
        for (index, line) in lines.enumerated().dropFirst() {
            let trimmed = line.trimmingTrailingWhitespace()
            if trimmed == "---" { break }
            for key in inheritedKeys where trimmed.hasPrefix("\(key):") {
                errors.append(ChapterError(chapter.path, index + 1,
                    "a translation takes '\(key)' from its source (\(sourcePath)): remove this line"))
            }
        }
        guard let data = FileManager.default.contents(atPath: sourcePath) else {
            errors.append(ChapterError(chapter.path, 1, "translation-of names \(sourcePath), which does not exist: give the source chapter's file, relative to this one"))
            throw ChapterErrors(errors: errors)
        }
        let source = try ChapterParser.parse(String(decoding: data, as: UTF8.self), path: sourcePath)
        if source.frontMatter.translationOf != nil {
            errors.append(ChapterError(chapter.path, 1, "\(sourcePath) is itself a translation: translate the English source chapter"))
        }
        if !errors.isEmpty { throw ChapterErrors(errors: errors) }
        var result = chapter
        result.frontMatter.id = source.id
        result.frontMatter.order = source.frontMatter.order
        result.frontMatter.timeout = source.frontMatter.timeout
        result.frontMatter.threads = source.frontMatter.threads
        result.frontMatter.processes = source.frontMatter.processes
        return result
    }

    /// Loads a translation and its source.
    public static func load(_ path: String) throws -> Translation {
        let chapter = try ChapterLoader.load(path)
        guard let sourcePath = sourcePath(of: chapter) else {
            throw CourseError("\(path) is not a translation: its front matter has no `translation-of:` line")
        }
        let source = try ChapterLoader.load(sourcePath)
        return Translation(chapter: chapter, source: source, language: Language.named(chapter.frontMatter.language ?? "und"))
    }

    /// Every translation under `directory`, keyed by its source's path; files that do not load are skipped
    /// (`course check` reports them).
    public static func bySource(in directory: String) -> [String: [Translation]] {
        var result: [String: [Translation]] = [:]
        for path in discover(in: directory) {
            guard let translation = try? load(path) else { continue }
            result[translation.source.path, default: []].append(translation)
        }
        return result.mapValues(inLanguageOrder)
    }

    /// Translations in a fixed order: the known languages first (as `Language.known` lists them), then by tag.
    static func inLanguageOrder(_ translations: [Translation]) -> [Translation] {
        let order = Language.known.map(\.tag)
        return translations.sorted { a, b in
            let i = order.firstIndex(of: a.language.tag) ?? order.count, j = order.firstIndex(of: b.language.tag) ?? order.count
            return (i, a.language.tag) < (j, b.language.tag)
        }
    }

    /// The translation of `source` into the language `query` names (`zh`, `zh-Hans`, `ja`), if any.
    public static func find(_ query: String, of source: Chapter, in directory: String = "Chapters") -> Translation? {
        bySource(in: directory)[source.path]?.first { $0.language.matches(query) }
    }
}

extension Chapter {
    /// Whether this chapter is a translation of another.
    public var isTranslation: Bool { frontMatter.translationOf != nil }

    /// Where the chapter's image paths are relative to: Chapters/ for a source chapter and for
    /// a translation alike (a translation shows its source's figures by the same paths).
    var figureDirectory: URL {
        let path = isTranslation ? (Translations.sourcePath(of: self) ?? self.path) : self.path
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }
}
