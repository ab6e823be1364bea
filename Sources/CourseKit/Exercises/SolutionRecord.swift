import Foundation
import Digest

// What a full run of a chapter (`course check`, `course run`) proved about its exercises: each
// solution ran in the chapter and its check passed. `course dev check-exercises` then need not
// train a solution again to show that it passes (CI runs `course check` first): the record is
// keyed on the program that ran (the chapter's whole generated source, the compiler, its flags
// and the toolkit build), so a changed chapter or toolkit runs the solution again. Only the
// solution claims use it; "fails as shipped" is always a run of its own. Nothing here is a
// verification (Chapters/verified.json is `course check --record`'s alone).

/// The exercises whose solution and check passed in one full run of a chapter.
struct SolutionRecord: Codable {
    /// The compile key of the chapter's full program (Compiler.cacheKey).
    var program: String
    /// Exercise ids whose solution step and check step passed.
    var passed: [String]
    /// ISO 8601, UTC: when the run ended.
    var date: String

    static func url(_ chapter: Chapter, _ environment: Environment) -> URL {
        environment.cache.appendingPathComponent("proofs/\(chapter.id).json")
    }

    /// The key of the program a full run of `chapter` compiles and runs, in this checkout (a
    /// cache shared between checkouts, `COURSE_CACHE_DIR`, must not lend one's runs to another).
    static func programKey(_ chapter: Chapter, _ environment: Environment) -> String {
        Compiler(environment: environment).cacheKey(ProgramGenerator.mainSource(chapter, plan: ProgramPlan()))
            + " " + environment.root.standardizedFileURL.path
    }

    /// Keeps what a full, unstopped run proved (or forgets an earlier record when it proved nothing).
    static func save(_ result: ChapterResult, _ environment: Environment) {
        guard !result.partial, !result.stopped, !result.chapter.isTranslation, result.replayedSteps.isEmpty else { return }
        func passed(_ step: Step) -> Bool { result.steps.contains { $0.step.number == step.number && $0.outcome == .passed } }
        let ids = result.chapter.exercises.filter { passed($0.solution) && passed($0.check) }.map(\.id)
        let url = url(result.chapter, environment)
        guard !ids.isEmpty else { try? FileManager.default.removeItem(at: url); return }
        let record = SolutionRecord(program: programKey(result.chapter, environment), passed: ids,
                                    date: ISO8601DateFormatter().string(from: Date()))
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? JSONEncoder().encode(record).write(to: url, options: .atomic)
    }

    /// When the chapter's current program last ran in full with `exercise`'s check passing.
    static func passed(_ exercise: Exercise, in chapter: Chapter, _ environment: Environment) -> String? {
        guard let data = try? Data(contentsOf: url(chapter, environment)),
              let record = try? JSONDecoder().decode(SolutionRecord.self, from: data),
              record.passed.contains(exercise.id), record.program == programKey(chapter, environment) else { return nil }
        return record.date
    }
}
