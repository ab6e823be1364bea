import Foundation

// Where a learner quit `course step`, kept in `.course/state.json`: coming back to a chapter
// should not mean pressing enter through every step read before.

/// The step a learner stopped before in `course step`.
public struct StepStop: Codable, Sendable, Equatable {
    /// The step's number in the chapter (as `Step.number`).
    public var number: Int
    /// The step's id, when it has one: found again even if steps were added before it.
    public var id: String?
    /// ISO 8601, UTC.
    public var date: String

    public init(number: Int, id: String?, date: String = ISO8601DateFormatter().string(from: Date())) {
        self.number = number
        self.id = id
        self.date = date
    }

    /// The step this stop names in `chapter` (by id first, else by number), if it still runs there.
    public func step(in chapter: Chapter) -> Step? {
        if let id, let step = chapter.steps.first(where: { $0.attributes.id == id && $0.runs }) { return step }
        return chapter.steps.first { $0.number == number && $0.runs }
    }
}

extension CourseState {
    /// Stops are kept by the chapter file's absolute path: a cache shared between checkouts
    /// (`COURSE_CACHE_DIR`) must not offer one checkout's place in another.
    static func stopKey(_ chapter: Chapter) -> String { URL(fileURLWithPath: chapter.path).standardizedFileURL.path }

    /// Where the learner last stopped in `chapter`, if that step still runs there.
    public func stop(in chapter: Chapter) -> Step? { stops?[Self.stopKey(chapter)]?.step(in: chapter) }

    /// Remembers where the learner stopped in `chapter`, or forgets it (nil: they reached the end).
    public mutating func recordStop(_ step: Step?, in chapter: Chapter) {
        var all = stops ?? [:]
        all[Self.stopKey(chapter)] = step.map { StepStop(number: $0.number, id: $0.attributes.id) }
        stops = all.isEmpty ? nil : all
    }
}
