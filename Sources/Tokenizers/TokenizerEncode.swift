/// Encoding entry points: texts, pairs, batches, pre-split words. Every overload ends in
/// `encodeBatch`, which runs the pipeline per input with one reused scratch workspace.
extension Tokenizer {
    /// Encodes a text, or a pair of texts (Python `tokenizer(text, pair)`).
    public func callAsFunction(_ text: String, _ pair: String? = nil, addSpecialTokens: Bool = true,
                               truncation: Truncation = false, maxLength: Int? = nil, padding: Padding = false,
                               padToMultipleOf: Int? = nil) throws -> Encoding {
        try encodeBatch([(.text(text), pair.map(Input.text))], addSpecialTokens: addSpecialTokens, truncation: truncation,
                        maxLength: maxLength, padding: padding, padToMultipleOf: padToMultipleOf)[0]
    }

    /// Encodes a batch of texts, or of text pairs (`pairs[i]` goes with `texts[i]`).
    public func callAsFunction(_ texts: [String], _ pairs: [String]? = nil, addSpecialTokens: Bool = true,
                               truncation: Truncation = false, maxLength: Int? = nil, padding: Padding = false,
                               padToMultipleOf: Int? = nil) throws -> BatchEncoding {
        if let pairs, pairs.count != texts.count {
            throw TokenizerError("\(texts.count) texts but \(pairs.count) pairs: pass one pair per text")
        }
        let inputs = texts.indices.map { i in (Input.text(texts[i]), pairs.map { Input.text($0[i]) }) }
        return BatchEncoding(try encodeBatch(inputs, addSpecialTokens: addSpecialTokens, truncation: truncation,
                                             maxLength: maxLength, padding: padding, padToMultipleOf: padToMultipleOf))
    }

    /// Encodes pre-split words (Python `is_split_into_words=True`): each word is tokenized on
    /// its own, `wordIds()` gives the index of the word each token came from, and offsets are
    /// relative to the token's word.
    public func callAsFunction(_ words: [String], _ pairWords: [String]? = nil, isSplitIntoWords: Bool,
                               addSpecialTokens: Bool = true, truncation: Truncation = false, maxLength: Int? = nil,
                               padding: Padding = false, padToMultipleOf: Int? = nil) throws -> Encoding {
        guard isSplitIntoWords else {
            throw TokenizerError("a [String] with isSplitIntoWords: false is a batch of texts: call tokenizer(texts) without isSplitIntoWords")
        }
        return try encodeBatch([(.words(words), pairWords.map(Input.words))], addSpecialTokens: addSpecialTokens,
                               truncation: truncation, maxLength: maxLength, padding: padding,
                               padToMultipleOf: padToMultipleOf)[0]
    }

    /// Encodes a batch of pre-split sentences (and optional pre-split pairs).
    public func callAsFunction(_ batch: [[String]], _ pairs: [[String]]? = nil, isSplitIntoWords: Bool,
                               addSpecialTokens: Bool = true, truncation: Truncation = false, maxLength: Int? = nil,
                               padding: Padding = false, padToMultipleOf: Int? = nil) throws -> BatchEncoding {
        guard isSplitIntoWords else {
            throw TokenizerError("a batch of word lists needs isSplitIntoWords: true")
        }
        if let pairs, pairs.count != batch.count {
            throw TokenizerError("\(batch.count) sentences but \(pairs.count) pairs: pass one pair per sentence")
        }
        let inputs = batch.indices.map { i in (Input.words(batch[i]), pairs.map { Input.words($0[i]) }) }
        return BatchEncoding(try encodeBatch(inputs, addSpecialTokens: addSpecialTokens, truncation: truncation,
                                             maxLength: maxLength, padding: padding, padToMultipleOf: padToMultipleOf))
    }

    /// Pads already-encoded examples together (Python `tokenizer.pad`, what
    /// `DataCollatorWithPadding` calls for dynamic padding): to the longest of them, or to
    /// `maxLength`, on `paddingSide`. Longer encodings are left as they are.
    public func pad(_ encodings: [Encoding], padding: Padding = .longest, maxLength: Int? = nil,
                    padToMultipleOf: Int? = nil) throws -> BatchEncoding {
        var out = encodings
        try applyPadding(&out, padding: padding, maxLength: maxLength, padToMultipleOf: padToMultipleOf)
        return BatchEncoding(out)
    }

    /// Ids of `text` with special tokens (Python `tokenizer.encode(text)`).
    public func encode(_ text: String, _ pair: String? = nil, addSpecialTokens: Bool = true) throws -> [Int] {
        try self(text, pair, addSpecialTokens: addSpecialTokens).ids
    }

    /// Tokens of `text` without special tokens (Python `tokenizer.tokenize(text)`).
    public func tokenize(_ text: String) throws -> [String] {
        try self(text, addSpecialTokens: false).tokens
    }
}

/// One side of an input: a text, or words already split.
enum Input {
    case text(String)
    case words([String])
}

/// Scratch buffers reused across the inputs of a batch, so encoding allocates little.
struct Workspace {
    var scalars: [UInt32] = []
    var normalized: [UInt32] = []
    var origins: [Int32] = []
    var bytes: [UInt8] = []
    var bounds: [Int] = []
}

extension Tokenizer {
    func encodeBatch(_ inputs: [(Input, Input?)], addSpecialTokens: Bool, truncation: Truncation, maxLength: Int?,
                     padding: Padding, padToMultipleOf: Int?) throws -> [Encoding] {
        var truncateTo: Int?
        if truncation != .doNotTruncate {
            truncateTo = maxLength ?? modelMaxLength
        }
        var ws = Workspace()
        var out: [Encoding] = []
        out.reserveCapacity(inputs.count)
        for (first, second) in inputs {
            var a = RawSequence()
            encodeSequence(first, into: &a, ws: &ws)
            var b: RawSequence?
            if let second {
                var s = RawSequence()
                encodeSequence(second, into: &s, ws: &ws)
                b = s
            }
            if let limit = truncateTo {
                let added = addSpecialTokens ? (postProcessor?.addedTokens(isPair: b != nil) ?? 0) : 0
                guard limit >= added else {
                    throw TokenizerError("maxLength \(limit) leaves no room: the special tokens alone take \(added)")
                }
                try truncate(&a, &b, maxLength: limit - added, strategy: truncation, side: truncationSide)
            }
            if let postProcessor {
                out.append(postProcessor.process(a, b, addSpecialTokens: addSpecialTokens, vocabulary: vocabulary))
            } else {
                out.append(TemplateProcessing(single: [], pair: []).process(a, b, addSpecialTokens: false, vocabulary: vocabulary))
            }
        }
        try applyPadding(&out, padding: padding, maxLength: maxLength, padToMultipleOf: padToMultipleOf)
        if !returnsTokenTypeIds { for i in out.indices { out[i].returnsTokenTypeIds = false } }
        return out
    }

    func applyPadding(_ out: inout [Encoding], padding: Padding, maxLength: Int?, padToMultipleOf: Int?) throws {
        var target: Int?
        switch padding {
        case .doNotPad: target = nil
        case .longest: target = out.map(\.count).max()
        case .maxLength:
            guard let m = maxLength ?? modelMaxLength else {
                throw TokenizerError("padding: .maxLength needs maxLength (this tokenizer has no model_max_length)")
            }
            target = m
        }
        if var t = target {
            if let m = padToMultipleOf, m > 0, t % m != 0 { t += m - t % m }
            for i in out.indices { out[i].pad(to: t, side: paddingSide, padId: padTokenId, padTypeId: padTokenTypeId) }
        }
    }

    /// Tokens of one input side, before special tokens.
    func encodeSequence(_ input: Input, into raw: inout RawSequence, ws: inout Workspace) {
        switch input {
        case .text(let text):
            var word: Int32 = 0
            encodePiece(text, fixedWord: nil, wordCounter: &word, into: &raw, ws: &ws)
        case .words(let words):
            var unused: Int32 = 0
            for (i, w) in words.enumerated() {
                encodePiece(w, fixedWord: Int32(i), wordCounter: &unused, into: &raw, ws: &ws)
            }
        }
    }

    /// Runs added-token matching, normalization, pre-tokenization and WordPiece on `text`.
    /// Each resulting word gets the next `wordCounter` value, or `fixedWord` for pre-split input.
    /// Offsets are scalar indices into `text`.
    func encodePiece(_ text: String, fixedWord: Int32?, wordCounter: inout Int32, into raw: inout RawSequence,
                     ws: inout Workspace) {
        ws.scalars.removeAll(keepingCapacity: true)
        for s in text.unicodeScalars { ws.scalars.append(s.value) }
        let scalars = ws.scalars
        scalars.withUnsafeBufferPointer { input in
            addedTokens.split(input, 0..<input.count) { range, addedId in
                if let addedId {
                    raw.ids.append(addedId)
                    raw.starts.append(Int32(range.lowerBound)); raw.ends.append(Int32(range.upperBound))
                    raw.words.append(fixedWord ?? wordCounter)
                    wordCounter += 1
                    return
                }
                ws.normalized.removeAll(keepingCapacity: true)
                ws.origins.removeAll(keepingCapacity: true)
                if let normalizer {
                    normalizer.normalize(input, range, into: &ws.normalized, origins: &ws.origins)
                } else {
                    for i in range { ws.normalized.append(input[i]); ws.origins.append(Int32(i)) }
                }
                let normalized = ws.normalized, origins = ws.origins
                normalized.withUnsafeBufferPointer { norm in
                    func emit(_ word: Range<Int>) {
                        let first = raw.ids.count
                        model.tokenize(norm, word, ids: &raw.ids, starts: &raw.starts, ends: &raw.ends,
                                       bytes: &ws.bytes, bounds: &ws.bounds)
                        // Normalized positions → original scalar offsets.
                        for k in first..<raw.ids.count {
                            raw.starts[k] = origins[Int(raw.starts[k])]
                            raw.ends[k] = origins[Int(raw.ends[k]) - 1] + 1
                        }
                        raw.words.append(contentsOf: repeatElement(fixedWord ?? wordCounter, count: raw.ids.count - first))
                        wordCounter += 1
                    }
                    if let preTokenizer {
                        preTokenizer.split(norm, 0..<norm.count, word: emit)
                    } else if norm.count > 0 {
                        emit(0..<norm.count)
                    }
                }
            }
        }
    }
}
