import Foundation
import Testing

// The runner end to end: fixture chapters through the real binary, asserting on its report.

@Suite(.serialized) struct CourseCLITests {
    @Test func everyDirectivePasses() throws {
        let dir = try CourseCLI.workspace(["pass.md"])
        let r = try CourseCLI.run(["run", "Chapters/pass.md"], in: dir)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.lines.contains { $0.contains("skipped: no-run") })
        // Numbered as `course step` counts: the steps a learner sees; the others named by what they are.
        #expect(r.lines.contains { $0.contains("step 7 \"random\"") && $0.contains("skipped: output is unchecked") })
        #expect(!r.stdout.contains("exercise double"), "exercise starting code is not a result of its own")
        #expect(r.lines.contains { $0.contains("✓ check double") })
        #expect(r.lines.contains { $0.contains("✓ hidden step \"setup\"") } && r.lines.contains { $0.contains("✓ step 11 \"last\"") })
        #expect(r.stderr.contains("progress 100%"), "stderr passes through")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "12 passed, 0 failed, 2 skipped")
    }

    @Test func secondRunDoesNotRecompile() throws {
        let dir = try CourseCLI.workspace(["pass.md"])
        _ = try CourseCLI.run(["run", "Chapters/pass.md"], in: dir)
        let again = try CourseCLI.run(["run", "Chapters/pass.md"], in: dir)
        #expect(again.stdout.contains("compile cached"), "\(again.stdout)")
    }

    @Test func mismatchShowsDiffStepAndRerunCommand() throws {
        let dir = try CourseCLI.workspace(["mismatch.md"])
        let r = try CourseCLI.run(["run", "Chapters/mismatch.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✗ step 1 \"greet\""))
        #expect(r.stdout.contains("Chapters/mismatch.md:3"))
        #expect(r.stdout.contains("output differs from the documented output at Chapters/mismatch.md:8:"))
        #expect(r.stdout.contains("""
                  --- expected
                  +++ actual
                  @@ -1,2 +1,2 @@
                   hello
                  -value 1.5
                  +value 1.25
            """))
        #expect(r.stdout.contains("✓ step 2"), "later steps still run after a mismatch")
        #expect(r.stdout.contains("re-run: course run Chapters/mismatch.md"))
        #expect(r.lines.last(where: { !$0.isEmpty }) == "1 passed, 1 failed, 0 skipped")
    }

    @Test func compileErrorNamesTheMarkdownLine() throws {
        let dir = try CourseCLI.workspace(["compile-error.md"])
        let r = try CourseCLI.run(["run", "Chapters/compile-error.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✗ step 2 \"typo\""))
        #expect(r.stdout.contains("Chapters/compile-error.md:8:19: error: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(r.stdout.contains("step 3                       not run: the chapter did not compile"))
    }

    @Test func trapIsLocatedAndLaterStepsNotRun() throws {
        let dir = try CourseCLI.workspace(["trap.md"])
        let r = try CourseCLI.run(["run", "Chapters/trap.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✓ step 1"))
        #expect(r.stdout.contains("step 2 \"boom\""))
        #expect(r.stdout.contains("crashed"))
        #expect(r.stdout.contains("stopped at Chapters/trap.md:14 with signal 4"), "\(r.stdout)")
        #expect(r.stdout.contains("Fatal error: Index out of range"))
        #expect(r.stdout.contains("about to read index 5"), "output before the crash is kept")
        #expect(r.stdout.contains("not run: an earlier step crashed"))
        #expect(r.lines.last(where: { !$0.isEmpty }) == "1 passed, 2 failed, 0 skipped")
    }

    @Test func uncaughtErrorIsACrashWithItsMessage() throws {
        let dir = try CourseCLI.workspace(["uncaught.md"])
        let r = try CourseCLI.run(["run", "Chapters/uncaught.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("LoadError(file: \"model.safetensors\")"), "\(r.stdout)")
    }

    @Test func stepTimeoutKillsAndReports() throws {
        let dir = try CourseCLI.workspace(["timeout.md"])
        let started = Date()
        let r = try CourseCLI.run(["run", "Chapters/timeout.md"], in: dir)
        #expect(Date().timeIntervalSince(started) < 15, "the 20 s sleep was cut at 1 s")
        #expect(r.status == 1)
        #expect(r.stdout.contains("step 1 \"slow\"") && r.stdout.contains("timed out"))
        #expect(r.stdout.contains("the step may run 1 s"))
        #expect(r.stdout.contains("not run: an earlier step timed out"))
    }

    @Test func chapterTimeoutAppliesToo() throws {
        let dir = try CourseCLI.workspace(["chapter-timeout.md"])
        let started = Date()
        let r = try CourseCLI.run(["run", "Chapters/chapter-timeout.md"], in: dir)
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(r.status == 1 && r.stdout.contains("timed out"))
        // The chapter's `timeout: 1` fired, not the step's timeout=30: the report says which.
        #expect(r.stdout.contains("killed: the chapter may run 1 s in all (`timeout: 1` in its front matter)"), "\(r.stdout)")
        #expect(!r.stdout.contains("the step may run 30 s"), "\(r.stdout)")
    }

    @Test func badChapterIsAnErrorWithFileAndLine() throws {
        let dir = try CourseCLI.workspace(["bad-attribute.md"])
        let r = try CourseCLI.run(["check", "Chapters/bad-attribute.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("Chapters/bad-attribute.md:3: error: unknown attribute 'hiden' on a swift step"))
        #expect(r.stdout.contains("Chapters/bad-attribute.md:11: error: step 1 already has an output block (line 7)"))
        #expect(r.lines.last(where: { !$0.isEmpty }) == "0 passed, 1 failed, 0 skipped")
    }

    /// A misspelt ```swift or ```output fence would be prose, silently never run or checked.
    @Test(arguments: ["check", "run"])
    func misspeltFenceIsAnErrorWithFileAndLine(command: String) throws {
        let dir = try CourseCLI.workspace(["misspelt-fence.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run([command, "Chapters/misspelt-fence.md"], in: dir)
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stdout.contains("Chapters/misspelt-fence.md:11: error: ```Swift is not a fence the course knows"), "\(r.stdout)")
        #expect(r.stdout.contains("Did you mean ```swift?"), "\(r.stdout)")
        #expect(r.stdout.contains("Chapters/misspelt-fence.md:15: error: ```swfit is not a fence"), "\(r.stdout)")
        #expect(r.stdout.contains("Chapters/misspelt-fence.md:19: error: ```outptu is not a fence") && r.stdout.contains("Did you mean ```output?"), "\(r.stdout)")
        // ```sh, ```python and ```text blocks are prose: no error of their own.
        #expect(!r.stdout.contains(":23: error") && !r.stdout.contains(":27: error") && !r.stdout.contains(":31: error"), "\(r.stdout)")
        if command == "check" { #expect(r.lines.last(where: { !$0.isEmpty }) == "0 passed, 1 failed, 0 skipped") }
    }

    @Test func expectErrorMustFail() throws {
        let dir = try CourseCLI.workspace(["no-throw.md"])
        let r = try CourseCLI.run(["run", "Chapters/no-throw.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("expected an error (expect-error), but the step compiled and ran without throwing"))
    }

    @Test func exerciseWithNeedsRunsOnlyThoseSteps() throws {
        let dir = try CourseCLI.workspace(["needs.md"])
        let marker = dir.appendingPathComponent("slow-step-ran").path
        let r = try CourseCLI.run(["dev", "check-exercises", "Chapters/needs.md"], in: dir)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains("quad fails as shipped"))
        #expect(r.stdout.contains("quad passes with its solution, running only setup (1 of 2 steps before it)"))
        #expect(!FileManager.default.fileExists(atPath: marker), "the step the exercise does not need ran")
        // The whole chapter still runs every step, the solution in place of the exercise.
        let full = try CourseCLI.run(["run", "Chapters/needs.md"], in: dir)
        #expect(full.status == 0, "\(full.stdout)")
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test func failingExerciseCheck() throws {
        let dir = try CourseCLI.workspace(["failing-check.md"])
        let r = try CourseCLI.run(["run", "Chapters/failing-check.md"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("the check of exercise 'inc' failed:"))
        #expect(r.stdout.contains("FAIL inc(1) is 3, expected 2"))
    }

    @Test func blessRoundTrip() throws {
        let dir = try CourseCLI.workspace(["undocumented.md", "mismatch.md"])
        let path = dir.appendingPathComponent("Chapters/undocumented.md")
        let before = try String(contentsOf: path, encoding: .utf8)
        let failing = try CourseCLI.run(["run", "Chapters/undocumented.md"], in: dir)
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("printed output but has no ```output block"))

        let blessed = try CourseCLI.run(["run", "Chapters/undocumented.md", "--bless"], in: dir)
        #expect(blessed.status == 0, "\(blessed.stdout)")
        #expect(blessed.stdout.contains("bless: Chapters/undocumented.md:10 step 1: added an output block"))
        let after = try String(contentsOf: path, encoding: .utf8)
        #expect(after == before
            .replacingOccurrences(of: "print(\"two\")\n```\n", with: "print(\"two\")\n```\n\n```output\none\ntwo\n```\n")
            .replacingOccurrences(of: "stale", with: "documented"))
        let passing = try CourseCLI.run(["run", "Chapters/undocumented.md"], in: dir)
        #expect(passing.status == 0)

        // Under CI, bless refuses and writes PATH.new instead.
        let ci = try CourseCLI.run(["run", "Chapters/mismatch.md", "--bless"], in: dir, environment: ["CI": "true"])
        #expect(ci.status == 1)
        #expect(ci.stdout.contains("bless: refused under CI=true; wrote Chapters/mismatch.md.new"))
        let original = try String(contentsOf: CourseCLI.fixtures.appendingPathComponent("mismatch.md"), encoding: .utf8)
        #expect(try String(contentsOf: dir.appendingPathComponent("Chapters/mismatch.md"), encoding: .utf8) == original)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Chapters/mismatch.md.new").path))
    }

    @Test func checkRunsAllChaptersWithJUnitAndList() throws {
        let dir = try CourseCLI.workspace(["pass.md", "mismatch.md"])
        let junit = dir.appendingPathComponent("report.xml")
        let r = try CourseCLI.run(["check", "--junit", junit.path], in: dir)
        #expect(r.status == 1)
        #expect(r.lines.last(where: { !$0.isEmpty }) == "13 passed, 1 failed, 2 skipped")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("<testsuites name=\"course check\" tests=\"16\" failures=\"1\" skipped=\"2\""))
        #expect(xml.contains("<failure type=\"mismatch\""))

        let list = try CourseCLI.run(["list"], in: dir)
        #expect(list.status == 0)
        #expect(list.stdout.contains("Chapters/mismatch.md\n    Mismatch\n    ✗ 1 passed, 1 failed, 0 skipped"))
        // `course list` counts the steps a learner sees, as `course step` numbers them (11 in pass.md).
        #expect(list.stdout.contains("Chapters/pass.md\n    Every directive\n    ✓ 10 passed, 0 failed, 1 skipped"))
    }

    @Test func fromAndUntil() throws {
        let dir = try CourseCLI.workspace(["mismatch.md"])
        let until = try CourseCLI.run(["run", "Chapters/mismatch.md", "--until", "greet"], in: dir)
        #expect(until.stdout.contains("step 2                       skipped: after --until"))
        // The id may also be written as its fence attribute reads.
        let untilAttribute = try CourseCLI.run(["run", "Chapters/mismatch.md", "--until", "id=greet"], in: dir)
        #expect(untilAttribute.stdout.contains("step 2                       skipped: after --until"))
        let from = try CourseCLI.run(["run", "Chapters/mismatch.md", "--from", "2"], in: dir)
        #expect(from.status == 0, "the mismatching step 1 runs but is not checked")
        #expect(from.stdout.contains("skipped: before --from"))
        let bad = try CourseCLI.run(["run", "Chapters/mismatch.md", "--from", "nope"], in: dir)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("has no step with id=nope; ids: greet"))
    }
}
