import Foundation
import TestSupport
import Testing
@testable import CourseKit

// `course step` and `course exercise check --watch` under a real terminal (tmux), and the
// stepper with scripted keys.

private let repoChapter = TestPaths.packageRoot.appendingPathComponent("Chapters/00-how-this-course-works.md")

private func introWorkspace() throws -> URL {
    let dir = try CourseCLI.workspace([])
    try FileManager.default.copyItem(at: repoChapter, to: dir.appendingPathComponent("Chapters/00-how-this-course-works.md"))
    return dir
}

private let env = ["NO_COLOR": "1", "COURSE_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("course-test-cache").path]

@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux (Scripts/test.sh installs it)"))
struct TerminalTests {
    @Test func stepThroughTheIntroChapter() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step Chapters/00-how-this-course-works.md", in: dir, environment: env)
        #expect(try tmux.waitFor("── 1/8 \"logits\""))
        let before = try tmux.screen()
        #expect(before.contains("How this course works"), "prose comes first")
        #expect(before.contains("[enter] run  [j] jump  [r] restart  [q] quit"))
        #expect(!before.contains("scores for 3 labels"), "nothing runs before the key press")

        try tmux.send("Enter")
        #expect(try tmux.waitFor("scores for 3 labels"))
        #expect(try tmux.waitFor("✓ matches the documented output"))
        #expect(try tmux.waitFor("── 2/8 \"softmax\""))

        // r restarts from the top; the program is not recompiled, the first step is offered again.
        try tmux.send("r")
        #expect(try tmux.waitFor("— restarting Chapters/00-how-this-course-works.md —"))
        #expect(try tmux.waitFor("── 1/8 \"logits\""))
        #expect(try tmux.pressEnter(until: "✏️  exercise argmax"))
        try tmux.send("h")
        #expect(try tmux.waitFor("hint: Walk the indices of scores"))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("9 passed, 0 skipped"))
        #expect(try tmux.waitFor("[exit 0]"))
        let screen = try tmux.screen()
        #expect(!screen.contains("for (scores, expected) in checks"), "the hidden check's code is not shown")
        #expect(screen.contains("What you have seen"), "the closing prose is shown")
    }

    @Test func quitStopsCleanly() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step Chapters/00-how-this-course-works.md", in: dir, environment: env)
        #expect(try tmux.waitFor("── 1/8 \"logits\""))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("── 2/8 \"softmax\""))
        try tmux.send("q")
        #expect(try tmux.waitFor("stopped before step 2 \"softmax\""))
        #expect(try tmux.waitFor("1 passed, 0 skipped, 8 not run"))
        #expect(try tmux.waitFor("[exit 0]"))
    }

    @Test func exerciseFailsThenPassesUnderWatch() throws {
        let dir = try introWorkspace()
        let start = try CourseCLI.run(["exercise", "start", "argmax"], in: dir)
        #expect(start.stdout.contains("wrote Exercises/how-this-course-works/argmax.swift"))
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' exercise check argmax --watch", in: dir, environment: env)
        #expect(try tmux.waitFor("— checking Exercises/how-this-course-works/argmax.swift —"))
        #expect(try tmux.waitFor("✗ argmax: not yet"))
        #expect(try !tmux.screen().contains("changed"), "the first check is not a change")
        #expect(try tmux.waitFor("FAIL argmax([-3.0, 7.0, 1.0]) is 0, expected 1"))

        let file = dir.appendingPathComponent("Exercises/how-this-course-works/argmax.swift")
        let attempt = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "    return 0", with: "    scores.indices.max { scores[$0] < scores[$1] } ?? 0")
        Thread.sleep(forTimeInterval: 1.1)   // a new modification time even on coarse clocks
        try attempt.write(to: file, atomically: true, encoding: .utf8)
        #expect(try tmux.waitFor("argmax.swift changed, checking"))
        #expect(try tmux.waitFor("✓ argmax: passed"))
        #expect(try tmux.screen().contains("PASS argmax([0.1, 0.2, 0.3]) is 2, expected 2"))

        let list = try CourseCLI.run(["list"], in: dir)
        #expect(list.stdout.contains("✓ ✏️  argmax: passed"))
    }
}

@Test func stepWithoutATerminalBehavesAsRun() throws {
    let dir = try introWorkspace()
    let r = try CourseCLI.run(["step", "Chapters/00-how-this-course-works.md"], in: dir)
    #expect(r.status == 0)
    #expect(r.stderr.contains("not a terminal; running the chapter as `course run` does"))
    #expect(r.lines.last(where: { !$0.isEmpty }) == "9 passed, 0 failed, 0 skipped")
}

@Test func stepperWithScriptedKeys() throws {
    let text = "# T\n\nFirst prose.\n\n```swift id=one\nprint(\"1\")\n```\n\n```output\n1\n```\n\nMiddle prose.\n\n```swift hidden\nprint(\"\", terminator: \"\")\n```\n\n```swift id=two\nprint(\"2\")\n```\n\n```output\nnot 2\n```\n"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    let dir = try CourseCLI.workspace([])
    var environment = try Environment.discover()
    environment.cache = dir.appendingPathComponent(".course")
    var screen = ""
    var keys: [Stepper.Key] = [.other, .hint, .solution, .run, .run]
    let stepper = Stepper(chapter: chapter, environment: environment, style: Style(enabled: false), width: 80,
                          write: { screen += $0 }, readKey: { keys.isEmpty ? .quit : keys.removeFirst() })
    let result = try stepper.run()
    #expect(result.passed == 2 && result.failed == 1)
    #expect(screen.contains("First prose."))
    #expect(!screen.contains("hint"), "h and s do nothing outside an exercise")
    #expect(screen.contains("── output ──\n1\n✓ matches the documented output"))
    #expect(screen.contains("── 1/2 \"one\""), "the hidden step is not counted")
    #expect(screen.contains("Middle prose."))
    #expect(!screen.contains("terminator"), "hidden steps are not shown")
    #expect(screen.contains("-not 2\n+2"), "a mismatch shows its diff")
    #expect(screen.contains("2 passed, 1 failed, 0 skipped"))
}

@Test func stepperShowsNoEmptyOutputBoxAndWaitsBeforeScrolling() throws {
    let text = "# T\n\n```swift id=quiet\nlet x = 1\n```\n\n```swift id=loud\nfor i in 1...6 { print(\"line \\(i)\") }\n```\n\n```output\n...\n```\n\n"
        + (1...12).map { "Prose paragraph \($0)." }.joined(separator: "\n\n") + "\n\n```swift id=last\nprint(x)\n```\n\n```output\n1\n```\n"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    let dir = try CourseCLI.workspace([])
    var environment = try Environment.discover()
    environment.cache = dir.appendingPathComponent(".course")
    var screen = ""
    var keys: [Stepper.Key] = [.run, .run, .run, .run]
    let stepper = Stepper(chapter: chapter, environment: environment, style: Style(enabled: false), width: 80, rows: { 20 },
                          write: { screen += $0 }, readKey: { keys.isEmpty ? .quit : keys.removeFirst() })
    let result = try stepper.run()
    #expect(result.passed == 3, "\(screen)")
    #expect(screen.contains("[K✓ done (prints nothing)"), "no output box for a step that prints nothing: \(screen)")
    #expect(screen.components(separatedBy: "── output ──").count == 3, "only the steps that print have an output box")
    #expect(screen.contains("── documented output ──\n..."), "a wildcard block is shown beside the real output")
    // Six lines of output, then 12 paragraphs before the next step: more than 20 rows, so it waits.
    #expect(screen.contains("line 6\n✓ matches the documented output"))
    #expect(screen.contains("[enter] read on  [q] quit "), "\(screen)")
    #expect(screen.components(separatedBy: "[enter] read on").count == 2)
}
