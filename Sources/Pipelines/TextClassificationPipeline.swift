import Foundation
import Models
import Tokenizers

/// A label and its probability, printed like the Python dict
/// `{'label': 'POSITIVE', 'score': 0.9598}` (score to 4 decimals; the raw Float is kept).
public struct ClassificationResult: Sendable, Equatable, CustomStringConvertible {
    /// The label's name (`config.id2label`), e.g. "POSITIVE" or "equivalent".
    public var label: String
    /// Its probability, 0...1 (softmax over the labels; sigmoid for a one-label model), or for a
    /// regression model the raw output (Python's `function_to_apply="none"`).
    public var score: Float
    /// A result with this label and score.
    public init(label: String, score: Float) { self.label = label; self.score = score }
    public var description: String { "{'label': \(pythonRepr(label)), 'score': \(formatScore(score))}" }
}

/// What the pipeline applies to the logits (Python's `function_to_apply`).
public enum ClassificationFunction: String, Sendable {
    /// Probabilities over the labels (single-label classification with two or more labels).
    case softmax
    /// An independent probability per label (one label, or multi-label classification).
    case sigmoid
    /// The raw outputs: a regression model's predicted values (STS-B's 0–5 score).
    case none
}

/// Sequence classification on raw text, like Python's `TextClassificationPipeline`: tokenize,
/// run the model (eval mode) on logits [1, L], softmax (sigmoid for a single label; nothing for
/// a regression model, whose score is its output), and keep the `topK` best labels, best first
/// (nil: every label).
public final class TextClassificationPipeline {
    /// The classifier the pipeline runs (switched to eval mode for each call, then back).
    public let model: BertForSequenceClassification
    /// The tokenizer that encodes each text (and pair) for the model.
    public let tokenizer: Tokenizer
    /// Labels returned per text by `callAsFunction(_: String)`; nil returns all of them.
    public var topK: Int?
    /// What turns logits into scores; nil chooses as Python does (see `function`).
    public var functionToApply: ClassificationFunction?

    /// A pipeline around a model and its tokenizer; usually made by `pipeline(.textClassification, ...)`.
    public init(model: BertForSequenceClassification, tokenizer: Tokenizer, topK: Int? = 1) {
        self.model = model
        self.tokenizer = tokenizer
        self.topK = topK
    }

    /// The function applied to the logits: `functionToApply`, else as transformers chooses:
    /// `.none` for `problem_type` "regression", `.sigmoid` for multi-label or one label,
    /// `.softmax` otherwise. (A model trained here on float labels has `problem_type`
    /// "regression" in its config, so its pipeline returns the predicted value.)
    public var function: ClassificationFunction {
        if let functionToApply { return functionToApply }
        let config = model.config
        if config.problemType == "regression" { return .none }
        if config.problemType == "multi_label_classification" || config.numLabels == 1 { return .sigmoid }
        return .softmax
    }

    /// Every label's probability for `text` (and `textPair`, a second sentence as in MRPC), in
    /// label-id order.
    public func scores(_ text: String, textPair: String? = nil) throws -> [ClassificationResult] {
        let encoding = try tokenizer(text, textPair)
        let logits = try runModel(model, encoding, what: textPair == nil ? "text" : "sentence pair").logits.scalars  // [1, L]
        let probs: [Float]
        switch function {
        case .none: probs = logits
        case .sigmoid: probs = logits.map { 1 / (1 + expf(-$0)) }
        case .softmax: probs = softmax(logits[...])
        }
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
