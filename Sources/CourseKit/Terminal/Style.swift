#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// Terminal colour, only when stdout is a terminal and NO_COLOR is not set (no-color.org).

public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colour if fd 1 is a TTY, `NO_COLOR` is unset and `TERM` is not `dumb`.
    public static func forStdout() -> Style {
        let env = ProcessInfo.processInfo.environment
        let noColor = env["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Style(enabled: isatty(1) != 0 && !noColor && env["TERM"] != "dumb")
    }

    private func wrap(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func green(_ s: String) -> String { wrap("32", s) }
    public func red(_ s: String) -> String { wrap("31", s) }
    public func yellow(_ s: String) -> String { wrap("33", s) }
    public func dim(_ s: String) -> String { wrap("2", s) }
    public func bold(_ s: String) -> String { wrap("1", s) }
    public func cyan(_ s: String) -> String { wrap("36", s) }
}
