import Foundation
import Testing
@testable import CourseKit

// Translations: checked against their source by `course check` (never run), listed under their
// source, readable through `course exercise --lang`, and rendered as pages of the site with a
// language switcher. Fixture: Fixtures/translation (a source chapter, zh and ja translations,
// their glossaries), copied into a fresh course directory.

private func translationWorkspace() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("course-i18n-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CourseCLI.fixtures.appendingPathComponent("translation"),
                                     to: dir.appendingPathComponent("Chapters"))
    return dir
}

/// Replaces `old` (which must occur once) with `new` in a file of the workspace.
private func edit(_ dir: URL, _ path: String, _ old: String, _ new: String) throws {
    let url = dir.appendingPathComponent(path)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.components(separatedBy: old).count == 2, "\(old) occurs once in \(path)")
    try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
}

@Suite(.serialized) struct TranslationCLITests {
    @Test func checkComparesTranslationsWithoutRunningThem() throws {
        let dir = try translationWorkspace()
        let r = try CourseCLI.run(["check"], in: dir)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("Chapters/zh/01-counting.md  简体中文 translation of Chapters/01-counting.md"))
        #expect(r.stdout.contains("Chapters/ja/01-counting.md  日本語 translation of Chapters/01-counting.md"))
        #expect(r.stdout.contains("✓ 5 steps match the source"))
        #expect(!r.stdout.contains("warning"), "the fixtures use their glossaries' terms")
        // 4 steps of the source run (the exercise's starting code is not run) + 5 compared per translation.
        #expect(r.lines.last(where: { !$0.isEmpty }) == "14 passed, 0 failed, 0 skipped")
        // Only the source is compiled and run: one chapter header with step results.
        #expect(r.stdout.components(separatedBy: "\"words\"").count - 1 == 1, "\(r.stdout)")
    }

    @Test func editedSourceCodeMakesTranslationsStale() throws {
        let dir = try translationWorkspace()
        // Same output, different code: the source still passes; its translations no longer match it.
        try edit(dir, "Chapters/01-counting.md", "$0.count > 2 ?", "$0.count >= 3 ?")
        let r = try CourseCLI.run(["check"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✓ step 2 \"labels\""), "the source itself passes")
        #expect(r.stdout.contains("Chapters/zh/01-counting.md:30: stale translation: step 2 \"labels\" differs from Chapters/01-counting.md:34"), "\(r.stdout)")
        #expect(r.stdout.contains("Chapters/ja/01-counting.md:29: stale translation: step 2 \"labels\" differs from Chapters/01-counting.md:34"))
        #expect(r.stdout.contains("--- Chapters/01-counting.md:34 (source)"))
        #expect(r.stdout.contains("+++ Chapters/zh/01-counting.md:30 (translation)"))
        #expect(r.stdout.contains("-let labels = tokens.map { $0.count >= 3 ? \"LONG\" : \"SHORT\" }"))
        #expect(r.stdout.contains("+let labels = tokens.map { $0.count > 2 ? \"LONG\" : \"SHORT\" }"))
        #expect(r.lines.last(where: { !$0.isEmpty }) == "12 passed, 2 failed, 0 skipped")

        // Checking the source alone checks its translations too.
        let one = try CourseCLI.run(["check", "Chapters/01-counting.md"], in: dir)
        #expect(one.status == 1)
        #expect(one.stdout.contains("Chapters/zh/01-counting.md:30: stale translation"))
    }

    @Test func outputsAttributesAndExercisesMustMatch() throws {
        let dir = try translationWorkspace()
        try edit(dir, "Chapters/zh/01-counting.md", "```output\nHI\n```", "```output\nHi\n```")
        try edit(dir, "Chapters/zh/01-counting.md", "```swift id=words", "```swift id=words timeout=30")
        for role in ["exercise", "solution", "check"] { try edit(dir, "Chapters/ja/01-counting.md", "\(role)=shout", "\(role)=yell") }
        try edit(dir, "Chapters/ja/01-counting.md", "> 文字列には `uppercased()` があります。", "")
        let r = try CourseCLI.run(["check", "Chapters/zh/01-counting.md", "Chapters/ja/01-counting.md"], in: dir)
        #expect(r.status == 1)
        #expect(!r.stdout.contains("✓ step 1"), "a translation given alone is compared, not run")
        #expect(r.stdout.contains("Chapters/zh/01-counting.md:13: stale translation: step 1 \"words\" differs from Chapters/01-counting.md:17"))
        #expect(r.stdout.contains("-```swift id=words\n") && r.stdout.contains("+```swift id=words timeout=30\n"))
        #expect(r.stdout.contains("stale translation: step 3 (solution shout) differs"))
        #expect(r.stdout.contains("-HI\n") && r.stdout.contains("+Hi\n"))
        #expect(r.stdout.contains("Chapters/ja/01-counting.md:41: stale translation: exercise yell differs from Chapters/01-counting.md:47"))
        #expect(r.stdout.contains("-```swift exercise=shout") && r.stdout.contains("+```swift exercise=yell"))
    }

    /// `--lang` on a source chapter reads its translation (and a language it lacks, the source).
    @Test func langReadsTheTranslation() throws {
        let dir = try translationWorkspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let zh = try CourseCLI.run(["run", "01-counting", "--lang", "zh"], in: dir)
        #expect(zh.status == 0, "\(zh.stdout)\n\(zh.stderr)")
        #expect(zh.stdout.hasPrefix("Chapters/zh/01-counting.md"), "\(zh.stdout)")
        let viaEnv = try CourseCLI.run(["run", "01-counting"], in: dir, environment: ["COURSE_LANG": "ja"])
        #expect(viaEnv.stdout.hasPrefix("Chapters/ja/01-counting.md"), "\(viaEnv.stdout)")
        let german = try CourseCLI.run(["run", "01-counting", "--lang", "de"], in: dir)
        #expect(german.stdout.hasPrefix("Chapters/01-counting.md"), "no German translation: the source, \(german.stdout)")
    }

    @Test func translationTakesRunSettingsFromItsSource() throws {
        let dir = try translationWorkspace()
        let run = try CourseCLI.run(["run", "Chapters/zh/01-counting.md"], in: dir)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        // A translation's report is in its language (TerminalLanguageTests); the step passes.
        #expect(run.stdout.contains("✓ 第 1 步 \"words\""), "same work directory and threads as the source")

        try edit(dir, "Chapters/zh/01-counting.md", "lang: zh-Hans\n", "lang: zh-Hans\nthreads: 2\n")
        try edit(dir, "Chapters/ja/01-counting.md", "translation-of: ../01-counting.md", "translation-of: ../01-missing.md")
        let bad = try CourseCLI.run(["check"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("Chapters/zh/01-counting.md:3: error: a translation takes 'threads' from its source (Chapters/01-counting.md): remove this line"))
        #expect(bad.stdout.contains("Chapters/ja/01-counting.md:1: error: translation-of names Chapters/01-missing.md, which does not exist"))
    }

    @Test func glossaryTermLeftInEnglishWarns() throws {
        let dir = try translationWorkspace()
        try edit(dir, "Chapters/zh/01-counting.md", "再给每个 token 一个标签。", "再给每个 token 一个 label。`label` 在代码里不算。")
        let r = try CourseCLI.run(["check", "Chapters/zh/01-counting.md"], in: dir)
        #expect(r.status == 0, "a warning, not a failure")
        #expect(r.stdout.contains("Chapters/zh/01-counting.md:9: warning: 'label' is left in English; the glossary (Chapters/zh/glossary.md) says 标签"))
        #expect(r.stdout.components(separatedBy: "warning:").count - 1 == 1, "inline code and the 微调（fine-tuning） gloss are not warned about")
    }

    @Test func listShowsTranslationsUnderTheirSource() throws {
        let dir = try translationWorkspace()
        let r = try CourseCLI.run(["list"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("Chapters/01-counting.md\n    Counting tokens\n"))
        #expect(r.stdout.contains("    ↳ 简体中文 (zh-Hans): Chapters/zh/01-counting.md  数 token"))
        #expect(r.stdout.contains("    ↳ 日本語 (ja): Chapters/ja/01-counting.md  トークンを数える"))
        #expect(!r.stdout.contains("\nChapters/zh/"), "translations are not chapters of their own")
    }

    @Test func exercisesInATranslation() throws {
        let dir = try translationWorkspace()
        let hint = try CourseCLI.run(["exercise", "hint", "shout", "--lang", "zh"], in: dir)
        #expect(hint.stdout == "字符串有 uppercased() 方法。\n", "\(hint.stdout)\(hint.stderr)")
        let english = try CourseCLI.run(["exercise", "hint", "shout"], in: dir)
        #expect(english.stdout == "Strings have uppercased().\n")
        let ja = try CourseCLI.run(["exercise", "hint", "shout"], in: dir, environment: ["COURSE_LANG": "ja"])
        #expect(ja.stdout == "文字列には uppercased() があります。\n")

        let start = try CourseCLI.run(["exercise", "start", "shout", "--lang", "ja"], in: dir)
        #expect(start.status == 0)
        let file = dir.appendingPathComponent("Exercises/counting/shout.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("// TODO: s を大文字にして返す"), "the starting code's comments are the translation's")
        #expect(text.contains("// ✏️ 演習 shout（Chapters/ja/01-counting.md の "), "the header is in the language asked for: \(text)")
        // Same exercise and file whatever the language: an English check sees the Japanese start.
        let failing = try CourseCLI.run(["exercise", "check", "shout"], in: dir)
        #expect(failing.status == 1)
        try text.replacingOccurrences(of: "return s\n", with: "return s.uppercased()\n").write(to: file, atomically: true, encoding: .utf8)
        let passing = try CourseCLI.run(["exercise", "check", "shout", "--lang", "zh"], in: dir)
        #expect(passing.status == 0, "\(passing.stdout)")

        let none = try CourseCLI.run(["exercise", "hint", "shout", "--lang", "fr"], in: dir)
        #expect(none.status != 0)
        #expect(none.stderr.contains("Chapters/01-counting.md has no 'fr' translation; it has: zh-Hans, ja"))
    }

    @Test func siteHasAPagePerLanguageWithASwitcher() throws {
        let dir = try translationWorkspace()
        let made = try CourseCLI.run(["site"], in: dir)
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        let site = dir.appendingPathComponent("Site")
        func page(_ name: String) throws -> String { try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8) }
        let zh = try page("counting.zh-hans.html"), ja = try page("counting.ja.html"), en = try page("counting.html")
        #expect(zh.contains("<html lang=\"zh-Hans\">"))
        #expect(ja.contains("<html lang=\"ja\">"))
        #expect(en.contains("<html lang=\"en\">"))
        #expect(zh.contains("<nav class=\"languages\" aria-label=\"语言\"><a href=\"counting.html\" hreflang=\"en\" lang=\"en\">English</a> "
            + "<span aria-current=\"page\" lang=\"zh-Hans\">简体中文</span> <a href=\"counting.ja.html\" hreflang=\"ja\" lang=\"ja\">日本語</a></nav>"))
        #expect(en.contains("<a href=\"counting.zh-hans.html\" hreflang=\"zh-Hans\" lang=\"zh-Hans\">简体中文</a>"))
        #expect(zh.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"counting.html\">"))
        // The site's own words are in the page's language too; the code and outputs are the source's.
        #expect(zh.contains("<p class=\"toc-title\">目录</p>"))
        #expect(zh.contains("第 1 步"))
        #expect(zh.contains("<summary>提示</summary>") && zh.contains("<summary>参考答案</summary>"))
        #expect(zh.contains("course exercise start shout --lang zh-Hans"))
        #expect(zh.contains("<h2 id=\"标签\">"), "headings in any script get readable anchors")
        #expect(ja.contains("<summary>ヒント</summary>"))
        #expect(zh.contains("LONG LONG LONG // not a comment"))
        #expect(zh.contains("按空格切分"), "translated comments are shown")
        let index = try page("index.html")
        #expect(index.contains("<a href=\"counting.zh-hans.html\" hreflang=\"zh-Hans\" lang=\"zh-Hans\">简体中文: 数 token</a>"))
        #expect(index.contains("<a href=\"counting.ja.html\" hreflang=\"ja\" lang=\"ja\">日本語: トークンを数える</a>"))
        // An index per language: its chapters' translated titles, its own words, a switcher between the indexes,
        // and the translated pages lead back to it.
        let zhIndex = try page("index.zh-hans.html")
        #expect(zhIndex.contains("<html lang=\"zh-Hans\">") && zhIndex.contains("<a href=\"counting.zh-hans.html\">数 token</a>"))
        #expect(zhIndex.contains("<span aria-current=\"page\" lang=\"zh-Hans\">简体中文</span>"))
        #expect(zhIndex.contains("<a href=\"index.ja.html\" hreflang=\"ja\" lang=\"ja\">日本語</a>"))
        #expect(index.contains("<a href=\"index.zh-hans.html\" hreflang=\"zh-Hans\" lang=\"zh-Hans\">简体中文</a>"))
        #expect(zh.contains("<header class=\"top\"><a href=\"index.zh-hans.html\">"))
        #expect(try page("index.ja.html").contains("<a href=\"counting.ja.html\">トークンを数える</a>"))

        let fresh = try CourseCLI.run(["site", "--check"], in: dir)
        #expect(fresh.status == 0, "\(fresh.stdout)")
        try edit(dir, "Chapters/ja/01-counting.md", "ここでは文をトークンに分割し", "ここでは一つの文をトークンに分割し")
        let stale = try CourseCLI.run(["site", "--check"], in: dir)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("differs: Site/counting.ja.html"))
    }

    /// Issue 31: the commands `course exercise` suggests keep the learner's --lang.
    @Test func suggestedCommandsKeepTheLanguage() throws {
        let dir = try translationWorkspace()
        let start = try CourseCLI.run(["exercise", "start", "shout", "--lang", "ja"], in: dir)
        // The words around the command are Japanese now (TerminalLanguageTests); the command keeps --lang.
        #expect(start.stdout.contains("`course exercise check shout --lang ja`"), "\(start.stdout)")
        let file = try String(contentsOf: dir.appendingPathComponent("Exercises/counting/shout.swift"), encoding: .utf8)
        #expect(file.contains("course exercise check shout --lang ja   （ヒント：course exercise hint shout --lang ja）"), "\(file)")
        let again = try CourseCLI.run(["exercise", "start", "shout", "--lang", "ja"], in: dir)
        #expect(again.stdout.contains("`course exercise reset shout --lang ja` で最初からやり直せます"), "\(again.stdout)")
        let failing = try CourseCLI.run(["exercise", "check", "shout", "--lang", "zh"], in: dir)
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("提示：course exercise hint shout --lang zh"), "\(failing.stdout)")
    }

    /// Issue 31: language tags as locales write them resolve, and COURSE_LANG (a standing
    /// preference) falls back to English where a chapter has no translation; --lang does not.
    @Test func regionTagsResolveAndCourseLangFallsBack() throws {
        let dir = try translationWorkspace()
        let zh = try CourseCLI.run(["exercise", "hint", "shout", "--lang", "zh-CN"], in: dir)
        #expect(zh.stdout == "字符串有 uppercased() 方法。\n", "\(zh.stdout)\(zh.stderr)")
        let ja = try CourseCLI.run(["exercise", "hint", "shout"], in: dir, environment: ["COURSE_LANG": "ja-JP"])
        #expect(ja.stdout == "文字列には uppercased() があります。\n", "\(ja.stdout)\(ja.stderr)")
        let locale = try CourseCLI.run(["exercise", "hint", "shout"], in: dir, environment: ["COURSE_LANG": "ja_JP.UTF-8"])
        #expect(locale.stdout == "文字列には uppercased() があります。\n", "\(locale.stdout)\(locale.stderr)")
        let english = try CourseCLI.run(["exercise", "hint", "shout"], in: dir, environment: ["COURSE_LANG": "en-GB"])
        #expect(english.stdout == "Strings have uppercased().\n" && english.stderr.isEmpty, "\(english.stdout)\(english.stderr)")

        let fallback = try CourseCLI.run(["exercise", "hint", "shout"], in: dir, environment: ["COURSE_LANG": "de-DE"])
        #expect(fallback.status == 0, "\(fallback.stderr)")
        #expect(fallback.stdout == "Strings have uppercased().\n", "\(fallback.stdout)")
        // COURSE_LANG=de-DE: the chapter is read in English, the note is in German.
        #expect(fallback.stderr.contains("Hinweis: Chapters/01-counting.md hat noch keine Übersetzung 'de-DE' (COURSE_LANG); es wird auf Englisch gelesen"),
                "\(fallback.stderr)")
        // Traditional Chinese is not the Simplified translation; asked for by --lang, it is an error.
        let traditional = try CourseCLI.run(["exercise", "hint", "shout", "--lang", "zh-TW"], in: dir)
        #expect(traditional.status != 0)
        #expect(traditional.stderr.contains("has no 'zh-TW' translation; it has: zh-Hans, ja"), "\(traditional.stderr)")
    }
}

@Suite struct TranslationUnitTests {
    @Test func commentsAreSetAsideButNotStrings() {
        let code = """
            // a comment line
            let url = "http://x/*y*/"   // trailing
            /* block
               over lines */
            let n = 1 /* inline */ + 2

            print(url, n)
            """
        #expect(TranslationChecker.codeWithoutComments(code) == [
            "let url = \"http://x/*y*/\"", "let n = 1  + 2", "", "print(url, n)",
        ])
    }

    @Test func glossaryParsingAndGlosses() {
        let g = Glossary.parse("""
            | English | 中文 | note |
            |---|---|---|
            | fine-tuning, fine-tune | 微调 | |
            | token | token | kept |
            | learning rate | 学习率 / 学习速率 | |
            """, path: "g.md")
        #expect(g.entries.count == 3)
        #expect(g.entries[1].keptInEnglish)
        #expect(g.entries[2].translations == ["学习率", "学习速率"])
        let text = "先微调（fine-tuning）再看 learning rates 和 tokenizer、fine-tuned 与 retokens。"
        #expect(Glossary.wordRanges(of: "fine-tuning", in: text).count == 1)
        #expect(Glossary.isGloss(Glossary.wordRanges(of: "fine-tuning", in: text)[0], in: text, after: ["微调"]))
        #expect(Glossary.wordRanges(of: "learning rate", in: text).count == 1, "plural counts")
        let near = "词性标注和组块分析（chunking）以及 *不区分大小写*（uncased），但单独的 chunking 不行"
        let ranges = Glossary.wordRanges(of: "chunking", in: near)
        #expect(ranges.count == 2)
        #expect(Glossary.isGloss(ranges[0], in: near, after: ["组块"]), "the term may end a few characters before the bracket")
        #expect(!Glossary.isGloss(ranges[1], in: near, after: ["组块"]))
        #expect(Glossary.isGloss(Glossary.wordRanges(of: "uncased", in: near)[0], in: near, after: ["不区分大小写"]), "emphasis marks are ignored")
        #expect(Glossary.wordRanges(of: "token", in: text).isEmpty, "tokenizer and retokens are other words")
        #expect(Glossary.wordRanges(of: "fine-tune", in: text).isEmpty, "fine-tuned is not fine-tune + s")
        #expect(Glossary.stripInline("a `label` [x](label.html) <b>label</b>") == "a   [x] label")
    }

    @Test func languageTags() {
        #expect(Language.named("zh-hans").name == "简体中文")
        #expect(Language.named("zh-Hans").matches("zh"))
        #expect(!Language.named("ja").matches("zh"))
        #expect(Language.isTag("zh-Hans") && Language.isTag("de") && !Language.isTag("chinese!") && !Language.isTag("z"))
        #expect(Translations.normalize("Chapters/zh/../01-x.md") == "Chapters/01-x.md")
        #expect(HTML.slug("✏️ Your turn: the other tags") == "your-turn-the-other-tags")
        #expect(HTML.slug("分词器：为什么不区分大小写") == "分词器为什么不区分大小写")
    }
}

@Suite struct TerminalTextTests {
    @Test func chineseAndJapaneseWrapBetweenCharacters() {
        #expect(TerminalText.width("数据 ab") == 7)
        let renderer = TerminalRenderer(style: Style(enabled: false), width: 40)
        let text = String(repeating: "模型为每个 token 预测一个标签，因此训练时每个 token 都需要一个标签。", count: 2)
        let lines = renderer.render(text).split(separator: "\n")
        #expect(lines.count > 1)
        for line in lines {
            #expect(TerminalText.width(String(line)) <= 40, "\(line)")
            #expect(!(line.first.map { TerminalText.closing.contains($0) } ?? false), "no line starts with closing punctuation: \(line)")
        }
        #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " },
                "a break only drops a space; none is added between characters")
        #expect(!lines.joined().contains("模 型"))
        #expect(renderer.render("plain English words stay as they were") == "plain English words stay as they were")
    }
}
