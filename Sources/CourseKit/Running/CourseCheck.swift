import Foundation

// `course check`: the chapters run as doc-tests, in course order, then the translations are
// compared with their sources (never run: their sources' runs check the outputs).

public struct CourseCheck {
    public let session: CourseSession

    public init(session: CourseSession) { self.session = session }

    /// Checks `paths` (chapters by path, number, file name or id; every Chapters/*.md when
    /// empty) with a live report, and returns each chapter's result with the totals.
    public func run(paths: [String]) throws -> (results: [ChapterResult], summary: Summary) {
        let chapters = paths.isEmpty ? try ChapterLoader.discover(in: "Chapters") : paths.filter { !Translations.isTranslation($0) }
        var results: [ChapterResult] = []
        var summary = Summary()
        for path in chapters {
            if let (_, result) = try session.run(path: path) {
                results.append(result)
                summary.add(result)
            } else {
                summary.failed += 1   // a chapter that does not parse is a failure
            }
            // A signal stopped the run: the chapters after it are not started.
            if Interruption.stoppedBy != nil { break }
        }
        TranslationCheck.run(TranslationCheck.paths(for: paths, chapters: chapters), summary: &summary, style: session.reporter.style)
        return (results, summary)
    }
}
