import Foundation
import Models
import Tokenizers

/// Named-entity recognition on raw text, like Python's `TokenClassificationPipeline`: tokenize,
/// run the model (eval mode), softmax the logits [1, T, L], drop special tokens, aggregate by
/// `aggregationStrategy`, and drop entities whose label is in `ignoreLabels` ("O").
public final class TokenClassificationPipeline {
    /// The token classifier the pipeline runs (switched to eval mode for each call, then back).
    public let model: BertForTokenClassification
    /// The tokenizer that encodes each text, with the offsets that place entities in it.
    public let tokenizer: Tokenizer
    /// How per-token predictions become entities (Python `aggregation_strategy`).
    public var aggregationStrategy: AggregationStrategy
    /// Labels whose entities are dropped from the result ("O": outside any entity).
    public var ignoreLabels: [String]

    /// A pipeline around a model and its tokenizer; usually made by `pipeline(.tokenClassification, ...)`.
    public init(model: BertForTokenClassification, tokenizer: Tokenizer, aggregationStrategy: AggregationStrategy = .none,
                ignoreLabels: [String] = ["O"]) {
        self.model = model
        self.tokenizer = tokenizer
        self.aggregationStrategy = aggregationStrategy
        self.ignoreLabels = ignoreLabels
    }

    /// The entities of `text`, in text order.
    public func callAsFunction(_ text: String) throws -> [Entity] {
        let encoding = try tokenizer(text)
        let logits = try runModel(model, encoding, what: "text").logits  // [1, T, L]
        let l = logits.shape.last ?? 0
        let values = logits.scalars
        let unkId = tokenizer.specialTokenId("unk_token")
        var pre: [PreEntity] = []
        for idx in 0..<encoding.count where encoding.specialTokensMask[idx] == 0 {
            let id = encoding.ids[idx]
            let offset = encoding.offsets[idx]
            let wordRef = String(text.slice(offset))
            var word = tokenizer.vocabulary.token(of: id) ?? ""
            // WordPiece knows its words: a token whose text differs in length from its span
            // carries the "##" prefix, so it continues the previous token's word.
            var isSubword = word.unicodeScalars.count != wordRef.unicodeScalars.count
            if id == unkId {
                word = wordRef
                isSubword = false
            }
            pre.append(PreEntity(word: word, scores: softmax(values[(idx * l)..<((idx + 1) * l)]),
                                 start: offset.start, end: offset.end, index: idx, isSubword: isSubword))
        }
        let decoder = tokenizer.decoder
        let aggregator = EntityAggregator(strategy: aggregationStrategy, id2label: model.config.id2label,
                                          decode: { decoder?.decode($0) ?? $0.joined(separator: " ") })
        return aggregator.aggregate(pre).filter { e in
            !(e.entity.map(ignoreLabels.contains) ?? false) && !(e.entityGroup.map(ignoreLabels.contains) ?? false)
        }
    }

    /// The entities of each text.
    public func callAsFunction(_ texts: [String]) throws -> [[Entity]] {
        try texts.map { try self($0) }
    }
}
