/// The WordPiece model (tokenizer.json `"model": {"type": "WordPiece", ...}`): greedy
/// longest-match-first over a word's characters; pieces after the first carry the `##` prefix.
/// A word with no complete segmentation, or longer than `maxInputCharsPerWord` scalars,
/// becomes one unknown token spanning the whole word.
public struct WordPiece: Sendable {
    /// The pieces and their ids (`vocab.txt`, or tokenizer.json's `vocab`).
    public let vocabulary: Vocabulary
    /// The token a word without a segmentation becomes (`[UNK]`).
    public let unkToken: String
    /// Words longer than this (in Unicode scalars) become `unkToken` unsplit (100 for BERT).
    public let maxInputCharsPerWord: Int
    let unkId: Int32

    init(vocabulary: Vocabulary, unkToken: String, maxInputCharsPerWord: Int) throws {
        guard let unk = vocabulary.id(of: unkToken) else {
            throw TokenizerError("the unknown token '\(unkToken)' is not in the vocabulary: "
                + "check unk_token in tokenizer.json / tokenizer_config.json")
        }
        self.vocabulary = vocabulary
        self.unkToken = unkToken
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.unkId = Int32(unk)
    }

    /// Tokenizes the word `text[range]` (normalized scalars), appending one id per piece and
    /// the piece's scalar range in `text` to `ids`, `starts`, `ends`. `bytes` and `bounds` are
    /// scratch space (UTF-8 of the word, byte offset of each scalar boundary).
    @inline(__always)
    func tokenize(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>,
                  ids: inout [Int32], starts: inout [Int32], ends: inout [Int32],
                  bytes: inout [UInt8], bounds: inout [Int]) {
        let n = range.count
        if n > maxInputCharsPerWord {
            ids.append(unkId); starts.append(Int32(range.lowerBound)); ends.append(Int32(range.upperBound))
            return
        }
        bytes.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        for i in range {
            bounds.append(bytes.count)
            appendUTF8(text[i], to: &bytes)
        }
        bounds.append(bytes.count)
        let firstNew = ids.count
        let ok: Bool = bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return false }
            var start = 0
            while start < n {
                var end = n
                var found: Int32 = -1
                while end > start {
                    found = vocabulary.lookup(base + bounds[start], bounds[end] - bounds[start], continued: start > 0)
                    if found >= 0 { break }
                    end -= 1
                }
                if found < 0 { return false }
                ids.append(found)
                starts.append(Int32(range.lowerBound + start))
                ends.append(Int32(range.lowerBound + end))
                start = end
            }
            return true
        }
        if !ok {
            ids.removeSubrange(firstNew...); starts.removeSubrange(firstNew...); ends.removeSubrange(firstNew...)
            ids.append(unkId); starts.append(Int32(range.lowerBound)); ends.append(Int32(range.upperBound))
        }
    }
}

@inline(__always)
func appendUTF8(_ c: UInt32, to bytes: inout [UInt8]) {
    switch c {
    case 0..<0x80:
        bytes.append(UInt8(c))
    case 0x80..<0x800:
        bytes.append(UInt8(0xC0 | (c >> 6))); bytes.append(UInt8(0x80 | (c & 0x3F)))
    case 0x800..<0x10000:
        bytes.append(UInt8(0xE0 | (c >> 12))); bytes.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
        bytes.append(UInt8(0x80 | (c & 0x3F)))
    default:
        bytes.append(UInt8(0xF0 | (c >> 18))); bytes.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
        bytes.append(UInt8(0x80 | ((c >> 6) & 0x3F))); bytes.append(UInt8(0x80 | (c & 0x3F)))
    }
}
