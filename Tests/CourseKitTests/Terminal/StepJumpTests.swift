import Foundation
import Testing

// Coming back to a chapter in `course step` (issue 31): `--from`, the j key, and the offer to go
// on where the learner last quit. The steps before the target run without pausing, checked.

private let intro = "Chapters/00-how-this-course-works.md"

@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux (Scripts/test.sh installs it)"))
struct StepJumpTests {
    /// The test's own cache, so the stop it remembers is its alone.
    private func environment(_ dir: URL) -> [String: String] {
        ["NO_COLOR": "1", "COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path]
    }

    @Test func fromRunsTheStepsBeforeWithoutPausing() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro) --from id=loss", in: dir, environment: environment(dir))
        #expect(try tmux.waitFor("── 3/8 \"loss\""))
        #expect(try tmux.waitFor("[enter] run"))
        let screen = try tmux.screen()
        #expect(screen.contains("running the steps before 3/8 without pausing (their outputs are checked)"), "\(screen)")
        #expect(screen.contains("✓ 1/8 \"logits\" ran without pausing"), "\(screen)")
        #expect(screen.contains("✓ 2/8 \"softmax\" ran without pausing"), "\(screen)")
        #expect(!screen.contains("── 1/8"), "no prompt before the target: \(screen)")
        #expect(!screen.contains("scores for 3 labels"), "their outputs are checked, not shown: \(screen)")
        try tmux.send("Enter")
        #expect(try tmux.waitFor("── 4/8"))
        try tmux.send("q")
        #expect(try tmux.waitFor("[exit 0]"))
    }

    @Test func fromTakesTheNumberTheHeadersShow() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro) --from 2", in: dir, environment: environment(dir))
        #expect(try tmux.waitFor("── 2/8 \"softmax\""))
        #expect(try tmux.screen().contains("✓ 1/8 \"logits\" ran without pausing"))
        try tmux.send("q")
        #expect(try tmux.waitFor("[exit 0]"))
        let wrong = try CourseCLI.run(["step", intro, "--from", "nowhere"], in: dir, environment: environment(dir))
        #expect(wrong.status != 0 && wrong.stderr.contains("no step has id=nowhere"), "\(wrong.stdout)\(wrong.stderr)")
    }

    @Test func jKeyJumpsAheadAndBack() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: environment(dir))
        #expect(try tmux.waitFor("── 1/8 \"logits\""))
        try tmux.send("j")
        #expect(try tmux.waitFor("jump to step"))
        try tmux.send("4", "Enter")
        #expect(try tmux.waitFor("── 4/8"))
        var screen = try tmux.screen()
        #expect(screen.contains("✓ 3/8 \"loss\" ran without pausing"), "\(screen)")
        // A name that is no step says so and the prompt stays.
        try tmux.send("j")
        try tmux.send("nosuch", "Enter")
        #expect(try tmux.waitFor("no step has id=nosuch"))
        // Back to an earlier step: the chapter runs again up to it.
        try tmux.send("j")
        try tmux.send("softmax", "Enter")
        #expect(try tmux.waitFor("— restarting"))
        #expect(try tmux.waitFor("── 2/8 \"softmax\""))
        screen = try tmux.screen()
        #expect(screen.components(separatedBy: "✓ 1/8 \"logits\" ran without pausing").count == 3, "\(screen)")
        try tmux.send("q")
        #expect(try tmux.waitFor("[exit 0]"))
    }

    @Test func comingBackOffersToGoOnWhereTheLearnerQuit() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: environment(dir))
        #expect(try tmux.waitFor("── 1/8 \"logits\""))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("── 2/8 \"softmax\""))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("── 3/8 \"loss\""))
        try tmux.send("q")
        #expect(try tmux.waitFor("[exit 0]"))
        let state = try String(contentsOf: dir.appendingPathComponent(".course/state.json"), encoding: .utf8)
        #expect(state.contains("\"stops\""), "\(state)")

        let again = TmuxSession()
        defer { again.kill() }
        try again.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: environment(dir))
        #expect(try again.waitFor("Last time you stopped before step 3/8 \"loss\"."))
        #expect(try again.waitFor("[enter] go on from there  [b] start at the beginning"))
        try again.send("Enter")
        #expect(try again.waitFor("── 3/8 \"loss\""))
        #expect(try again.screen().contains("✓ 2/8 \"softmax\" ran without pausing"))
        // Reaching the end forgets the stop: the next visit starts at the top without asking.
        #expect(try again.pressEnter(until: "✏️  exercise argmax"))
        try again.send("Enter")
        #expect(try again.waitFor("[exit 0]"))
        let third = TmuxSession()
        defer { third.kill() }
        try third.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: environment(dir))
        #expect(try third.waitFor("── 1/8 \"logits\""))
        #expect(try !third.screen().contains("Last time"))
        try third.send("q")
    }

    @Test func startingAtTheBeginningIgnoresTheStop() throws {
        let dir = try introWorkspace()
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: environment(dir))
        #expect(try tmux.waitFor("── 1/8 \"logits\""))
        try tmux.send("Enter")
        #expect(try tmux.waitFor("── 2/8 \"softmax\""))
        try tmux.send("q")
        #expect(try tmux.waitFor("[exit 0]"))
        let again = TmuxSession()
        defer { again.kill() }
        try again.start("'\(CourseCLI.binary.path)' step \(intro)", in: dir, environment: environment(dir))
        #expect(try again.waitFor("[b] start at the beginning"))
        try again.send("b")
        #expect(try again.waitFor("── 1/8 \"logits\""))
        #expect(try !again.screen().contains("ran without pausing"))
        try again.send("q")
    }
}
