import Foundation

/// A failure a user can cause: a missing or malformed tokenizer file, an unsupported component,
/// or encode options that cannot be satisfied. The message says what was wrong and what to do.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
