/// A character span `start..<end` in the original text, counted in Unicode scalars: the units
/// of Python `str` indices, so the numbers equal `offset_mapping` in the Python course. Special
/// and padding tokens have (0, 0). For pre-split words the span is inside the token's word.
public struct Offset: Hashable, Sendable, CustomStringConvertible {
    /// Index of the first scalar of the span.
    public var start: Int
    /// Index just past the last scalar of the span.
    public var end: Int
    /// The span `start..<end`.
    public init(start: Int, end: Int) { self.start = start; self.end = end }
    /// The span `start..<end`, as Python's `(start, end)` tuple.
    public init(_ start: Int, _ end: Int) { self.init(start: start, end: end) }
    /// The span as a range of scalar indices.
    public var range: Range<Int> { start..<end }
    public var description: String { "(\(start), \(end))" }
}

extension String {
    /// The text an `Offset` points at (scalar offsets, as `Encoding.offsets` gives them);
    /// clamped to the string, so a padding offset (0, 0) gives "".
    public func slice(_ offset: Offset) -> Substring {
        let scalars = unicodeScalars
        let n = scalars.count
        let s = Swift.max(0, Swift.min(offset.start, n)), e = Swift.max(s, Swift.min(offset.end, n))
        let lo = scalars.index(scalars.startIndex, offsetBy: s)
        let hi = scalars.index(lo, offsetBy: e - s)
        return self[lo..<hi]
    }
}

/// The output of encoding one text (or pair of texts): parallel arrays, one entry per token.
/// Shapes: every array has `count` (T) entries.
public struct Encoding: Sendable, Equatable, CustomStringConvertible {
    /// Token ids (Python `input_ids`).
    public internal(set) var ids: [Int]
    /// Segment of each token: 0 for the first sequence, 1 for the second (`token_type_ids`).
    public internal(set) var typeIds: [Int]
    /// 1 for real tokens, 0 for padding.
    public internal(set) var attentionMask: [Int]
    /// Whether the tokenizer returns `typeIds` as a model input (`token_type_ids`; DistilBERT's
    /// does not): printing shows them only then.
    public internal(set) var returnsTokenTypeIds = true
    /// 1 for tokens the post-processor or padding added ([CLS], [SEP], [PAD]), else 0.
    public internal(set) var specialTokensMask: [Int]
    /// Character span of each token in its original text (see `Offset`).
    public internal(set) var offsets: [Offset]
    /// Word index per token, -1 for none.
    var words: [Int32]
    /// Sequence index per token (0 or 1), -1 for none.
    var sequences: [Int8]
    let vocabulary: Vocabulary

    /// Python name of `ids`.
    public var inputIds: [Int] { ids }
    /// Python name of `typeIds`.
    public var tokenTypeIds: [Int] { typeIds }
    /// Python name of `offsets`.
    public var offsetMapping: [Offset] { offsets }
    /// Number of tokens T.
    public var count: Int { ids.count }
    /// The token strings (Python `encoding.tokens()`).
    public var tokens: [String] { ids.map { vocabulary.token(of: $0) ?? "" } }

    /// The word each token comes from (nil for special and padding tokens). Words are counted
    /// per sequence: in a pair, the second sequence's words start again at 0.
    public func wordIds() -> [Int?] { words.map { $0 < 0 ? nil : Int($0) } }
    /// The sequence (0 or 1) each token comes from; nil for special and padding tokens.
    public func sequenceIds() -> [Int?] { sequences.map { $0 < 0 ? nil : Int($0) } }
    /// The word of token `index`, or nil (special token, padding, out of range).
    public func tokenToWord(_ index: Int) -> Int? {
        guard index >= 0, index < words.count, words[index] >= 0 else { return nil }
        return Int(words[index])
    }
    /// The token range of word `word` in sequence `sequenceIndex`, or nil if it has no tokens.
    public func wordToTokens(_ word: Int, sequenceIndex: Int = 0) -> Range<Int>? {
        var lo = -1, hi = -1
        for i in 0..<words.count where Int(words[i]) == word && Int(sequences[i]) == sequenceIndex {
            if lo < 0 { lo = i }
            hi = i + 1
        }
        return lo < 0 ? nil : lo..<hi
    }

    /// Printed like the Python `BatchEncoding` of one text:
    /// `{'input_ids': [101, 7592, 102], 'token_type_ids': [0, 0, 0], 'attention_mask': [1, 1, 1]}`.
    public var description: String {
        returnsTokenTypeIds ? "{'input_ids': \(ids), 'token_type_ids': \(typeIds), 'attention_mask': \(attentionMask)}"
            : "{'input_ids': \(ids), 'attention_mask': \(attentionMask)}"
    }

    public static func == (a: Encoding, b: Encoding) -> Bool {
        a.ids == b.ids && a.typeIds == b.typeIds && a.attentionMask == b.attentionMask
            && a.specialTokensMask == b.specialTokensMask && a.offsets == b.offsets && a.words == b.words
            && a.sequences == b.sequences
    }

    /// Pads to `length` tokens on `side` with `padId` (type id 0, no word, attention 0).
    mutating func pad(to length: Int, side: PaddingSide, padId: Int, padTypeId: Int) {
        let n = length - ids.count
        guard n > 0 else { return }
        func put<T>(_ a: inout [T], _ v: T) {
            if side == .right { a.append(contentsOf: repeatElement(v, count: n)) } else {
                a.insert(contentsOf: repeatElement(v, count: n), at: 0)
            }
        }
        put(&ids, padId); put(&typeIds, padTypeId); put(&attentionMask, 0); put(&specialTokensMask, 1)
        put(&offsets, Offset(0, 0)); put(&words, -1); put(&sequences, -1)
    }
}

/// The output of encoding a batch: one `Encoding` per input, plus the column views the Python
/// `BatchEncoding` offers (`inputIds[b][t]` is token t of example b).
public struct BatchEncoding: Sendable, Equatable, RandomAccessCollection, CustomStringConvertible {
    /// One encoding per input, in input order.
    public var encodings: [Encoding]
    /// A batch of these encodings (the tokenizer pads them to one length when asked).
    public init(_ encodings: [Encoding]) { self.encodings = encodings }

    public var startIndex: Int { 0 }
    public var endIndex: Int { encodings.count }
    public subscript(i: Int) -> Encoding { encodings[i] }

    /// [B][T] token ids.
    public var inputIds: [[Int]] { encodings.map(\.ids) }
    /// [B][T] segment ids.
    public var tokenTypeIds: [[Int]] { encodings.map(\.typeIds) }
    /// [B][T] 1 for tokens, 0 for padding.
    public var attentionMask: [[Int]] { encodings.map(\.attentionMask) }
    /// [B][T] 1 for added special and padding tokens.
    public var specialTokensMask: [[Int]] { encodings.map(\.specialTokensMask) }
    /// [B][T] character spans.
    public var offsetMapping: [[Offset]] { encodings.map(\.offsets) }
    /// Printed like the Python `BatchEncoding` of a batch (lists of lists).
    public var description: String {
        encodings.first?.returnsTokenTypeIds == false ? "{'input_ids': \(inputIds), 'attention_mask': \(attentionMask)}"
            : "{'input_ids': \(inputIds), 'token_type_ids': \(tokenTypeIds), 'attention_mask': \(attentionMask)}"
    }

    /// Tokens of example `batchIndex` (Python `inputs.tokens(batch_index=i)`).
    public func tokens(batchIndex: Int = 0) -> [String] { encodings[batchIndex].tokens }
    /// Word ids of example `batchIndex` (Python `inputs.word_ids(batch_index=i)`).
    public func wordIds(batchIndex: Int = 0) -> [Int?] { encodings[batchIndex].wordIds() }
    /// Sequence ids of example `batchIndex` (Python `inputs.sequence_ids(batch_index=i)`).
    public func sequenceIds(batchIndex: Int = 0) -> [Int?] { encodings[batchIndex].sequenceIds() }
}
