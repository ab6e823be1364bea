import Foundation

/// Watch mode: one loop over file events (polling the modification time: portable, and a
/// check takes far longer than the poll interval anyway).
public struct Watcher {
    public enum Event: Sendable { case started, changed }
    public var file: URL
    public var interval: Double = 0.3

    public init(file: URL, interval: Double = 0.3) {
        self.file = file
        self.interval = interval
    }

    /// Calls `handle` once at the start and after every save, until it returns false.
    public func run(_ handle: (Event) throws -> Bool) throws {
        var last: Date? = nil
        while true {
            let attrs = try? FileManager.default.attributesOfItem(atPath: file.path)
            let modified = attrs?[.modificationDate] as? Date
            if let modified, modified != last {
                let first = last == nil
                last = modified
                if try !handle(first ? .started : .changed) { return }
            } else if modified == nil {
                throw CourseError("\(file.path) is gone: run `course exercise start` again")
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }
}
