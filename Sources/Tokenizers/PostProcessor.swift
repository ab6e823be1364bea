/// Adds special tokens around the sequences (tokenizer.json `"post_processor"`): BERT's
/// `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`, with type ids 0 for A and 1 for B. Both
/// `TemplateProcessing` and `BertProcessing` load into this template form.
public struct TemplateProcessing: Sendable, Equatable {
    /// One element of a template: special tokens, or one of the input sequences.
    public enum Piece: Sendable, Equatable {
        /// Special token(s) with their ids and type id.
        case special(ids: [Int], typeId: Int)
        /// Sequence 0 (A) or 1 (B), with the type id its tokens get.
        case sequence(Int, typeId: Int)
    }
    /// The template for one sequence: `[CLS] A [SEP]` for BERT.
    public var single: [Piece]
    /// The template for a pair: `[CLS] A [SEP] B [SEP]` for BERT.
    public var pair: [Piece]

    /// A post-processor with these templates.
    public init(single: [Piece], pair: [Piece]) {
        self.single = single
        self.pair = pair
    }

    /// BERT's template for `cls`/`sep` ids.
    public static func bert(cls: Int, sep: Int) -> TemplateProcessing {
        TemplateProcessing(
            single: [.special(ids: [cls], typeId: 0), .sequence(0, typeId: 0), .special(ids: [sep], typeId: 0)],
            pair: [.special(ids: [cls], typeId: 0), .sequence(0, typeId: 0), .special(ids: [sep], typeId: 0),
                   .sequence(1, typeId: 1), .special(ids: [sep], typeId: 1)])
    }

    /// Number of special tokens added to a single input or to a pair.
    public func addedTokens(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { n, p in
            if case .special(let ids, _) = p { return n + ids.count }
            return n
        }
    }

    /// The final encoding of `first` (and `second`).
    func process(_ first: RawSequence, _ second: RawSequence?, addSpecialTokens: Bool,
                 vocabulary: Vocabulary) -> Encoding {
        let n = first.count + (second?.count ?? 0) + (addSpecialTokens ? addedTokens(isPair: second != nil) : 0)
        var e = Encoding(ids: [], typeIds: [], attentionMask: [], specialTokensMask: [], offsets: [],
                         words: [], sequences: [], vocabulary: vocabulary)
        e.ids.reserveCapacity(n); e.typeIds.reserveCapacity(n); e.offsets.reserveCapacity(n)
        e.words.reserveCapacity(n); e.sequences.reserveCapacity(n)
        func append(_ s: RawSequence, index: Int, typeId: Int) {
            for i in 0..<s.count {
                e.ids.append(Int(s.ids[i]))
                e.offsets.append(Offset(Int(s.starts[i]), Int(s.ends[i])))
            }
            e.words.append(contentsOf: s.words)
            e.typeIds.append(contentsOf: repeatElement(typeId, count: s.count))
            e.sequences.append(contentsOf: repeatElement(Int8(index), count: s.count))
            e.specialTokensMask.append(contentsOf: repeatElement(0, count: s.count))
        }
        if !addSpecialTokens {
            append(first, index: 0, typeId: 0)
            if let second { append(second, index: 1, typeId: 1) }
        } else {
            for piece in second == nil ? single : pair {
                switch piece {
                case .special(let ids, let typeId):
                    for id in ids {
                        e.ids.append(id); e.typeIds.append(typeId); e.offsets.append(Offset(0, 0))
                        e.words.append(-1); e.sequences.append(-1); e.specialTokensMask.append(1)
                    }
                case .sequence(let index, let typeId):
                    if index == 0 { append(first, index: 0, typeId: typeId) } else if let second {
                        append(second, index: 1, typeId: typeId)
                    }
                }
            }
        }
        e.attentionMask = [Int](repeating: 1, count: e.ids.count)
        return e
    }
}
