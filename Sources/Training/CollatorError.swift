/// Bad input to a data collator (a row without `input_ids`, labels that do not line up with
/// their tokens, an empty batch, ...). The message says what was wrong and what to do.
public struct CollatorError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
