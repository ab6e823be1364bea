/// How a token-classification pipeline turns per-token predictions into entities (Python
/// `aggregation_strategy`).
public enum AggregationStrategy: String, Sendable, CaseIterable {
    /// One entity per token (`entity`, `score`, `index`, `word`, `start`, `end`).
    case none
    /// Consecutive tokens with the same tag (B- starts a new one) grouped into one entity,
    /// scored by the mean of their scores.
    case simple
    /// Words first: a word takes the label of its first token, then words are grouped as in `simple`.
    case first
    /// Words first: a word takes the label of its tokens' mean scores.
    case average
    /// Words first: a word takes the label of its most confident token.
    case max
}

/// One entity found by a token-classification pipeline: a token (strategy `none`: `entity` and
/// `index` are set) or a group of tokens or words (other strategies: `entityGroup` is set).
/// `start..<end` are character (Unicode scalar) offsets into the text, as Python's.
public struct Entity: Sendable, Equatable, CustomStringConvertible {
    /// The token's label, e.g. "B-PER" (strategy `none` only).
    public var entity: String?
    /// The group's label without B-/I-, e.g. "PER" (strategies other than `none`).
    public var entityGroup: String?
    /// Probability of the label (mean over the group's tokens or words).
    public var score: Float
    /// Position of the token in the encoding, [CLS] being 0 (strategy `none` only).
    public var index: Int?
    /// The token (strategy `none`), or the text the tokenizer decodes from the group's tokens.
    public var word: String
    /// Offset of the entity's first character in the text (Unicode scalars).
    public var start: Int
    /// Offset just past the entity's last character: `start..<end` is the entity's text.
    public var end: Int

    /// An entity with these fields (pipelines make them; tests and callers compare with them).
    public init(entity: String? = nil, entityGroup: String? = nil, score: Float, index: Int? = nil,
                word: String, start: Int, end: Int) {
        self.entity = entity
        self.entityGroup = entityGroup
        self.score = score
        self.index = index
        self.word = word
        self.start = start
        self.end = end
    }

    /// The label whichever strategy made the entity.
    public var label: String { entityGroup ?? entity ?? "" }

    /// Printed like the Python dict, keys in Python's order, score to 4 decimals:
    /// `{'entity_group': 'PER', 'score': 0.9981, 'word': 'sylvain', 'start': 11, 'end': 18}`.
    public var description: String {
        var parts: [String] = []
        if let entity { parts.append("'entity': \(pythonRepr(entity))") }
        if let entityGroup { parts.append("'entity_group': \(pythonRepr(entityGroup))") }
        parts.append("'score': \(formatScore(score))")
        if let index { parts.append("'index': \(index)") }
        parts.append("'word': \(pythonRepr(word))")
        parts.append("'start': \(start)")
        parts.append("'end': \(end)")
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
