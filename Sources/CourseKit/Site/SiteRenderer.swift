import Foundation

// `course site`: the chapters as a static HTML site. Pure function of Chapters/ (the Markdown,
// Chapters/figures/ and Chapters/verified.json): the same inputs give the same bytes, so CI can
// check that the committed Site/ is current.

/// The rendered site: relative path (`index.html`, `<id>.html`, `style.css`, `figures/x.svg`) → bytes.
public struct Site: Sendable {
    public var files: [String: Data]
}

/// How a directory differs from a freshly rendered site.
public struct SiteDifference: Sendable, Equatable {
    public var differing: [String] = []
    public var missing: [String] = []
    public var extra: [String] = []
    public var isEmpty: Bool { differing.isEmpty && missing.isEmpty && extra.isEmpty }
}

public struct SiteRenderer {
    /// Chapter files in course order (as `ChapterLoader.discover` gives them).
    public var chapterPaths: [String]
    /// The committed verification report, if any.
    public var report: VerificationReport?

    public static let courseTitle = "Fine-tuning BERT in Swift"

    public init(chapterPaths: [String], report: VerificationReport?) {
        self.chapterPaths = chapterPaths
        self.report = report
    }

    /// Renders every page. Throws the chapters' parse errors and missing figures, located.
    public func render() throws -> Site {
        var chapters: [Chapter] = []
        var problems: [ChapterError] = []
        for path in chapterPaths {
            do {
                let chapter = try ChapterLoader.load(path)
                problems += Figures.missing(in: chapter)
                chapters.append(chapter)
            } catch let errors as ChapterErrors {
                problems += errors.errors
            }
        }
        let translations = loadTranslations(of: chapters, problems: &problems)
        if !problems.isEmpty { throw ChapterErrors(errors: problems) }
        var seenIDs: [String: String] = [:]
        for chapter in chapters {
            if chapter.id == "index" {
                throw CourseError("\(chapter.path) has the id 'index', which would replace the site's index.html: give it another `id:` in its front matter")
            }
            if let other = seenIDs[chapter.id] {
                throw CourseError("\(chapter.path) and \(other) both have the id '\(chapter.id)': give one an `id:` in its front matter")
            }
            seenIDs[chapter.id] = chapter.path
        }

        var files: [String: Data] = [:]
        files["style.css"] = Data((SiteStyle.css + SiteTranslations.css).utf8)
        files["index.html"] = Data(indexPage(chapters, translations: translations).utf8)
        for language in SiteTranslations.languages(translations) {
            files[SiteTranslations.indexName(language)] = Data(translatedIndexPage(chapters, translations: translations,
                                                                                   language: language).utf8)
        }
        for (index, chapter) in chapters.enumerated() {
            let previous = index > 0 ? chapters[index - 1] : nil
            let next = index + 1 < chapters.count ? chapters[index + 1] : nil
            files["\(chapter.id).html"] = Data(chapterPage(chapter, previous: previous, next: next,
                                                             translations: translations[chapter.path] ?? []).utf8)
            for translation in translations[chapter.path] ?? [] {
                files[SiteTranslations.pageName(translation)] = Data(translatedPage(translation, previous: previous, next: next,
                                                                                     all: translations).utf8)
            }
            let directory = URL(fileURLWithPath: chapter.path).deletingLastPathComponent()
            for ref in Figures.references(in: chapter) {
                let name = ref.path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
                if let data = FileManager.default.contents(atPath: directory.appendingPathComponent(ref.path).path) {
                    files[name] = data
                }
            }
        }
        return Site(files: files)
    }

    // MARK: pages

    func indexPage(_ chapters: [Chapter], translations: [String: [Translation]] = [:]) -> String {
        var items: [String] = []
        for (index, chapter) in chapters.enumerated() {
            let summary = chapter.frontMatter.summary.map { "<p>\(HTML.summary($0))</p>" } ?? firstParagraph(chapter)
            items.append("<li><span class=\"number\">\(chapter.frontMatter.order ?? index)</span>"
                + "<a href=\"\(chapter.id).html\">\(HTML.escape(chapter.title))</a>\n\(summary)"
                + SiteTranslations.indexLinks(translations[chapter.path] ?? []) + "</li>")
        }
        let body = """
            <h1>\(HTML.escape(Self.courseTitle))</h1>
            <p>\(SiteStrings.english.indexIntro)</p>
            <ul class="chapters">
            \(items.joined(separator: "\n"))
            </ul>

            """
        return page(title: Self.courseTitle, body: body, pager: "", footer: footer(for: nil),
                    languages: SiteTranslations.indexSwitcher(SiteTranslations.languages(translations), current: .english,
                                                              strings: .english))
    }

    func chapterPage(_ chapter: Chapter, previous: Chapter?, next: Chapter?, translations: [Translation] = []) -> String {
        let rendered = HTMLRenderer(chapter: chapter).render()
        var pager = "<nav class=\"pager\" aria-label=\"Chapters\">\n"
        if let previous {
            pager += "<a class=\"prev\" href=\"\(previous.id).html\" rel=\"prev\">← \(HTML.escape(previous.title))</a>\n"
        } else {
            pager += "<a class=\"prev\" href=\"index.html\">← All chapters</a>\n"
        }
        if let next { pager += "<a class=\"next\" href=\"\(next.id).html\" rel=\"next\">\(HTML.escape(next.title)) →</a>\n" }
        pager += "</nav>\n"
        return page(title: "\(chapter.title) · \(Self.courseTitle)", body: rendered.body, pager: pager, footer: footer(for: chapter),
                    languages: SiteTranslations.switcher(source: chapter, translations: translations, current: .english, strings: .english))
    }

    func page(title: String, body: String, pager: String, footer: String, language: Language = .english,
              strings: SiteStrings = .english, languages: (head: String, nav: String) = ("", ""),
              home: String = "index.html") -> String {
        """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(language.tag))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(HTML.escape(title))</title>
        <link rel="stylesheet" href="style.css">
        \(languages.head)</head>
        <body>
        <header class="top"><a href="\(home)">\(HTML.escape(strings.courseTitle))</a>\(languages.nav)</header>
        <main>
        \(body)</main>
        \(pager)<footer>
        \(footer)
        </footer>
        </body>
        </html>

        """
    }

    /// "Outputs verified on DATE with TOOLCHAIN on OS", from the committed report.
    func footer(for chapter: Chapter?, strings: SiteStrings = .english) -> String {
        let generated = "<p>\(strings.generated)</p>"
        guard let report else { return "<p>\(strings.notVerified)</p>\n" + generated }
        if let chapter, !report.chapters.contains(where: { $0.id == chapter.id }) {
            return "<p>\(strings.chapterNotVerified)</p>\n" + generated
        }
        return "<p>\(strings.verified(HTML.escape(report.date), HTML.escape(report.toolchain), HTML.escape(report.os)))</p>\n" + generated
    }

    /// The first paragraph of the chapter (inline Markdown kept), for the index.
    func firstParagraph(_ chapter: Chapter) -> String {
        let document = MarkdownDocument(ChapterParser.body(of: chapter))
        return document.blocks().first(where: \.isParagraph)?.html ?? ""
    }

    // MARK: writing and comparing

    /// Files under `directory` (relative paths, sorted), ignoring dot files.
    static func existingFiles(in directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var result: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = directory.appendingPathComponent(path).path
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { result.append(path) }
        }
        return result.sorted()
    }

    /// How `directory` differs from `site`, byte for byte.
    public static func compare(_ site: Site, with directory: URL) -> SiteDifference {
        var difference = SiteDifference()
        for (path, data) in site.files.sorted(by: { $0.key < $1.key }) {
            guard let existing = FileManager.default.contents(atPath: directory.appendingPathComponent(path).path) else {
                difference.missing.append(path)
                continue
            }
            if existing != data { difference.differing.append(path) }
        }
        difference.extra = existingFiles(in: directory).filter { site.files[$0] == nil }
        return difference
    }

    /// Writes the site into `directory`, rewriting only files that changed, and removes files
    /// a previous render left that are no longer part of the site. Returns what changed.
    @discardableResult
    public static func write(_ site: Site, to directory: URL) throws -> SiteDifference {
        let difference = compare(site, with: directory)
        let fm = FileManager.default
        for path in difference.missing + difference.differing {
            let url = directory.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try site.files[path, default: Data()].write(to: url, options: .atomic)
        }
        for path in difference.extra { try fm.removeItem(at: directory.appendingPathComponent(path)) }
        return difference
    }
}
