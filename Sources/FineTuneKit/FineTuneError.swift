/// Why `finetune` stopped: a bad option, bad data, or an output folder it will not write into.
/// The message says what was wrong and what to do; `finetune` prints it and exits with status 2.
public struct FineTuneError: Error, CustomStringConvertible, Sendable {
    /// The message, one or two sentences.
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
