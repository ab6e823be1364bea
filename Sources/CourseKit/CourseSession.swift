import Foundation

// What `course run` and `course check` share: load, run with a live report, record the result.

public struct CourseSession {
    public let environment: Environment
    public let reporter: Reporter

    public init(environment: Environment, reporter: Reporter) {
        self.environment = environment
        self.reporter = reporter
    }

    /// Runs one chapter file; a chapter that cannot be read or parsed is reported and returns nil.
    public func run(path: String, from: String? = nil, until: String? = nil) throws -> (Chapter, ChapterResult)? {
        let chapter: Chapter
        do {
            chapter = try ChapterLoader.load(path)
        } catch {
            reporter.chapterError(error, path: path)
            return nil
        }
        var options = RunOptions()
        if let from { options.from = try ChapterRunner.stepNumber(from, in: chapter) }
        if let until { options.until = try ChapterRunner.stepNumber(until, in: chapter) }
        reporter.chapterStarted(chapter)
        let runner = ChapterRunner(environment: environment)
        runner.onStep = { reporter.step($0, chapter: chapter) }
        let result = try runner.run(chapter, options: options)
        reporter.chapterFinished(result)
        var state = CourseState.load(environment)
        state.record(result)
        try? state.save(environment)
        return (chapter, result)
    }
}
