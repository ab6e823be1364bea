/// BERT's pre-tokenizer (tokenizer.json `"type": "BertPreTokenizer"`): splits normalized text
/// into words at whitespace (dropped) and around every punctuation scalar (each its own word).
public struct BertPreTokenizer: Sendable, Equatable {
    /// The pre-tokenizer (it has no settings).
    public init() {}

    /// Calls `word` with the range of each word of `text[range]`, in order.
    @inline(__always)
    func split(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, word: (Range<Int>) -> Void) {
        var start = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            let c = text[i]
            if UnicodeClass.isWhitespace(c) {
                if start < i { word(start..<i) }
                start = i + 1
            } else if UnicodeClass.isPunctuation(c) {
                if start < i { word(start..<i) }
                word(i..<(i + 1))
                start = i + 1
            }
            i += 1
        }
        if start < range.upperBound { word(start..<range.upperBound) }
    }
}
