import Foundation

// Figures: a chapter shows one with `![Training curves](figures/curves.svg)`, a path relative to
// Chapters/. The chapter program writes it into its work directory (`figures/` under
// `.course/work/<id>/`, its current directory); `course run --bless` copies what it produced
// into `Chapters/figures/`; the site reads only the committed copies, so it is deterministic.

/// A figure the last run produced that differs from the committed one (or is not committed yet).
public struct FigureChange: Sendable, Equatable {
    /// Path relative to Chapters/, e.g. `figures/curves.svg`.
    public var name: String
    public var isNew: Bool
}

public enum Figures {
    /// Images the chapter references (relative paths; links to the web are left alone), with lines.
    static func references(in chapter: Chapter) -> [(path: String, line: Int)] {
        MarkdownDocument(ChapterParser.body(of: chapter)).images().filter { image in
            !image.url.isEmpty && !image.url.contains(":") && !image.url.hasPrefix("/") && !image.url.hasPrefix("#")
        }.map { ($0.url, $0.line) }
    }

    /// Every referenced image must exist next to the chapter (in Chapters/figures/, by convention)
    /// and stay inside Chapters/, because the site copies it as it is.
    public static func missing(in chapter: Chapter) -> [ChapterError] {
        let directory = chapter.figureDirectory
        return references(in: chapter).compactMap { ref in
            if ref.path.split(separator: "/").contains("..") {
                return ChapterError(chapter.path, ref.line, "image '\(ref.path)' points outside Chapters/: keep figures in Chapters/figures/")
            }
            let file = directory.appendingPathComponent(ref.path).path
            if FileManager.default.fileExists(atPath: file) { return nil }
            return ChapterError(chapter.path, ref.line,
                "image '\(ref.path)' does not exist: a step should save it (saveFigure(svg, name: \"\(ref.path.split(separator: "/").last ?? "")\")), "
                + "then `course run \(chapter.path) --bless` copies it to Chapters/\(ref.path)")
        }
    }

    /// Figures under the chapter's work dir `figures/` that differ from `Chapters/figures/`.
    public static func changes(for chapter: Chapter, environment: Environment) -> [FigureChange] {
        let fm = FileManager.default
        let produced = environment.cache.appendingPathComponent("work/\(chapter.id)/figures")
        let committed = chapter.figureDirectory.appendingPathComponent("figures")
        guard let names = try? fm.contentsOfDirectory(atPath: produced.path) else { return [] }
        return names.sorted().filter { !$0.hasPrefix(".") }.compactMap { name in
            let new = fm.contents(atPath: produced.appendingPathComponent(name).path)
            let old = fm.contents(atPath: committed.appendingPathComponent(name).path)
            if new == old { return nil }
            return FigureChange(name: "figures/\(name)", isNew: old == nil)
        }
    }

    /// Copies the changed figures into Chapters/figures/; returns the paths written.
    public static func bless(_ changes: [FigureChange], for chapter: Chapter, environment: Environment) throws -> [String] {
        let fm = FileManager.default
        let chapters = chapter.figureDirectory
        try fm.createDirectory(at: chapters.appendingPathComponent("figures"), withIntermediateDirectories: true)
        var written: [String] = []
        for change in changes {
            let source = environment.cache.appendingPathComponent("work/\(chapter.id)/\(change.name)")
            let target = chapters.appendingPathComponent(change.name)
            guard let data = fm.contents(atPath: source.path) else { continue }
            try data.write(to: target, options: .atomic)
            let directory = ((Translations.sourcePath(of: chapter) ?? chapter.path) as NSString).deletingLastPathComponent
            written.append(directory.isEmpty ? change.name : "\(directory)/\(change.name)")
        }
        return written
    }
}
