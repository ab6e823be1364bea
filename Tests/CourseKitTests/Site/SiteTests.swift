import Foundation
import Testing
@testable import CourseKit

// The HTML site: fixture chapters rendered in process (structure, escaping, determinism,
// figures), and `course site --check` through the real binary.

private let siteFixtures = CourseCLI.fixtures.appendingPathComponent("site")
private let chapterPaths = ["01-first.md", "02-second.md"].map { siteFixtures.appendingPathComponent($0).path }

private func render(report: VerificationReport? = nil) throws -> Site {
    try SiteRenderer(chapterPaths: chapterPaths, report: report).render()
}

private func page(_ site: Site, _ name: String) -> String {
    String(decoding: site.files[name] ?? Data(), as: UTF8.self)
}

/// Every `id="..."` of a page.
private func ids(_ html: String) -> [String] {
    html.components(separatedBy: " id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

@Suite struct SiteRenderingTests {
    @Test func pagesAndFiles() throws {
        let site = try render()
        #expect(site.files.keys.sorted() == ["figures/curve.svg", "first.html", "index.html", "second.html", "style.css"])
        #expect(site.files["figures/curve.svg"] == FileManager.default.contents(atPath: siteFixtures.appendingPathComponent("figures/curve.svg").path))
        let first = page(site, "first.html")
        #expect(first.contains("<figure class=\"figure\"><p class=\"scroll-hint\">wider than the screen: swipe sideways to see all of it →</p><div class=\"scroll\"><a href=\"figures/curve.svg\"><img src=\"figures/curve.svg\" alt=\"Training curves\"></a></div><figcaption>Training curves</figcaption></figure>"))
        #expect(first.contains("<link rel=\"stylesheet\" href=\"style.css\">"))
        // Steps take the width they need on a wide screen; the phone's figure hint is hidden elsewhere.
        let css = String(decoding: site.files["style.css"] ?? Data(), as: UTF8.self)
        #expect(css.contains(".step, .exercise { width: max-content; min-width: 100%; max-width: calc(100vw - 3rem);"))
        // An exercise's starting code is not cut either (its TODO lines are long); its prose keeps reading width.
        #expect(css.contains(".exercise p { max-width: 44rem; }"))
        #expect(css.contains(".scroll-hint { display: none; }"))
        #expect(!first.contains("<script"), "raw HTML from a chapter never reaches the page")
        #expect(!first.contains("http"), "no external resources")
    }

    @Test func escapingAndHighlighting() throws {
        let first = page(try render(), "first.html")
        #expect(first.contains("<title>First &lt;chapter&gt; &amp; friends · Fine-tuning BERT in Swift</title>"))
        #expect(first.contains("<span class=\"kw\">let</span> greeting = <span class=\"st\">&quot;a &lt; b &amp;&amp; c &gt; d&quot;</span>"))
        #expect(first.contains("<pre><code>a &lt; b &amp;&amp; c &gt; d 42</code></pre>"), "output text is escaped")
        #expect(first.contains("<span class=\"nu\">3.14159</span>"))
        #expect(first.contains("echo &quot;not a step&quot; &lt;here&gt;"), "other fenced languages stay prose, escaped")
    }

    @Test func stepsOutputsHiddenAndNoRun() throws {
        let first = page(try render(), "first.html")
        #expect(!first.contains("hiddenSecret = 41"), "hidden steps are omitted")
        #expect(!first.contains("checkMarker"), "exercise checks are hidden")
        // Numbered as `course step` counts: the hidden step before it is not counted, the no-run one has no number.
        #expect(first.contains("<div class=\"step\" id=\"step-greet\">\n<div class=\"step-label\"><a href=\"#step-greet\">step 1</a> <code>greet</code></div>"))
        #expect(first.contains("<a href=\"#step-3\">step</a> <span class=\"badge norun\">not run by <code>course check</code></span>"))
        // The output sits right under its step, before the prose that separates them in the Markdown.
        let code = try #require(first.range(of: "print(greeting"))
        let output = try #require(first.range(of: "<div class=\"output\">"))
        let prose = try #require(first.range(of: "Some prose between"))
        #expect(code.lowerBound < output.lowerBound && output.lowerBound < prose.lowerBound)
        #expect(first.contains("output <span class=\"note\">(numbers within 0.01)</span>"))
    }

    @Test func exercisesFoldHintAndSolution() throws {
        let site = try render()
        let first = page(site, "first.html")
        #expect(first.contains("<div class=\"exercise\" id=\"exercise-double\">"))
        #expect(first.contains("<details class=\"hint\"><summary>Hint</summary>\n<p>Multiply by 2 &lt;not 3&gt;.</p>\n</details>"))
        #expect(first.contains("<details class=\"solution\"><summary>Solution</summary>\n<pre class=\"code\"><code><span class=\"kw\">func</span> double"))
        #expect(first.components(separatedBy: "func</span> double").count - 1 == 2, "starter and solution, once each")
        // A blockquote hint keeps its Markdown and is not repeated as prose.
        let second = page(site, "second.html")
        #expect(second.contains("<details class=\"hint\"><summary>Hint</summary>\n<p>Add <code>x</code> to itself <em>twice</em>.</p>\n</details>"))
        #expect(!second.contains("<blockquote>"))
    }

    @Test func contentsAnchorsAreUnique() throws {
        let first = page(try render(), "first.html")
        let all = ids(first)
        #expect(Set(all).count == all.count, "duplicate ids: \(all)")
        #expect(first.contains("<li class=\"toc-2\"><a href=\"#setup\">Setup</a></li>\n<li class=\"toc-2\"><a href=\"#setup-2\">Setup</a></li>\n<li class=\"toc-3\"><a href=\"#numbers\">Numbers</a></li>"))
        #expect(first.contains("<h2 id=\"your-turn\">"))
        for anchor in first.components(separatedBy: "href=\"#").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
            #expect(all.contains(anchor), "link to #\(anchor) has no target")
        }
    }

    @Test func indexAndPreviousNext() throws {
        let site = try render()
        let index = page(site, "index.html")
        #expect(index.contains("<a href=\"first.html\">First &lt;chapter&gt; &amp; friends</a>\n<p>Escaping &lt;tags&gt; &amp; highlighting, for the index.</p>"))
        #expect(index.contains("<a href=\"second.html\">Second chapter</a>\n<p>The first paragraph is the <strong>summary</strong> when the front matter has none.</p>"))
        #expect(!index.contains("A second paragraph"))
        let first = page(site, "first.html"), second = page(site, "second.html")
        #expect(first.contains("<a class=\"prev\" href=\"index.html\">← All chapters</a>"))
        #expect(first.contains("<a class=\"next\" href=\"second.html\" rel=\"next\">Second chapter →</a>"))
        #expect(second.contains("<a class=\"prev\" href=\"first.html\" rel=\"prev\">← First &lt;chapter&gt; &amp; friends</a>"))
        #expect(!second.contains("class=\"next\""))
    }

    @Test func footerFromTheVerificationReport() throws {
        #expect(page(try render(), "index.html").contains("Outputs not verified yet"))
        let report = VerificationReport(toolchain: "Swift version 6.3 (x)", os: "Debian <12> x86_64", date: "2026-01-02",
                                        chapters: [.init(path: "Chapters/01-first.md", id: "first", passed: 3, skipped: 1)])
        let site = try render(report: report)
        #expect(page(site, "first.html").contains("<p>Outputs verified on 2026-01-02 with Swift version 6.3 (x) on Debian &lt;12&gt; x86_64.</p>"))
        #expect(page(site, "second.html").contains("This chapter's outputs are not verified yet"))
        // The report round-trips through its committed JSON.
        #expect(try JSONDecoder().decode(VerificationReport.self, from: report.json()) == report)
    }

    @Test func sameChaptersSameBytes() throws {
        let a = try render(), b = try render()
        #expect(a.files == b.files)
    }

    @Test func missingFigureIsLocated() throws {
        let path = CourseCLI.fixtures.appendingPathComponent("site-missing-figure.md").path
        do {
            _ = try SiteRenderer(chapterPaths: [path], report: nil).render()
            Issue.record("a missing figure was accepted")
        } catch let error as ChapterErrors {
            #expect(error.errors.count == 1, "web images are not checked")
            #expect(error.description.hasPrefix("\(path):5: error: image 'figures/nope.svg' does not exist"))
            #expect(error.description.contains("--bless"))
        }
    }

    @Test func summaryMustNotBeEmpty() {
        #expect(throws: ChapterErrors.self) { try ChapterParser.parse("---\nsummary:\n---\n# T\n", path: "t.md") }
    }
}

@Suite(.serialized) struct SiteCLITests {
    /// A course directory with the site fixtures as its chapters.
    func workspace() throws -> URL {
        let dir = try CourseCLI.workspace([])
        let chapters = dir.appendingPathComponent("Chapters")
        for name in try FileManager.default.contentsOfDirectory(atPath: siteFixtures.path) {
            try FileManager.default.copyItem(at: siteFixtures.appendingPathComponent(name), to: chapters.appendingPathComponent(name))
        }
        return dir
    }

    @Test func checkDetectsStaleMissingAndExtraFiles() throws {
        let dir = try workspace()
        let written = try CourseCLI.run(["site"], in: dir)
        #expect(written.status == 0, "\(written.stdout)\(written.stderr)")
        #expect(written.stdout.contains("wrote Site/figures/curve.svg"))
        let fresh = try CourseCLI.run(["site", "--check"], in: dir)
        #expect(fresh.status == 0, "\(fresh.stdout)")
        #expect(fresh.stdout.contains("Site/ is up to date (5 files)"))

        let site = dir.appendingPathComponent("Site")
        try Data("stale".utf8).write(to: site.appendingPathComponent("index.html"))
        try Data("old".utf8).write(to: site.appendingPathComponent("gone.html"))
        try FileManager.default.removeItem(at: site.appendingPathComponent("style.css"))
        let stale = try CourseCLI.run(["site", "--check"], in: dir)
        #expect(stale.status == 1)
        #expect(stale.lines.contains("differs: Site/index.html"))
        #expect(stale.lines.contains("missing: Site/style.css"))
        #expect(stale.lines.contains("extra:   Site/gone.html"))
        #expect(stale.stdout.contains("run `course site` to update it"))

        // Writing again repairs it, and a second render changes nothing.
        let repaired = try CourseCLI.run(["site"], in: dir)
        #expect(repaired.stdout.contains("removed Site/gone.html"))
        #expect(try CourseCLI.run(["site", "--check"], in: dir).status == 0)
        #expect(try CourseCLI.run(["site"], in: dir).stdout.contains("0 written, 0 removed"))
    }

    @Test func missingFigureFailsTheSiteAndTheRun() throws {
        let dir = try CourseCLI.workspace(["site-missing-figure.md"])
        let site = try CourseCLI.run(["site"], in: dir)
        #expect(site.status == 1)
        #expect(site.stderr.contains("Chapters/site-missing-figure.md:5: error: image 'figures/nope.svg' does not exist"))
        let run = try CourseCLI.run(["run", "Chapters/site-missing-figure.md"], in: dir)
        #expect(run.status == 1)
        #expect(run.stdout.contains("Chapters/site-missing-figure.md:5: error: image 'figures/nope.svg' does not exist"))
    }
}

@Suite(.serialized) struct FigureBlessTests {
    @Test func blessCopiesProducedFiguresAndRunNotesChanges() throws {
        let dir = try CourseCLI.workspace(["figure.md"])
        let committed = dir.appendingPathComponent("Chapters/figures/made.svg")
        let plain = try CourseCLI.run(["run", "Chapters/figure.md"], in: dir)
        #expect(plain.status == 1, "the figure is not committed yet")
        #expect(plain.stdout.contains("Chapters/figure.md:11: error: image 'figures/made.svg' does not exist"))

        let blessed = try CourseCLI.run(["run", "Chapters/figure.md", "--bless"], in: dir)
        #expect(blessed.status == 0, "\(blessed.stdout)")
        #expect(blessed.stdout.contains("bless: wrote Chapters/figures/made.svg"))
        #expect(String(decoding: FileManager.default.contents(atPath: committed.path) ?? Data(), as: UTF8.self).contains("r=\"1\""))

        let same = try CourseCLI.run(["run", "Chapters/figure.md"], in: dir)
        #expect(same.status == 0)
        #expect(!same.stdout.contains("note:"))

        // A different figure is a note, not a failure; under CI, bless refuses to copy it.
        let changed = try CourseCLI.run(["run", "Chapters/figure.md"], in: dir, environment: ["FIGURE_R": "2"])
        #expect(changed.status == 0)
        #expect(changed.stdout.contains("note: this run produced figures/made.svg, which differs from the one in Chapters/"))
        let ci = try CourseCLI.run(["run", "Chapters/figure.md", "--bless"], in: dir, environment: ["FIGURE_R": "2", "CI": "true"])
        #expect(ci.status == 1)
        #expect(ci.stdout.contains("bless: refused under CI=true; 1 figure(s) differ: figures/made.svg"))
        #expect(String(decoding: FileManager.default.contents(atPath: committed.path) ?? Data(), as: UTF8.self).contains("r=\"1\""))
    }
}

@Test func closureArgumentsAreNamesNotNumbers() {
    #expect(HTML.highlight("xs.map { $0 + 1 }") == "xs.map { $0 + <span class=\"nu\">1</span> }")
}

@Test func stepsInsideListsAndQuotes() throws {
    let path = CourseCLI.fixtures.appendingPathComponent("site-nested.md").path
    let chapter = try ChapterLoader.load(path)
    #expect(chapter.steps.count == 3)
    let html = HTMLRenderer(chapter: chapter).render().body
    #expect(!html.contains("nestedSecret = 1"), "a hidden step in a list stays hidden")
    #expect(html.contains("<li>\n<p>First, a hidden step and a visible one:</p>\n<div class=\"step\" id=\"step-inner\">"))
    #expect(html.contains("<div class=\"output\"><div class=\"output-label\">output</div><pre><code>inner &lt;ok&gt; 1</code></pre></div>\n</div>\n</li>"))
    #expect(!html.contains("<script") && !html.contains("<b>"), "the chapter's raw HTML never reaches the page")
    #expect(html.contains("<blockquote>\n<p>A quoted step:</p>\n<div class=\"step\" id=\"step-3\">"))
    #expect(!html.contains("language-output"), "outputs are not repeated as code")
}

@Test func aChapterCannotReplaceTheIndex() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("site-index-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("index.md").path
    try "---\nid: index\n---\n# Index\n".write(toFile: path, atomically: true, encoding: .utf8)
    do {
        _ = try SiteRenderer(chapterPaths: [path], report: nil).render()
        Issue.record("a chapter with id 'index' was accepted")
    } catch {
        #expect(String(describing: error).contains("has the id 'index'"))
    }
}

@Suite struct SummaryHTMLTests {
    @Test func backticksInASummaryBecomeCode() {
        #expect(HTML.summary("run `finetune <x>` & see") == "run <code>finetune &lt;x&gt;</code> &amp; see")
        #expect(HTML.summary("one ` alone") == "one ` alone", "an unpaired backtick stays text")
    }
}
