import Foundation
import Testing

// `course step` in a real terminal (tmux): what a learner stumbles on (issue 21).

private let env = ["NO_COLOR": "1", "COURSE_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("course-test-cache").path]
private let intro = "Chapters/00-how-this-course-works.md"

@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux (Scripts/test.sh installs it)"))
struct StepExperienceTests {
    @Test func quittingEarlyIsNotRunAndKeepsTheLastFullResult() throws {
        let dir = try introWorkspace()
        // Its own cache: the results kept there are this test's alone.
        let own = ["COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path]
        let full = try CourseCLI.run(["run", intro], in: dir, environment: own)
        #expect(full.status == 0)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: env.merging(own) { $1 })
        #expect(try tmux.waitFor("[enter] run"))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("scores for 3 labels"))
        #expect(try tmux.waitFor("softmax"))
        try tmux.send("q")
        #expect(try tmux.waitFor("[exit 0]"))
        let list = try CourseCLI.run(["list"], in: dir, environment: own)
        #expect(list.stdout.contains("✓ 8 passed, 0 failed, 0 skipped"), "the full run stays the result: \(list.stdout)")
        #expect(list.stdout.contains("· partial run: 1 passed, 0 failed, 7 not run"), "\(list.stdout)")
        #expect(!list.stdout.contains("✗"), "\(list.stdout)")
    }

    @Test func arrowKeysDoNotQuit() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: env)
        #expect(try tmux.waitFor("[enter] run"))
        try tmux.send("Up")
        try tmux.send("Down")
        try tmux.send("Left")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try !tmux.screen().contains("stopped before"))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("scores for 3 labels"))
        try tmux.send("Escape")
        #expect(try tmux.waitFor("stopped before"), "Esc alone still quits")
    }

    @Test func exerciseShowsHintAndSolutionOnlyOnRequest() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: env)
        #expect(try tmux.waitFor("[enter] run"))
        #expect(try tmux.pressEnter(until: "✏️  exercise argmax"))
        #expect(try tmux.waitFor("[s] solution"))
        var screen = try tmux.screen()
        #expect(screen.contains("// TODO: return the index of the largest element"), "the exercise is shown")
        #expect(!screen.contains("Walk the indices"), "the hint waits for h: \(screen)")
        #expect(!screen.contains("scores.indices.max { scores[$0] < scores[$1] } ?? 0"), "the solution waits for s")
        try tmux.send("h")
        #expect(try tmux.waitFor("Walk the indices"))
        try tmux.send("s")
        #expect(try tmux.waitFor("scores.indices.max { scores[$0] < scores[$1] } ?? 0"))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("9 passed, 0 skipped"))
        screen = try tmux.screen()
        #expect(!screen.contains("## "), "headings are shown without their ##")
        #expect(screen.contains("Steps share state"))
    }

    @Test func stepOutputDetails() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: env)
        #expect(try tmux.waitFor("[enter] run"))
        let first = try tmux.screen()
        #expect(first.contains("── 1/8 \"logits\""), "steps are numbered among those shown: \(first)")
        // Step 3 ("loss") prints more digits than its approx= block documents: both are shown.
        #expect(try tmux.pressEnter(until: "── documented output ──"))
        let screen = try tmux.screen()
        #expect(screen.contains("loss: 1.741311\n"), "\(screen)")
        #expect(screen.contains("── 4/8 \"timing\""))
        // Ctrl-C ends on a clean line.
        try tmux.send("C-c")
        #expect(try tmux.waitFor("[exit 130]"))
        let after = try tmux.screen()
        #expect(after.split(separator: "\n").contains { $0.hasPrefix("[exit 130]") }, "\(after)")
    }
}

extension TmuxSession {
    /// Presses Enter (running steps, or reading on past a full screen) until `text` shows.
    func pressEnter(until text: String, times: Int = 20) throws -> Bool {
        for _ in 0..<times {
            if try screen().contains(text) { return true }
            try send("Enter")
            Thread.sleep(forTimeInterval: 0.5)
        }
        return try waitFor(text)
    }
}
