import Foundation
import Testing
@testable import CourseKit

// The words `course` itself prints, in the learner's language: `--lang`, else COURSE_LANG,
// else a translation's own `lang:`, else the locale; English by default and unchanged.
// Fixture: Fixtures/translation (a source chapter with zh and ja translations), plus a German
// translation written here; the steps print at once (nothing is trained).

private func languageWorkspace() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("course-ui-lang-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CourseCLI.fixtures.appendingPathComponent("translation"),
                                     to: dir.appendingPathComponent("Chapters"))
    // A German translation: the Japanese one with German front matter and hint.
    let ja = try String(contentsOf: dir.appendingPathComponent("Chapters/ja/01-counting.md"), encoding: .utf8)
    let de = ja.replacingOccurrences(of: "lang: ja\n", with: "lang: de\n")
        .replacingOccurrences(of: "title: トークンを数える", with: "title: Tokens zählen")
        .replacingOccurrences(of: "文字列には `uppercased()` があります。", with: "Strings haben `uppercased()`.")
    #expect(de.contains("Strings haben"), "the German hint replaced the Japanese one")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("Chapters/de"), withIntermediateDirectories: true)
    try de.write(to: dir.appendingPathComponent("Chapters/de/01-counting.md"), atomically: true, encoding: .utf8)
    return dir
}

/// `course` in `dir` with its own state (results and exercise progress), so tests do not see each other's.
private func course(_ arguments: [String], in dir: URL, environment: [String: String] = [:]) throws -> CLIResult {
    try CourseCLI.run(arguments, in: dir, environment: environment.merging(["COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path]) { $1 })
}

private let tmuxEnv = ["NO_COLOR": "1", "COURSE_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("course-test-cache").path]

struct TerminalLanguageChoiceTests {
    @Test func firstGivenDecides() {
        #expect(TerminalStrings.choose(flag: nil, environment: [:]).language == .english)
        #expect(TerminalStrings.choose(flag: "zh", environment: [:]).language.tag == "zh-Hans")
        #expect(TerminalStrings.choose(flag: nil, environment: ["COURSE_LANG": "ja", "LANG": "de_DE.UTF-8"]).language.tag == "ja")
        #expect(TerminalStrings.choose(flag: "de", environment: ["COURSE_LANG": "ja"]).language.tag == "de")
        // A translation's language comes after COURSE_LANG and before the locale.
        #expect(TerminalStrings.choose(flag: nil, chapterLanguage: .named("zh-Hans"), environment: ["LANG": "de_DE.UTF-8"]).language.tag == "zh-Hans")
        #expect(TerminalStrings.choose(flag: nil, chapterLanguage: .named("zh-Hans"), environment: ["COURSE_LANG": "de"]).language.tag == "de")
        // Locales as they are written, LC_ALL before LC_MESSAGES before LANG.
        #expect(TerminalStrings.choose(flag: nil, environment: ["LANG": "zh_CN.UTF-8"]).language.tag == "zh-Hans")
        #expect(TerminalStrings.choose(flag: nil, environment: ["LANG": "ja_JP.UTF-8", "LC_ALL": "de-DE"]).language.tag == "de")
        #expect(TerminalStrings.choose(flag: nil, environment: ["LANG": "ja_JP.UTF-8", "LC_MESSAGES": "de_AT"]).language.tag == "de")
        // An explicit choice without strings of its own (fr, en, C) is English, not the next in line.
        #expect(TerminalStrings.choose(flag: "fr", environment: ["LANG": "de_DE.UTF-8"]).language == .english)
        #expect(TerminalStrings.choose(flag: nil, environment: ["COURSE_LANG": "en", "LANG": "de_DE.UTF-8"]).language == .english)
        #expect(TerminalStrings.choose(flag: nil, environment: ["LANG": "C.UTF-8"]).language == .english)
        #expect(TerminalStrings.choose(flag: nil, environment: ["LANG": "zh_TW.UTF-8"]).language == .english, "traditional Chinese is not zh-Hans")
        #expect(TerminalStrings.choose(flag: nil, environment: ["COURSE_LANG": "", "LANG": "ja_JP.UTF-8"]).language.tag == "ja")
    }

    @Test func everyLanguageLabelsStepsWithTheirIDsVerbatim() throws {
        let chapter = try ChapterParser.parse("```swift id=loss\nprint(1)\n```\n", path: "x.md")
        let step = try #require(chapter.steps.first)
        #expect(TerminalStrings.english.stepLabel(step) == "step 1 \"loss\"")
        #expect(TerminalStrings.chinese.stepLabel(step) == "第 1 步 \"loss\"")
        #expect(TerminalStrings.japanese.stepLabel(step) == "ステップ 1 \"loss\"")
        #expect(TerminalStrings.german.stepLabel(step) == "Schritt 1 \"loss\"")
    }
}

@Suite(.serialized) struct TerminalLanguageCLITests {
    @Test func listSpeaksJapanese() throws {
        let dir = try languageWorkspace()
        let r = try course(["list", "--lang", "ja"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Chapters/01-counting.md\n    Counting tokens\n    未実行\n"), "\(r.stdout)")
        #expect(r.stdout.contains("    · ✏️  shout：未着手\n"), "\(r.stdout)")
        #expect(r.stdout.contains("↳ 日本語 (ja): Chapters/ja/01-counting.md"))
        #expect(!r.stdout.contains("not run yet") && !r.stdout.contains("not started"), "\(r.stdout)")
    }

    @Test func exerciseCommandsSpeakGerman() throws {
        let dir = try languageWorkspace()
        let hint = try course(["exercise", "hint", "shout", "--lang", "de"], in: dir)
        #expect(hint.stdout == "Strings haben uppercased().\n", "\(hint.stdout)\(hint.stderr)")
        let start = try course(["exercise", "start", "shout", "--lang", "de"], in: dir)
        #expect(start.stdout == "Exercises/counting/shout.swift angelegt: bearbeite die Datei, dann `course exercise check shout --lang de` ausführen\n",
                "\(start.stdout)\(start.stderr)")
        let file = try String(contentsOf: dir.appendingPathComponent("Exercises/counting/shout.swift"), encoding: .utf8)
        #expect(file.hasPrefix("// ✏️ Übung shout, aus Chapters/de/01-counting.md (Zeile 41).\n"
            + "// Ersetze das TODO, speichere, dann: course exercise check shout --lang de   (Tipp: course exercise hint shout --lang de)\n\n"), "\(file)")
        let check = try course(["exercise", "check", "shout", "--lang", "de"], in: dir)
        #expect(check.status == 1)
        let expected = """
            ✗ shout: noch nicht
              dein Code hat ausgegeben:
                hi
              FAIL shout("abc")
              Tipp: course exercise hint shout --lang de

            """
        #expect(check.stdout == expected, "\(check.stdout)\(check.stderr)")
        let list = try course(["exercise", "list"], in: dir, environment: ["COURSE_LANG": "de"])
        #expect(list.stdout.contains("nicht bestanden"), "\(list.stdout)")
        let reset = try course(["exercise", "reset", "shout", "--lang", "de"], in: dir)
        #expect(reset.stdout == "Exercises/counting/shout.swift auf den Startcode zurückgesetzt\n")
    }

    @Test func theLocaleIsTheFallback() throws {
        let dir = try languageWorkspace()
        let german = try course(["list"], in: dir, environment: ["LANG": "de_DE.UTF-8"])
        #expect(german.stdout.contains("    noch nicht ausgeführt\n"), "\(german.stdout)")
        #expect(german.stdout.contains("✏️  shout: nicht begonnen\n"))
        // The hint's text is the chapter's (English here: the locale chooses words, not chapters).
        let hint = try course(["exercise", "hint", "shout"], in: dir, environment: ["LANG": "de_DE.UTF-8"])
        #expect(hint.stdout == "Strings have uppercased().\n")
        let chosen = try course(["list", "--lang", "zh"], in: dir, environment: ["LANG": "de_DE.UTF-8"])
        #expect(chosen.stdout.contains("    尚未运行\n"), "--lang comes first: \(chosen.stdout)")
        let english = try course(["list"], in: dir, environment: ["LANG": "de_DE.UTF-8", "COURSE_LANG": "en"])
        #expect(english.stdout.contains("    not run yet\n"), "COURSE_LANG=en keeps English: \(english.stdout)")
    }

    @Test func englishIsUnchanged() throws {
        let dir = try languageWorkspace()
        for locale in ["C.UTF-8", "en_US.UTF-8", ""] {
            let r = try course(["list"], in: dir, environment: ["LANG": locale])
            #expect(r.stdout.hasPrefix("Chapters/01-counting.md\n    Counting tokens\n    not run yet\n"), "\(locale): \(r.stdout)")
            #expect(r.stdout.contains("    · ✏️  shout: not started\n"))
        }
        let start = try course(["exercise", "start", "shout"], in: dir)
        #expect(start.stdout == "wrote Exercises/counting/shout.swift: edit it, then run `course exercise check shout`\n")
        let file = try String(contentsOf: dir.appendingPathComponent("Exercises/counting/shout.swift"), encoding: .utf8)
        #expect(file.hasPrefix("// ✏️ Exercise shout, from Chapters/01-counting.md (line 47).\n"
            + "// Replace the TODO, save, then: course exercise check shout   (hint: course exercise hint shout)\n\n"), "\(file)")
        let check = try course(["exercise", "check", "shout"], in: dir)
        #expect(check.stdout == """
            ✗ shout: not yet
              your code printed:
                hi
              FAIL shout("abc")
              hint: course exercise hint shout

            """, "\(check.stdout)")
        let again = try course(["exercise", "start", "shout"], in: dir)
        #expect(again.stdout == "Exercises/counting/shout.swift already exists (your work is kept; `course exercise reset shout` starts over)\n")
    }
}

@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux (Scripts/test.sh installs it)"))
struct TerminalLanguageStepTests {
    @Test func stepperSpeaksChineseInAChineseTranslation() throws {
        let dir = try languageWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step Chapters/zh/01-counting.md", in: dir,
                       environment: tmuxEnv.merging(["COURSE_LANG": "zh"]) { $1 })
        #expect(try tmux.waitFor("[enter] 运行  [j] 跳转  [r] 重新开始  [q] 退出"))
        #expect(try tmux.screen().contains("── 1/3 \"words\""), "ids stay as they are")
        try tmux.send("Enter")
        #expect(try tmux.waitFor("✓ 与文档中的输出一致"))
        #expect(try tmux.screen().contains("── 输出 ──"))
        #expect(try tmux.pressEnter(until: "练习 shout"))
        #expect(try tmux.waitFor("[enter] 运行参考答案  [h] 提示  [s] 参考答案"))
        #expect(try tmux.screen().contains("✏️ 动手试试：course exercise start shout --lang zh"), "the commands find the Chinese starting code")
        try tmux.send("h")
        #expect(try tmux.waitFor("提示：字符串有 uppercased() 方法。"))
        try tmux.send("q")
        #expect(try tmux.waitFor("已停在第 3 步（参考答案 shout）之前；再次运行 `course step"))
        #expect(try tmux.waitFor("通过 2，跳过 0，未运行 2"))
        let screen = try tmux.screen()
        for english in ["[enter] run", "matches the documented output", "── output ──", "Your turn", "stopped before", "passed"] {
            #expect(!screen.contains(english), "no English frame: \(english)\n\(screen)")
        }
    }

    @Test func aTranslationSpeaksItsOwnLanguageAndTheLocaleIsTheFallback() throws {
        let dir = try languageWorkspace()
        let ja = TmuxSession()
        defer { ja.kill() }
        try ja.start("'\(CourseCLI.binary.path)' step Chapters/ja/01-counting.md", in: dir, environment: tmuxEnv)
        #expect(try ja.waitFor("[enter] 実行  [j] ジャンプ  [r] 最初から  [q] 終了"))
        try ja.send("q")
        #expect(try ja.waitFor("の前で止めました"))

        let de = TmuxSession()
        defer { de.kill() }
        try de.start("'\(CourseCLI.binary.path)' step Chapters/01-counting.md", in: dir,
                     environment: tmuxEnv.merging(["LANG": "de_DE.UTF-8"]) { $1 })
        #expect(try de.waitFor("[enter] ausführen  [j] springen  [r] neu starten  [q] beenden"))
        try de.send("Enter")
        #expect(try de.waitFor("✓ stimmt mit der dokumentierten Ausgabe überein"))
        try de.send("q")
        #expect(try de.waitFor("Angehalten vor Schritt 2 \"labels\""))
    }

    @Test func englishStepperIsUnchanged() throws {
        let dir = try languageWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step Chapters/01-counting.md", in: dir,
                       environment: tmuxEnv.merging(["LANG": "en_US.UTF-8"]) { $1 })
        #expect(try tmux.waitFor("[enter] run  [j] jump  [r] restart  [q] quit"))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("✓ matches the documented output"))
        #expect(try tmux.pressEnter(until: "✏️  exercise shout"))
        #expect(try tmux.waitFor("[enter] run the solution  [h] hint  [s] solution  [j] jump  [r] restart  [q] quit"))
        #expect(try tmux.screen().contains("✏️ Your turn: course exercise start shout puts the starting code"))
        try tmux.send("q")
        #expect(try tmux.waitFor("stopped before step 3 (solution shout); `course step Chapters/01-counting.md` offers to go on"))
        #expect(try tmux.waitFor("2 passed, 0 skipped, 2 not run"))
    }
}

struct TerminalLanguageReportTests {
    @Test func runReportSpeaksTheTranslationsLanguage() throws {
        let dir = try languageWorkspace()
        let ja = try course(["run", "Chapters/ja/01-counting.md"], in: dir)
        #expect(ja.status == 0, "\(ja.stdout)\(ja.stderr)")
        #expect(ja.stdout.contains("  ✓ ステップ 1 \"words\""), "\(ja.stdout)")
        #expect(ja.stdout.contains("成功 4、失敗 0、スキップ 0"), "\(ja.stdout)")
        #expect(ja.lines.last { !$0.isEmpty } == "成功 4、失敗 0、スキップ 0")
        let english = try course(["run", "Chapters/01-counting.md"], in: dir)
        #expect(english.stdout.contains("  ✓ step 1 \"words\"                 "), "\(english.stdout)")
        #expect(english.lines.last { !$0.isEmpty } == "4 passed, 0 failed, 0 skipped")
    }
}

struct TerminalRendererLanguageTests {
    @Test func imagesAreNamedInTheLearnersLanguage() {
        let english = TerminalRenderer(style: Style(enabled: false))
        #expect(english.render("![Loss per epoch](figures/x.svg)") == "[image: Loss per epoch]")
        var chinese = TerminalRenderer(style: Style(enabled: false))
        chinese.image = { "[图：\($0)]" }
        #expect(chinese.render("![每轮的损失](figures/x.svg)") == "[图：每轮的损失]")
    }
}

struct ThrownErrorLanguageTests {
    private let why = "the step threw an error at Exercises/c/x.swift:3 and nothing caught it (catch it, or mark the step "
        + "expect-error if the error is the lesson):\n  error: oops: bad input\nits output before the error:\n  hi"

    @Test func theFrameIsTranslatedTheErrorIsNot() {
        let code = "func f() throws {\n    throw Oops()\n}\n"
        let english = ThrownError.blame(why, code: code, file: "Exercises/c/x.swift", calledFrom: "Chapters/c.md:40")
        #expect(english == "Exercises/c/x.swift:2: your code threw an error: oops: bad input\n  (the check called it at Chapters/c.md:40)\nits output before the error:\n  hi")
        let german = ThrownError.blame(why, code: code, file: "Exercises/c/x.swift", strings: .german, calledFrom: "Chapters/c.md:40")
        #expect(german == "Exercises/c/x.swift:2: dein Code hat einen Fehler geworfen: oops: bad input\n  (die Prüfung hat ihn bei Chapters/c.md:40 aufgerufen)\nAusgabe vor dem Fehler:\n  hi")
    }
}
