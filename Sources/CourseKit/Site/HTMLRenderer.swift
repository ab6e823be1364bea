// One chapter → the <main> content of its HTML page. cmark renders the prose (safe mode); steps,
// outputs, exercises and headings are rendered here so that each output sits right under its
// step, hidden steps and checks vanish, and headings get stable anchors for the contents.
import CCmark

/// HTML for one chapter, plus the headings its table of contents lists.
struct RenderedChapter {
    var body: String
    var toc: [TOCEntry]
}

struct TOCEntry: Equatable {
    var level: Int
    var text: String
    var anchor: String
}

struct HTMLRenderer {
    let chapter: Chapter
    /// Steps by the line of their opening fence, as cmark reports code blocks.
    let stepsByLine: [Int: Step]
    let outputLines: Set<Int>
    let stepBlockLines: Set<Int>
    /// The page's own words, in the chapter's language.
    let strings: SiteStrings

    init(chapter: Chapter, strings: SiteStrings = .english) {
        self.chapter = chapter
        self.strings = strings
        stepsByLine = Dictionary(uniqueKeysWithValues: chapter.steps.map { ($0.fenceLine, $0) })
        outputLines = Set(chapter.steps.compactMap { $0.output?.fenceLine })
        stepBlockLines = Set(stepsByLine.keys).union(outputLines)
    }

    func render() -> RenderedChapter {
        let document = MarkdownDocument(ChapterParser.body(of: chapter))
        var anchors = AnchorSet()
        var toc: [TOCEntry] = []
        var parts: [String] = []
        var tocIndex: Int?   // where the contents go: right after the first h1
        var skipNextHint = false

        for node in document.blocks() {
            if skipNextHint, node.isBlockQuote { skipNextHint = false; continue }
            skipNextHint = false
            if node.isHeading {
                let text = node.plainText
                let anchor = anchors.claim(HTML.slug(text))
                let level = node.headingLevel
                var html = node.html
                if html.hasPrefix("<h\(level)>") {
                    html = "<h\(level) id=\"\(anchor)\">" + html.dropFirst(4)
                }
                // Each heading links to itself, so a reader can copy a link to a section.
                html = html.replacingOccurrences(of: "</h\(level)>", with: " <a class=\"anchor\" href=\"#\(anchor)\" aria-label=\"\(strings.linkToSection)\">#</a></h\(level)>")
                parts.append(html)
                if level == 1, tocIndex == nil { tocIndex = parts.count }
                if level == 2 || level == 3 { toc.append(TOCEntry(level: level, text: text, anchor: anchor)) }
                continue
            }
            if node.isCodeBlock, let rendered = stepBlockHTML(node, anchors: &anchors) {
                parts.append(rendered.html)
                skipNextHint = rendered.hintTaken
                continue
            }
            // Steps inside a list item or a quote: replace them in the tree, then render it.
            if !node.isCodeBlock, node.descendants().contains(where: { $0.isCodeBlock && stepBlockLines.contains($0.startLine) }) {
                parts.append(containerHTML(node, anchors: &anchors))
                continue
            }
            if node.isParagraph, let image = node.onlyImage {
                parts.append(figureHTML(image))
                continue
            }
            parts.append(node.html)
        }
        if !toc.isEmpty {
            let items = toc.map { entry in
                "<li class=\"toc-\(entry.level)\"><a href=\"#\(entry.anchor)\">\(HTML.escape(entry.text))</a></li>"
            }.joined(separator: "\n")
            let nav = "<nav class=\"toc\" aria-label=\"\(strings.contents)\">\n<p class=\"toc-title\">\(strings.contents)</p>\n<ul>\n\(items)\n</ul>\n</nav>\n"
            parts.insert(nav, at: tocIndex ?? 0)
        }
        if tocIndex == nil {
            parts.insert("<h1 id=\"\(anchors.claim(HTML.slug(chapter.title)))\">\(HTML.escape(chapter.title))</h1>\n", at: 0)
        }
        return RenderedChapter(body: parts.joined(), toc: toc)
    }

    /// The HTML replacing a ```swift or ```output block of the chapter ("" when it is not shown:
    /// hidden steps, checks, solutions (shown in their exercise), outputs (shown under their
    /// step)); nil for any other code block. `hintTaken`: the blockquote after it is the hint.
    func stepBlockHTML(_ node: MarkdownNode, anchors: inout AnchorSet) -> (html: String, hintTaken: Bool)? {
        if outputLines.contains(node.startLine) { return ("", false) }
        guard let step = stepsByLine[node.startLine] else { return nil }
        switch step.attributes.role {
        case .normal:
            return (step.attributes.hidden ? "" : stepHTML(step, anchors: &anchors), false)
        case .exercise:
            // A blockquote right under the starting code is the hint: it goes in <details>,
            // rendered as Markdown (the parsed hint is plain text).
            var hintHTML: String?
            if step.attributes.hint == nil, let next = node.next, next.isBlockQuote {
                hintHTML = next.children().map(\.html).joined()
            }
            return (exerciseHTML(step, hintHTML: hintHTML, anchors: &anchors), hintHTML != nil)
        case .solution, .check:
            return ("", false)
        }
    }

    /// A list or quote holding steps: each step block is swapped for its HTML in the tree and
    /// the chapter's own raw HTML is dropped, so rendering without cmark's safe mode is safe.
    func containerHTML(_ node: MarkdownNode, anchors: inout AnchorSet) -> String {
        var hints: [MarkdownNode] = []
        for child in node.descendants() where child.pointer != node.pointer {
            if child.isRawHTML {
                child.replace(with: .html("<!-- raw HTML omitted -->", block: child.type == CMARK_NODE_HTML_BLOCK))
            } else if child.isCodeBlock, let rendered = stepBlockHTML(child, anchors: &anchors) {
                if rendered.hintTaken, let next = child.next { hints.append(next) }
                child.replace(with: .html(rendered.html, block: true))
            }
        }
        for hint in hints { hint.remove() }
        return node.unsafeHTML
    }

    /// A step: label, highlighted code, and its documented output right under it.
    func stepHTML(_ step: Step, anchors: inout AnchorSet) -> String {
        let anchor = anchors.claim(step.attributes.id.map { "step-\(HTML.slug($0))" } ?? "step-\(step.number)")
        // Numbered as `course step` and `course run` count (a no-run block has no number).
        var label = "<a href=\"#\(anchor)\">\(step.shownNumber.map(strings.step) ?? strings.unnumberedStep)</a>"
        if let id = step.attributes.id { label += " <code>\(HTML.escape(id))</code>" }
        if step.attributes.noRun { label += " <span class=\"badge norun\">\(strings.notRun)</span>" }
        if step.attributes.expectError { label += " <span class=\"badge error\">\(strings.failsOnPurpose)</span>" }
        var html = "<div class=\"step\" id=\"\(anchor)\">\n<div class=\"step-label\">\(label)</div>\n"
        html += codeHTML(step.code)
        if let output = step.output { html += outputHTML(output, expectError: step.attributes.expectError) }
        return html + "</div>\n"
    }

    /// ✏️ starting code, how to work on it, then the hint and the solution folded.
    func exerciseHTML(_ step: Step, hintHTML: String?, anchors: inout AnchorSet) -> String {
        guard case .exercise(let name) = step.attributes.role else { return "" }
        let anchor = anchors.claim("exercise-\(HTML.slug(name))")
        let e = HTML.escape(name)
        var html = "<div class=\"exercise\" id=\"\(anchor)\">\n"
        html += "<div class=\"step-label\"><a href=\"#\(anchor)\">\(strings.exercise)</a> <code>\(e)</code></div>\n"
        html += codeHTML(step.code)
        let lang = chapter.frontMatter.language.map { " --lang " + HTML.escape($0) } ?? ""
        html += "<p class=\"exercise-how\">\(strings.exerciseHow(e, lang))</p>\n"
        if let hint = hintHTML ?? step.hint.map(HTML.paragraphs) {
            html += "<details class=\"hint\"><summary>\(strings.hint)</summary>\n\(hint)</details>\n"
        }
        if let solution = chapter.steps.first(where: { $0.attributes.role == .solution(name) }) {
            html += "<details class=\"solution\"><summary>\(strings.solution)</summary>\n" + codeHTML(solution.code)
            if let output = solution.output { html += outputHTML(output, expectError: false) }
            html += "</details>\n"
        }
        return html + "</div>\n"
    }

    /// An image alone in its paragraph is a figure: captioned with its alt text, linked to the
    /// full-size file, and allowed to be wider than the text (or to scroll on a phone).
    func figureHTML(_ image: MarkdownNode) -> String {
        let src = HTML.escape(image.url), alt = HTML.escape(image.plainText)
        // The hint shows only on a phone, where the figure is wider than the screen.
        return "<figure class=\"figure\"><p class=\"scroll-hint\">\(strings.scrollHint)</p>"
            + "<div class=\"scroll\"><a href=\"\(src)\"><img src=\"\(src)\" alt=\"\(alt)\"></a></div>"
            + (alt.isEmpty ? "" : "<figcaption>\(alt)</figcaption>") + "</figure>\n"
    }

    func codeHTML(_ code: String) -> String {
        "<pre class=\"code\"><code>\(HTML.highlight(code.trimmingTrailingNewlines()))</code></pre>\n"
    }

    func outputHTML(_ output: OutputBlock, expectError: Bool) -> String {
        var notes: [String] = []
        switch output.options.approx {
        case .absolute(let tol)?: notes.append(strings.numbersWithin(HTML.number(tol)))
        case .relative(let fraction)?: notes.append(strings.numbersWithin(HTML.number(fraction * 100) + "%"))
        case nil: break
        }
        if output.options.unordered { notes.append(strings.linesInAnyOrder) }
        if output.options.unchecked { notes.append(strings.notCompared) }
        let title = strings.output + (notes.isEmpty ? "" : " <span class=\"note\">(\(notes.joined(separator: strings.listSeparator)))</span>")
        return "<div class=\"output\(expectError ? " expected-error" : "")\"><div class=\"output-label\">\(title)</div>"
            + "<pre><code>\(HTML.escape(output.text.trimmingTrailingNewlines()))</code></pre></div>\n"
    }
}

/// Anchors unique within a page: a repeated slug gets `-2`, `-3`, ...
struct AnchorSet {
    private var used: Set<String> = []
    mutating func claim(_ slug: String) -> String {
        let base = slug.isEmpty ? "section" : slug
        var candidate = base
        var n = 2
        while used.contains(candidate) { candidate = "\(base)-\(n)"; n += 1 }
        used.insert(candidate)
        return candidate
    }
}

/// Escaping, slugs and highlighting for HTML output.
enum HTML {
    /// A front-matter summary (plain text but for `inline code`): escaped, with each pair of
    /// backticks made a <code> element, as the same words read in the chapter's Markdown.
    static func summary(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count % 2 == 1 else { return escape(text) }   // an unpaired backtick stays as written
        return parts.enumerated().map { i, part in i % 2 == 1 ? "<code>\(escape(String(part)))</code>" : escape(String(part)) }
            .joined()
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// "✏️ Your turn" → "your-turn": lowercase letters (of any script: "数据" stays) and digits, words joined by '-'.
    static func slug(_ text: String) -> String {
        var words: [String] = []
        var word = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                word.unicodeScalars.append(scalar)
            } else if scalar == " " || scalar == "-" || scalar == "." || scalar == "/" {
                if !word.isEmpty { words.append(word); word = "" }
            }
        }
        if !word.isEmpty { words.append(word) }
        return words.joined(separator: "-")
    }

    /// Swift code with `<span class="kw">` etc. around tokens (classes styled in style.css).
    static func highlight(_ code: String) -> String {
        SwiftHighlighter.tokens(code).map { token -> String in
            let cls: String
            switch token {
            case .plain(let s): return escape(s)
            case .keyword: cls = "kw"
            case .string: cls = "st"
            case .number: cls = "nu"
            case .comment: cls = "co"
            case .type: cls = "ty"
            case .attribute: cls = "at"
            }
            return "<span class=\"\(cls)\">\(escape(token.text))</span>"
        }.joined()
    }

    /// Plain text (a hint) as paragraphs split at blank lines.
    static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { "<p>\(escape($0))</p>\n" }.joined()
    }

    /// A tolerance as written (1e-06 → "1e-06"; 0.001 → "0.001").
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
