import Foundation

// The last result of each chapter (and later, exercise progress), kept in `.course/state.json`
// so `course list` can show it. Not committed: it describes this machine's runs.

public struct CourseState: Codable, Sendable {
    public struct LastRun: Codable, Sendable {
        public var passed: Int
        public var failed: Int
        public var skipped: Int
        /// Steps a partial run did not reach (nil in full runs and older state files).
        public var notRun: Int?
        /// ISO 8601, UTC.
        public var date: String
    }

    public struct ExerciseProgress: Codable, Sendable {
        /// "started", "failed" or "passed".
        public var status: String
        public var date: String
    }

    public var chapters: [String: LastRun] = [:]
    /// The last partial run of a chapter (stopped in `course step`, or `--from`/`--until`), when
    /// it is newer than the last full one: it never replaces the full result.
    public var partial: [String: LastRun]?
    /// Keyed by `chapter-id/exercise-id`. Optional so state files from before exercises load.
    public var exercises: [String: ExerciseProgress]?
    /// Where the learner last quit `course step`, by the chapter file's absolute path, so the next `course step`
    /// can offer to go on from there. Optional so older state files load.
    public var stops: [String: StepStop]?

    public init() {}

    static func url(_ environment: Environment) -> URL { environment.cache.appendingPathComponent("state.json") }

    public static func load(_ environment: Environment) -> CourseState {
        guard let data = try? Data(contentsOf: url(environment)),
              let state = try? JSONDecoder().decode(CourseState.self, from: data) else { return CourseState() }
        return state
    }

    public func save(_ environment: Environment) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: environment.cache, withIntermediateDirectories: true)
        try encoder.encode(self).write(to: CourseState.url(environment), options: .atomic)
    }

    public mutating func recordExercise(_ id: String, status: String) {
        var all = exercises ?? [:]
        // Passing stays passing when the learner merely opens the exercise again.
        if status == "started", all[id] != nil { return }
        all[id] = ExerciseProgress(status: status, date: ISO8601DateFormatter().string(from: Date()))
        exercises = all
    }

    /// Keeps `result`, counting the steps the learner sees (`Step.isShown`), so that `course
    /// list` counts as `course step` numbers (exercises' hidden checks show in their own lines).
    public mutating func record(_ result: ChapterResult) {
        let date = ISO8601DateFormatter().string(from: Date())
        let path = result.chapter.path
        var shown = result
        shown.steps = result.steps.filter { $0.step.isShown }
        var partialRuns = partial ?? [:]
        if result.partial || !result.replayedSteps.isEmpty {
            // Steps it did not reach are "not run", not failures; steps after --until count there too.
            let afterUntil = shown.steps.filter { $0.outcome == .skipped(.afterUntil) }.count
            partialRuns[path] = LastRun(passed: shown.passed, failed: shown.failed - shown.notRun,
                                        skipped: shown.skipped - afterUntil, notRun: shown.notRun + afterUntil, date: date)
        } else {
            chapters[path] = LastRun(passed: shown.passed, failed: shown.failed, skipped: shown.skipped, date: date)
            partialRuns[path] = nil
        }
        partial = partialRuns.isEmpty ? nil : partialRuns
    }
}
