/// A problem in a chapter file, located at `path:line` so an editor can jump to it.
public struct ChapterError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var line: Int
    public var message: String

    public init(_ path: String, _ line: Int, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { "\(path):\(line): error: \(message)" }
}

/// Several chapter problems at once: a parse reports all it finds, not just the first.
public struct ChapterErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [ChapterError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
