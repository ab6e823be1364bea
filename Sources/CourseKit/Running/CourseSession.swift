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
    /// A chapter showing an image missing from Chapters/ fails the same way, unless
    /// `requireFigures` is false (`--bless`, which is about to copy the figures the run makes).
    public func run(path: String, from: String? = nil, until: String? = nil, requireFigures: Bool = true) throws -> (Chapter, ChapterResult)? {
        let chapter: Chapter
        do {
            chapter = try ChapterLoader.load(ChapterLoader.resolve(path))
            // An image the chapter shows must be committed, or the site would show a hole.
            var errors = requireFigures ? Figures.missing(in: chapter) : []
            // Nothing to run is nothing checked: "0 passed" must not read as a pass.
            if !chapter.steps.contains(where: \.runs) {
                errors.append(ChapterError(path, 1, chapter.steps.isEmpty
                    ? "the chapter has no steps: add a ```swift block (and an ```output block for what it prints)"
                    : "every step of the chapter is no-run: at least one ```swift step must run"))
            }
            if !errors.isEmpty { throw ChapterErrors(errors: errors) }
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
        SolutionRecord.save(result, environment)
        // Figures float-round differently across machines: a changed one is a note, not a failure.
        for change in Figures.changes(for: chapter, environment: environment) {
            reporter.write("  note: this run produced \(change.name), which \(change.isNew ? "is not in" : "differs from the one in") Chapters/; "
                + "`course run \(chapter.path) --bless` copies it there")
        }
        return (chapter, result)
    }
}
