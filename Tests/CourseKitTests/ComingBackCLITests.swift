import Foundation
import Testing

// Smaller things a learner coming back hit (issue 31), through the real binary: running from
// the wrong folder, and `course exercise watch` typed as the README's readers type it.

@Suite(.serialized) struct ComingBackCLITests {
    @Test(arguments: ["run", "step"])
    func outsideTheCourseFolderSaysWhereToRunFromAndLeavesNoCourseFolder(command: String) throws {
        let course = try CourseCLI.workspace(["pass.md"])
        try "// a course\n".write(to: course.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("course-elsewhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere); try? FileManager.default.removeItem(at: course) }
        // No COURSE_CACHE_DIR: the work would go to ./.course.
        let noCache = ["COURSE_CACHE_DIR": ""]

        let byPath = try CourseCLI.run([command, course.appendingPathComponent("Chapters/pass.md").path], in: elsewhere, environment: noCache)
        #expect(byPath.status != 0)
        #expect((byPath.stdout + byPath.stderr).contains("no Chapters/ directory here: run course from the course's top directory"),
                "\(byPath.stdout)\(byPath.stderr)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent(".course").path), "a stray .course/")

        // Inside the course, one folder down: the message names the top folder.
        let inside = try CourseCLI.run([command, "pass"], in: course.appendingPathComponent("Chapters"), environment: noCache)
        #expect(inside.status != 0)
        #expect((inside.stdout + inside.stderr).contains("run course from the course's top directory (cd \(course.path))"),
                "\(inside.stdout)\(inside.stderr)")
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent("Chapters/.course").path))
    }

    @Test func exerciseWatchIsASubcommand() throws {
        let dir = try CourseCLI.workspace(["needs.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let help = try CourseCLI.run(["help", "exercise", "watch"], in: dir)
        #expect(help.stdout.contains("OVERVIEW: Check an exercise again every time its file is saved"), "not the parent's help: \(help.stdout)")
        #expect(help.stdout.contains("USAGE: course exercise watch"), "\(help.stdout)")
        let unknown = try CourseCLI.run(["exercise", "watch", "nosuch"], in: dir)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no exercise 'nosuch'"), "\(unknown.stderr)")
    }

    /// CI runs `course check` before `course dev check-exercises`: a solution whose check passed
    /// in the full run of the same program is not run (trained) again; its starting code is.
    @Test func checkExercisesTakesSolutionsFromTheFullRunOfTheSameProgram() throws {
        let dir = try CourseCLI.workspace(["reuse.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let own = ["COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path]
        let runs = dir.appendingPathComponent("solution-runs")
        func solutionRuns() -> [String] { ((try? String(contentsOf: runs, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }

        let full = try CourseCLI.run(["check", "Chapters/reuse.md"], in: dir, environment: own)
        #expect(full.status == 0, "\(full.stdout)")
        #expect(solutionRuns() == ["triple", "quad"])
        let proof = try CourseCLI.run(["dev", "check-exercises", "Chapters/reuse.md"], in: dir, environment: own)
        #expect(proof.status == 0, "\(proof.stdout)")
        #expect(solutionRuns() == ["triple", "quad"], "no solution ran again: \(solutionRuns())")
        #expect(proof.stdout.contains("✓ triple fails as shipped"))
        #expect(proof.stdout.contains("✓ triple passes with its solution, its check passed in the chapter's full run of "), "\(proof.stdout)")
        #expect(proof.stdout.contains("(the same program and toolkit build; not run again)"))
        #expect(proof.stdout.contains("✓ quad passes with its solution, its check passed in the chapter's full run of ")
                && proof.stdout.contains("not run again); with only setup it compiles"), "\(proof.stdout)")

        // --rerun-solutions, or a changed chapter (another program), runs them again.
        let rerun = try CourseCLI.run(["dev", "check-exercises", "Chapters/reuse.md", "--rerun-solutions"], in: dir, environment: own)
        #expect(rerun.status == 0, "\(rerun.stdout)")
        #expect(solutionRuns() == ["triple", "quad", "triple", "quad"])
        let chapter = dir.appendingPathComponent("Chapters/reuse.md")
        try (try String(contentsOf: chapter, encoding: .utf8)).replacingOccurrences(of: "triple(2) is", with: "triple(2) gives")
            .write(to: chapter, atomically: true, encoding: .utf8)
        let changed = try CourseCLI.run(["dev", "check-exercises", "Chapters/reuse.md"], in: dir, environment: own)
        #expect(changed.status == 0, "\(changed.stdout)")
        #expect(solutionRuns().count == 6, "\(solutionRuns())")
        #expect(changed.stdout.contains("triple passes with its solution, running every step before it"), "\(changed.stdout)")
    }

    /// An error thrown by the learner's function, called by the hidden check, is reported at the
    /// learner's file and line, once, without the author's advice to mark the step expect-error.
    @Test func anErrorFromTheLearnersCodeIsBlamedOnIt() throws {
        let dir = try CourseCLI.workspace(["exercise-throws.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CourseCLI.run(["exercise", "start", "next"], in: dir).status == 0)
        let file = dir.appendingPathComponent("Exercises/throws/next.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "    return x\n", with: "    if x > 0 {\n        throw Oops()\n    }\n    return x\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let throwLine = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("throw Oops()") }.map { $0 + 1 } ?? 0
        let r = try CourseCLI.run(["exercise", "check", "next"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("Exercises/throws/next.swift:\(throwLine): your code threw an error: oops: bad input"), "\(r.stdout)")
        #expect(r.stdout.contains("(the check called it at Chapters/exercise-throws.md:"), "\(r.stdout)")
        #expect(!r.stdout.contains("expect-error"), "\(r.stdout)")
        let all = r.stdout + r.stderr
        #expect(all.components(separatedBy: "oops: bad input").count == 2, "the raw error once: \(all)")
    }

    /// A missing `)` at the end of the learner's file is reported inside it, never past its end
    /// nor showing the generated `#sourceLocation(...)` line; fix-its that insert `try!` are left out.
    @Test func aSyntaxErrorAtTheEndStaysInsideTheLearnersFile() throws {
        let dir = try CourseCLI.workspace(["exercise-throws.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CourseCLI.run(["exercise", "start", "next"], in: dir).status == 0)
        let file = dir.appendingPathComponent("Exercises/throws/next.swift")
        let text = try String(contentsOf: file, encoding: .utf8) + "let k = next(1"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let r = try CourseCLI.run(["exercise", "check", "next"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("your code does not compile:"), "\(r.stdout)")
        #expect(r.stdout.contains("Exercises/throws/next.swift:\(lineCount):"), "\(r.stdout)")
        #expect(!r.stdout.contains("#sourceLocation"), "\(r.stdout)")
        #expect(!r.stdout.contains("main.swift"), "\(r.stdout)")
        #expect(!r.stdout.contains("try!"), "\(r.stdout)")
        let named = r.stdout.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: #"next\.swift:(\d+):"#, options: .regularExpression) else { return nil }
            return Int(line[range].dropFirst("next.swift:".count).dropLast())
        }
        #expect(!named.isEmpty && named.allSatisfy { $0 <= lineCount }, "never past the file's end: \(named), \(lineCount) lines")
    }
}

/// A fine-tune whose inputs have not changed is replayed when the learner comes back
/// (`course exercise check`, `course step`), and never in `course check` or `course run`.
@Suite(.serialized) struct ReplayCLITests {
    @Test func anUnchangedFineTuneIsReplayedWithIdenticalOutputAndFreshTrainsAgain() throws {
        let dir = try CourseCLI.workspace(["replay.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let own = ["COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path]
        let check = try CourseCLI.run(["check", "Chapters/replay.md"], in: dir, environment: own)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(!check.stderr.contains("replayed"), "course check never replays: \(check.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".course/replay").path),
                "course check recorded a run for replays")

        #expect(try CourseCLI.run(["exercise", "start", "after"], in: dir, environment: own).status == 0)
        let file = dir.appendingPathComponent("Exercises/replay/after.swift")
        try "var answer = 42\n".write(to: file, atomically: true, encoding: .utf8)
        let first = try CourseCLI.run(["exercise", "check", "after"], in: dir, environment: own)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(!first.stderr.contains("replayed the training"), "nothing was recorded yet: \(first.stderr)")
        let second = try CourseCLI.run(["exercise", "check", "after"], in: dir, environment: own)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stderr.contains("note: replayed the training into out"), "\(second.stderr)")
        #expect(second.stderr.contains("--fresh"), "the note says how to train again: \(second.stderr)")
        // The check prints the weights' sum, the output folder and an evaluation: all identical.
        #expect(second.stdout == first.stdout, "replayed:\n\(second.stdout)\nfresh:\n\(first.stdout)")
        #expect(first.stdout.contains("PASS answer 42"), "\(first.stdout)")

        let fresh = try CourseCLI.run(["exercise", "check", "after", "--fresh"], in: dir, environment: own)
        #expect(fresh.status == 0)
        #expect(!fresh.stderr.contains("replayed the training"), "--fresh trains: \(fresh.stderr)")
        #expect(fresh.stdout == first.stdout)

        // `course run` trains for real even with a record present.
        let run = try CourseCLI.run(["run", "Chapters/replay.md"], in: dir, environment: own)
        #expect(run.status == 0 && !run.stderr.contains("replayed"), "\(run.stderr)")
    }
}

/// `course step` coming back to a chapter whose fine-tune has not changed: the second visit
/// replays it, prints the same lines, says so, and `course list` does not count it as a full run.
@Suite(.serialized) struct ReplayStepperTests {
    @Test func theStepperReplaysTheFineTuneOnTheSecondVisit() throws {
        guard TmuxSession.available else { Issue.record("tmux is not installed (Scripts/setup.sh installs it)"); return }
        let dir = try CourseCLI.workspace(["replay.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let own = ["COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path]
        func visit() throws -> String {
            let tmux = TmuxSession()
            defer { tmux.kill() }
            // --from the exercise's solution: the training step runs without pausing.
            try tmux.start("\(CourseCLI.binary.path) step Chapters/replay.md --from 2", in: dir, environment: own)
            #expect(try tmux.waitFor("[enter] run the solution", timeout: 120))
            try tmux.send("q")
            #expect(try tmux.waitFor("[exit 0]"))
            return try tmux.screen()
        }
        let first = try visit(), second = try visit()
        #expect(first.contains("✓ 1/2 \"train\" ran without pausing"), "\(first)")
        #expect(!first.contains("replayed the training"), "\(first)")
        #expect(second.contains("✓ 1/2 \"train\" ran without pausing"), "\(second)")
        #expect(second.contains("note: replayed the training into out"), "\(second)")
        let list = try CourseCLI.run(["list"], in: dir, environment: own)
        #expect(!list.stdout.contains("✓ 2 passed"), "a visit that replayed is no full result: \(list.stdout)")
    }
}
