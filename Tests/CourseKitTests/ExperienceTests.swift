import Foundation
import TestSupport
import Testing

// What a learner or an author meets first (issue 21), through the real binary: bless that keeps
// what the author wrote, crash locations in the learner's file, chapters named by number or
// id, a check that leaves the checkout clean, and the exercise commands' output.

private let introChapter = TestPaths.packageRoot.appendingPathComponent("Chapters/00-how-this-course-works.md")

func introWorkspace(plus fixtures: [String] = []) throws -> URL {
    let dir = try CourseCLI.workspace(fixtures)
    try FileManager.default.copyItem(at: introChapter, to: dir.appendingPathComponent("Chapters/00-how-this-course-works.md"))
    return dir
}

@Suite(.serialized) struct ExperienceTests {
    @Test func blessKeepsWildcardsAndRoundedNumbers() throws {
        let dir = try CourseCLI.workspace(["bless-partial.md"])
        let path = dir.appendingPathComponent("Chapters/bless-partial.md")
        let before = try String(contentsOf: path, encoding: .utf8)
        let r = try CourseCLI.run(["run", "Chapters/bless-partial.md", "--bless"], in: dir)
        #expect(r.status == 0, "\(r.stdout)")
        let after = try String(contentsOf: path, encoding: .utf8)
        // Only the failing line of each block changes; `...`, `[..]` and 0.412 (within 0.001) stay.
        #expect(after == before.replacingOccurrences(of: "value 1", with: "value 2")
            .replacingOccurrences(of: "acc 97.1", with: "acc 97.5"), "\(after)")
        #expect(r.stdout.contains("bless: Chapters/bless-partial.md:15 step 1 \"mixed\": rewrote `value 1` as `value 2`"), "\(r.stdout)")
        #expect(r.stdout.contains("bless: Chapters/bless-partial.md:24 step 2 \"numbers\": rewrote `loss 0.412 acc 97.1` as `loss 0.412 acc 97.5`"))
        let again = try CourseCLI.run(["run", "Chapters/bless-partial.md"], in: dir)
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test func crashInAnExerciseNamesTheLearnersFile() throws {
        let dir = try CourseCLI.workspace(["exercise-crash.md"])
        _ = try CourseCLI.run(["exercise", "start", "pick"], in: dir)
        let file = dir.appendingPathComponent("Exercises/exercise-crash/pick.swift")
        let code = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "    return 0", with: "    return xs[5]")
        try code.write(to: file, atomically: true, encoding: .utf8)
        let line = code.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("xs[5]") }! + 1
        let r = try CourseCLI.run(["exercise", "check", "pick"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("at Exercises/exercise-crash/pick.swift:\(line)"), "\(r.stdout)")
        #expect(!r.stdout.contains("exercise-crash.md:"), "\(r.stdout)")
    }

    @Test func checkRecordsTheVerificationOnlyWhenAsked() throws {
        let dir = try CourseCLI.workspace(["pass.md"])
        let verified = dir.appendingPathComponent("Chapters/verified.json")
        let plain = try CourseCLI.run(["check"], in: dir)
        #expect(plain.status == 0, "\(plain.stdout)")
        #expect(!FileManager.default.fileExists(atPath: verified.path), "a plain check leaves the checkout as it was")
        #expect(plain.lines.last(where: { !$0.isEmpty }) == "12 passed, 0 failed, 2 skipped")
        let recorded = try CourseCLI.run(["check", "--record"], in: dir)
        #expect(recorded.status == 0)
        #expect(FileManager.default.fileExists(atPath: verified.path))
        #expect(recorded.stdout.contains("wrote Chapters/verified.json"))
        #expect(recorded.lines.last(where: { !$0.isEmpty }) == "12 passed, 0 failed, 2 skipped")
        // Recording a partial or failing check is refused, with the reason.
        let partial = try CourseCLI.run(["check", "--record", "Chapters/pass.md"], in: dir)
        #expect(partial.status == 1)
        #expect(partial.stdout.contains("--record needs the whole course"), "\(partial.stdout)")
    }

    @Test func chaptersResolveByNumberIdOrFileName() throws {
        let dir = try introWorkspace(plus: ["pass.md"])
        for name in ["00", "0", "how-this-course-works", "00-how-this-course-works", "00-how-this-course-works.md"] {
            let r = try CourseCLI.run(["run", name, "--until", "1"], in: dir)
            #expect(r.status == 0, "\(name): \(r.stdout) \(r.stderr)")
            #expect(r.stdout.hasPrefix("Chapters/00-how-this-course-works.md"), "\(name): \(r.stdout)")
        }
        let byID = try CourseCLI.run(["run", "every-directive", "--until", "state"], in: dir)
        #expect(byID.stdout.hasPrefix("Chapters/pass.md"), "\(byID.stdout)")
        let unknown = try CourseCLI.run(["run", "nope"], in: dir)
        #expect(unknown.status != 0)
        #expect((unknown.stdout + unknown.stderr).contains("no chapter 'nope'"), "\(unknown.stdout)\(unknown.stderr)")
        #expect((unknown.stdout + unknown.stderr).contains("00-how-this-course-works"))
    }

    @Test func exerciseCheckShowsWhatTheCodePrinted() throws {
        let dir = try introWorkspace()
        _ = try CourseCLI.run(["exercise", "start", "argmax"], in: dir)
        let r = try CourseCLI.run(["exercise", "check", "argmax"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("your code printed:\n    predicted: O"), "\(r.stdout)")
        #expect(r.stdout.contains("FAIL argmax([-3.0, 7.0, 1.0]) is 0, expected 1"))
    }

    @Test func compilerNotesAreNotRepeated() throws {
        let dir = try introWorkspace()
        _ = try CourseCLI.run(["exercise", "start", "argmax"], in: dir)
        let file = dir.appendingPathComponent("Exercises/how-this-course-works/argmax.swift")
        // A throwing call without `try`, several times: the compiler repeats its notes per use.
        let code = "struct E: Error {}\nfunc risky() throws -> Int { 0 }\n"
            + "func argmax(_ scores: [Double]) -> Int {\n    let a = risky()\n    let b = risky()\n    let c = risky()\n    return a + b + c\n}\n"
            + "print(\"predicted:\", labels[argmax(logits)])\n"
        try code.write(to: file, atomically: true, encoding: .utf8)
        let r = try CourseCLI.run(["exercise", "check", "argmax"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("Exercises/how-this-course-works/argmax.swift:4:13: error: call can throw, but it is not marked with 'try'"), "\(r.stdout)")
        #expect(r.stdout.contains("(the same error at Exercises/how-this-course-works/argmax.swift:5:13, Exercises/how-this-course-works/argmax.swift:6:13)"))
        let lines = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let repeated = Dictionary(grouping: lines, by: { $0 }).filter { $0.value.count > 1 && !$0.key.isEmpty }
        #expect(repeated.isEmpty, "lines repeated: \(repeated.keys)")
        #expect(r.stdout.split(separator: "\n").count < 30, "\(r.stdout)")
    }

    @Test func exerciseListIsAligned() throws {
        let dir = try introWorkspace(plus: ["exercise-crash.md", "pass.md"])
        let r = try CourseCLI.run(["exercise", "list"], in: dir)
        #expect(r.status == 0)
        let rows = r.lines.filter { $0.contains("Chapters/") }
        #expect(rows.count == 3, "\(r.stdout)")
        let offsets = Set(rows.map { row in row.distance(from: row.startIndex, to: row.range(of: "Chapters/")!.lowerBound) })
        #expect(offsets.count == 1, "\(r.stdout)")
        // The status column starts after the padded place column: at the same offset in every row.
        let statusOffsets = Set(rows.map { row in row.distance(from: row.startIndex, to: row.range(of: #"Chapters/\S+\s+"#, options: .regularExpression)!.upperBound) })
        #expect(statusOffsets.count == 1, "\(r.stdout)")
    }
}
