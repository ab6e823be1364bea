import Foundation
import Testing

/// How the runner reports what a chapter's author or a learner gets wrong: an error nobody
/// caught, an expect-error step that does not throw, a chapter with nothing to run, a
/// directory where a chapter was expected. Through the real `course` binary.
@Suite struct RunnerErrorTests {
    @Test func uncaughtErrorIsAThrownErrorAtTheStepNotATrap() throws {
        let dir = try CourseCLI.workspace(["uncaught-later.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters/uncaught-later.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✓ step 1 \"first\""), "\(r.stdout)")
        #expect(r.stdout.contains("the step threw an error at Chapters/uncaught-later.md:11 and nothing caught it"), "\(r.stdout)")
        #expect(r.stdout.contains("  error: cannot read model.safetensors"), "\(r.stdout)")
        #expect(r.stdout.contains("its output before the error:") && r.stdout.contains("loading"))
        #expect(!r.stdout.contains("SIGILL") && !r.stdout.contains("signal 4"), "\(r.stdout)")
        #expect(r.stdout.contains("not run: an earlier step threw an error"), "\(r.stdout)")
        #expect(!r.stderr.contains("Current stack trace") && !r.stderr.contains("swift_errorInMain"), "\(r.stderr)")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "1 passed, 2 failed, 0 skipped")
    }

    @Test func expectErrorThatDoesNotThrowShowsWhatItPrinted() throws {
        let dir = try CourseCLI.workspace(["no-throw.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters/no-throw.md"], in: dir)
        #expect(r.status == 1)
        // The summary line after it says "compiled in" or, from a warm compile cache, "compile cached".
        #expect(r.stdout.contains("ran without throwing; it printed:\n        fine\n  compile"), "\(r.stdout)")
    }

    @Test(arguments: ["empty.md", "no-steps.md"])
    func chapterWithNothingToRunIsAnError(name: String) throws {
        let dir = try CourseCLI.workspace([name])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["check", "Chapters/\(name)"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("Chapters/\(name):1: error: the chapter has no steps"), "\(r.stdout)")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "0 passed, 1 failed, 0 skipped")
    }

    @Test func runOnADirectorySaysSo() throws {
        let dir = try CourseCLI.workspace(["pass.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters"], in: dir)
        #expect(r.status != 0)
        #expect(r.stdout.contains("Chapters is a directory, not a chapter"), "\(r.stdout)")
        #expect(!r.stdout.contains("no such file"))
    }
}
