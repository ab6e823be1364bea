import Tensor

/// One padded batch for a BERT model: every row has the same length T.
/// inputIds, tokenTypeIds: [B, T]; attentionMask: [B, T] with 1 for tokens and 0 for padding.
public struct BertInput: Sendable {
    /// B: rows in the batch.
    public let batchSize: Int
    /// T: tokens per row (padding included).
    public let sequenceLength: Int
    /// Token ids [B, T], row-major.
    public let inputIds: [Int32]
    /// Segment ids [B, T]: 0 for the first sentence, 1 for the second (zeros for DistilBERT).
    public private(set) var tokenTypeIds: [Int32]
    /// [B, T]: 1 for a token, 0 for padding; nil: every position is a token.
    public let attentionMask: [Float]?

    /// A batch from nested rows, as a data collator produces them (`input_ids`, `attention_mask`,
    /// `token_type_ids`). Throws when rows differ in length or the masks do not match the ids.
    public init(inputIds: [[Int]], attentionMask: [[Int]]? = nil, tokenTypeIds: [[Int]]? = nil) throws {
        guard let first = inputIds.first, !first.isEmpty else {
            throw ModelError("the batch is empty: pass at least one sequence with at least one token")
        }
        let t = first.count
        func flat(_ rows: [[Int]], _ what: String) throws -> [Int32] {
            guard rows.count == inputIds.count else {
                throw ModelError("\(what) has \(rows.count) rows but input_ids has \(inputIds.count)")
            }
            var out: [Int32] = []
            out.reserveCapacity(rows.count * t)
            for (i, row) in rows.enumerated() {
                guard row.count == t else {
                    throw ModelError("\(what) row \(i) has \(row.count) tokens but row 0 has \(t): pad the batch "
                        + "to one length (a data collator with padding does this)")
                }
                for x in row { out.append(Int32(clamping: x)) }
            }
            return out
        }
        batchSize = inputIds.count
        sequenceLength = t
        self.inputIds = try flat(inputIds, "input_ids")
        self.tokenTypeIds = try tokenTypeIds.map { try flat($0, "token_type_ids") }
            ?? [Int32](repeating: 0, count: batchSize * t)
        self.attentionMask = try attentionMask.map { try flat($0, "attention_mask").map { Float($0) } }
    }

    /// A batch from flat row-major arrays of B·T values.
    public init(batchSize: Int, sequenceLength: Int, inputIds: [Int32], tokenTypeIds: [Int32]? = nil,
                attentionMask: [Float]? = nil) throws {
        // Checked: under -Ounchecked a wrapped B·T could equal inputIds.count and pass.
        let (n, overflow) = batchSize.multipliedReportingOverflow(by: sequenceLength)
        guard batchSize > 0, sequenceLength > 0, !overflow, inputIds.count == n else {
            throw ModelError("input_ids has \(inputIds.count) values; a batch of \(batchSize) × \(sequenceLength) needs \(n)")
        }
        guard tokenTypeIds.map({ $0.count == n }) ?? true, attentionMask.map({ $0.count == n }) ?? true else {
            throw ModelError("token_type_ids and attention_mask must have \(n) values, like input_ids")
        }
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.inputIds = inputIds
        self.tokenTypeIds = tokenTypeIds ?? [Int32](repeating: 0, count: n)
        self.attentionMask = attentionMask
    }

    /// The same batch with every token type 0 (for architectures without token types).
    func withoutTokenTypes() -> BertInput {
        if tokenTypeIds.allSatisfy({ $0 == 0 }) { return self }
        var copy = self
        copy.tokenTypeIds = [Int32](repeating: 0, count: tokenTypeIds.count)
        return copy
    }

    /// Checks ids against the model's vocabulary and sizes, with a message saying what to fix.
    func validate(_ config: BertConfig) throws {
        guard sequenceLength <= config.maxPositionEmbeddings else {
            throw ModelError("sequences of \(sequenceLength) tokens exceed max_position_embeddings "
                + "\(config.maxPositionEmbeddings): truncate them (tokenizer truncation: true, maxLength: \(config.maxPositionEmbeddings))")
        }
        for (i, id) in inputIds.enumerated() where id < 0 || Int(id) >= config.vocabSize {
            throw ModelError("input id \(id) at row \(i / sequenceLength), position \(i % sequenceLength) is outside "
                + "the vocabulary 0..<\(config.vocabSize): use the tokenizer that belongs to this checkpoint")
        }
        for (i, id) in tokenTypeIds.enumerated() where id < 0 || Int(id) >= config.typeVocabSize {
            throw ModelError("token type id \(id) at row \(i / sequenceLength) is outside 0..<\(config.typeVocabSize)")
        }
    }
}
