import Foundation
import Models
import Tokenizers

/// A label and its probability, printed like the Python dict
/// `{'label': 'POSITIVE', 'score': 0.9598}` (score to 4 decimals; the raw Float is kept).
public struct ClassificationResult: Sendable, Equatable, CustomStringConvertible {
    /// The label's name (`config.id2label`), e.g. "POSITIVE" or "equivalent".
    public var label: String
    /// Its probability, 0...1 (softmax over the labels; sigmoid for a one-label model).
    public var score: Float
    /// A result with this label and score.
    public init(label: String, score: Float) { self.label = label; self.score = score }
    public var description: String { "{'label': \(pythonRepr(label)), 'score': \(formatScore(score))}" }
}

/// Sequence classification on raw text, like Python's `TextClassificationPipeline`: tokenize,
/// run the model (eval mode) on logits [1, L], softmax (sigmoid for a single label), and keep the
/// `topK` most probable labels, best first (nil: every label).
public final class TextClassificationPipeline {
    /// The classifier the pipeline runs (switched to eval mode for each call, then back).
    public let model: BertForSequenceClassification
    /// The tokenizer that encodes each text (and pair) for the model.
    public let tokenizer: Tokenizer
    /// Labels returned per text by `callAsFunction(_: String)`; nil returns all of them.
    public var topK: Int?

    /// A pipeline around a model and its tokenizer; usually made by `pipeline(.textClassification, ...)`.
    public init(model: BertForSequenceClassification, tokenizer: Tokenizer, topK: Int? = 1) {
        self.model = model
        self.tokenizer = tokenizer
        self.topK = topK
    }

    /// Every label's probability for `text` (and `textPair`, a second sentence as in MRPC), in
    /// label-id order.
    public func scores(_ text: String, textPair: String? = nil) throws -> [ClassificationResult] {
        let encoding = try tokenizer(text, textPair)
        let logits = try runModel(model, encoding, what: textPair == nil ? "text" : "sentence pair").logits.scalars  // [1, L]
        let probs = logits.count == 1 ? logits.map { 1 / (1 + expf(-$0)) } : softmax(logits[...])
        let names = model.config.id2label
        return probs.enumerated().map { ClassificationResult(label: names[$0.offset] ?? "LABEL_\($0.offset)", score: $0.element) }
    }

    /// The pipeline's `topK` labels of `text`, most probable first.
    public func callAsFunction(_ text: String) throws -> [ClassificationResult] {
        try self(text, topK: topK)
    }

    /// The `topK` labels of `text`, most probable first (nil: all); equal scores keep label order.
    public func callAsFunction(_ text: String, topK: Int?) throws -> [ClassificationResult] {
        try self(text, textPair: nil, topK: topK)
    }

    /// The pipeline's `topK` labels of a sentence pair (Python
    /// `classifier({"text": a, "text_pair": b})`), most probable first.
    public func callAsFunction(_ text: String, textPair: String?) throws -> [ClassificationResult] {
        try self(text, textPair: textPair, topK: topK)
    }

    /// The `topK` labels of a sentence pair, most probable first (nil: all).
    public func callAsFunction(_ text: String, textPair: String?, topK k: Int?) throws -> [ClassificationResult] {
        if let k, k < 1 { throw PipelineError("topK must be at least 1 (or nil for every label), got \(k)") }
        let sorted = try scores(text, textPair: textPair).enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }.map(\.element)
        return k.map { Array(sorted.prefix($0)) } ?? sorted
    }

    /// The most probable label of each text (what Python returns for a list of texts).
    public func callAsFunction(_ texts: [String]) throws -> [ClassificationResult] {
        try texts.map { text in
            guard let best = try self(text, topK: 1).first else {
                throw PipelineError("the model has no labels: give its config an id2label")
            }
            return best
        }
    }

    /// The `topK` labels of each text.
    public func callAsFunction(_ texts: [String], topK: Int?) throws -> [[ClassificationResult]] {
        try texts.map { try self($0, topK: topK) }
    }
}
