import Foundation

// Translated pages of the site: one per chapter and language (`<id>.<lang>.html`, beside the
// English `<id>.html`, so figures and the stylesheet keep their relative paths), each with
// `<html lang>`, the site's words in its language, and a language switcher on every page of a
// translated chapter; the index lists each chapter's translations.

enum SiteTranslations {
    /// `token-classification.zh-hans.html`
    static func pageName(_ translation: Translation) -> String {
        "\(translation.source.id).\(translation.language.slug).html"
    }

    /// The switcher in the header (every language of the chapter, the current one marked) and
    /// the `<link rel="alternate">` lines for the head; empty for a chapter with no translation.
    static func switcher(source: Chapter, translations: [Translation], current: Language,
                         strings: SiteStrings) -> (head: String, nav: String) {
        guard !translations.isEmpty else { return ("", "") }
        let entries = [(Language.english, "\(source.id).html")] + translations.map { ($0.language, pageName($0)) }
        return languageNav(entries, current: current, strings: strings)
    }

    /// The `<link rel="alternate">` lines and the `<nav>` of a switcher over `entries`
    /// (language, page), the current language marked rather than linked.
    static func languageNav(_ entries: [(Language, String)], current: Language, strings: SiteStrings) -> (head: String, nav: String) {
        var head = ""
        var links: [String] = []
        for (language, href) in entries {
            let tag = HTML.escape(language.tag), name = HTML.escape(language.name)
            if language == current {
                links.append("<span aria-current=\"page\" lang=\"\(tag)\">\(name)</span>")
            } else {
                head += "<link rel=\"alternate\" hreflang=\"\(tag)\" href=\"\(href)\">\n"
                links.append("<a href=\"\(href)\" hreflang=\"\(tag)\" lang=\"\(tag)\">\(name)</a>")
            }
        }
        return (head, "\n<nav class=\"languages\" aria-label=\"\(strings.languages)\">\(links.joined(separator: " "))</nav>")
    }

    /// `index.zh-hans.html`: the index in one language.
    static func indexName(_ language: Language) -> String {
        language == .english ? "index.html" : "index.\(language.slug).html"
    }

    /// Every language some chapter is translated into, in the switcher's order.
    static func languages(_ translations: [String: [Translation]]) -> [Language] {
        var seen: [Language] = []
        for t in Translations.inLanguageOrder(translations.values.flatMap { $0 }) where !seen.contains(t.language) {
            seen.append(t.language)
        }
        return seen
    }

    /// The index pages' switcher: English and every translation language.
    static func indexSwitcher(_ languages: [Language], current: Language, strings: SiteStrings) -> (head: String, nav: String) {
        guard !languages.isEmpty else { return ("", "") }
        return languageNav(([Language.english] + languages).map { ($0, indexName($0)) }, current: current, strings: strings)
    }

    /// Under a chapter on the index: links to its translations, each named in its language.
    static func indexLinks(_ translations: [Translation]) -> String {
        guard !translations.isEmpty else { return "" }
        let links = translations.map { t in
            "<a href=\"\(pageName(t))\" hreflang=\"\(HTML.escape(t.language.tag))\" lang=\"\(HTML.escape(t.language.tag))\">"
                + "\(HTML.escape(t.language.name)): \(HTML.escape(t.chapter.title))</a>"
        }
        return "\n<p class=\"translations\">Also in " + links.joined(separator: " · ") + "</p>\n"
    }

    static let css = """
        .top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.3rem 1rem; }
        .languages { font-weight: 400; font-size: 0.9rem; display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; }
        .languages [aria-current] { color: var(--muted); }
        .chapters .translations { font-size: 0.92rem; margin-top: 0.5rem; }
        .chapters .translations a { font-size: inherit; font-weight: 400; }
        :lang(zh-Hans) body, body:lang(zh-Hans) {
          font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", sans-serif;
        }
        :lang(ja) body, body:lang(ja) {
          font-family: system-ui, -apple-system, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic UI", "Yu Gothic", Meiryo, "Noto Sans CJK JP", "Source Han Sans JP", "Noto Sans JP", sans-serif;
        }
        :lang(zh-Hans) main, :lang(ja) main { line-height: 1.8; line-break: strict; overflow-wrap: anywhere; }
        :lang(zh-Hans) em, :lang(ja) em { font-style: normal; font-weight: 600; }
        :lang(zh-Hans) .output-label, :lang(ja) .output-label { text-transform: none; letter-spacing: 0; }

        """
}

extension SiteRenderer {
    /// The translations of the chapters, keyed by their source's path; a translation that
    /// does not load adds its errors to `problems`.
    func loadTranslations(of chapters: [Chapter], problems: inout [ChapterError]) -> [String: [Translation]] {
        let directories = Set(chapters.map { ($0.path as NSString).deletingLastPathComponent })
        let sources = Set(chapters.map(\.path))
        var result: [String: [Translation]] = [:]
        for directory in directories.sorted() {
            for path in Translations.discover(in: directory.isEmpty ? "." : directory) {
                do {
                    let translation = try Translations.load(path)
                    guard sources.contains(translation.source.path) else { continue }
                    result[translation.source.path, default: []].append(translation)
                } catch let errors as ChapterErrors {
                    problems += errors.errors
                } catch {
                    problems.append(ChapterError(path, 1, "\(error)"))
                }
            }
        }
        // The switcher lists languages in a fixed order: the known ones first, then by tag.
        return result.mapValues(Translations.inLanguageOrder)
    }

    /// A translated chapter's page: its prose, the source's steps and outputs (they are equal,
    /// comments aside), the site's words in its language, and links to its neighbours in the
    /// same language where they are translated (else in English).
    func translatedPage(_ translation: Translation, previous: Chapter?, next: Chapter?,
                        all: [String: [Translation]]) -> String {
        let strings = SiteStrings.forLanguage(translation.language)
        let rendered = HTMLRenderer(chapter: translation.chapter, strings: strings).render()
        func link(_ chapter: Chapter) -> (href: String, title: String) {
            if let t = all[chapter.path]?.first(where: { $0.language == translation.language }) {
                return (SiteTranslations.pageName(t), t.chapter.title)
            }
            return ("\(chapter.id).html", chapter.title)
        }
        var pager = "<nav class=\"pager\" aria-label=\"\(strings.chapters)\">\n"
        if let previous {
            let l = link(previous)
            pager += "<a class=\"prev\" href=\"\(l.href)\" rel=\"prev\">← \(HTML.escape(l.title))</a>\n"
        } else {
            pager += "<a class=\"prev\" href=\"\(SiteTranslations.indexName(translation.language))\">← \(strings.allChapters)</a>\n"
        }
        if let next {
            let l = link(next)
            pager += "<a class=\"next\" href=\"\(l.href)\" rel=\"next\">\(HTML.escape(l.title)) →</a>\n"
        }
        pager += "</nav>\n"
        let footer = "<p>\(strings.translationNote)</p>\n" + footer(for: translation.chapter, strings: strings)
        return page(title: "\(translation.chapter.title) · \(strings.courseTitle)", body: rendered.body, pager: pager,
                    footer: footer, language: translation.language, strings: strings,
                    languages: SiteTranslations.switcher(source: translation.source, translations: all[translation.source.path] ?? [],
                                                         current: translation.language, strings: strings),
                    home: SiteTranslations.indexName(translation.language))
    }

    /// The index in a translation's language: each chapter's translated title and summary,
    /// linking to its translated page (a chapter not translated yet: its English page, marked).
    func translatedIndexPage(_ chapters: [Chapter], translations: [String: [Translation]], language: Language) -> String {
        let strings = SiteStrings.forLanguage(language)
        var items: [String] = []
        for (index, chapter) in chapters.enumerated() {
            let number = "<span class=\"number\">\(chapter.frontMatter.order ?? index)</span>"
            if let t = translations[chapter.path]?.first(where: { $0.language == language }) {
                let summary = t.chapter.frontMatter.summary.map { "<p>\(HTML.summary($0))</p>" } ?? firstParagraph(t.chapter)
                items.append("<li>\(number)<a href=\"\(SiteTranslations.pageName(t))\">\(HTML.escape(t.chapter.title))</a>\n\(summary)</li>")
            } else {
                let summary = chapter.frontMatter.summary.map { "<p lang=\"en\">\(HTML.summary($0))</p>" } ?? ""
                items.append("<li>\(number)<a href=\"\(chapter.id).html\" lang=\"en\">\(HTML.escape(chapter.title))</a> "
                    + "\(strings.notTranslatedYet)\n\(summary)</li>")
            }
        }
        let body = """
            <h1>\(HTML.escape(strings.courseTitle))</h1>
            <p>\(strings.indexIntro)</p>
            <ul class="chapters">
            \(items.joined(separator: "\n"))
            </ul>

            """
        return page(title: strings.courseTitle, body: body, pager: "", footer: footer(for: nil, strings: strings),
                    language: language, strings: strings,
                    languages: SiteTranslations.indexSwitcher(SiteTranslations.languages(translations), current: language,
                                                              strings: strings),
                    home: SiteTranslations.indexName(language))
    }
}
