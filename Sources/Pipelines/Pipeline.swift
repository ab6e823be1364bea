import Foundation
import Hub
import Models
import Tokenizers

/// A pipeline failure a user can cause (text too long for the model, a model without labels,
/// ...); the message says what was wrong and what to do.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// The task of a pipeline, as the Python `pipeline("token-classification")` names it. The type
/// parameter is the pipeline the task builds, so `pipeline(.tokenClassification, ...)` returns a
/// `TokenClassificationPipeline` and `pipeline(.textClassification, ...)` a
/// `TextClassificationPipeline`.
public struct PipelineTask<P>: Sendable, CustomStringConvertible {
    /// The Python task name.
    public let name: String
    public var description: String { name }
}

extension PipelineTask where P == TokenClassificationPipeline {
    /// Named-entity recognition: one label per token (Python `"token-classification"`).
    public static var tokenClassification: Self { Self(name: "token-classification") }
    /// Python's alias `"ner"`.
    public static var ner: Self { Self(name: "ner") }
}

extension PipelineTask where P == TextClassificationPipeline {
    /// One label per text (Python `"text-classification"`).
    public static var textClassification: Self { Self(name: "text-classification") }
    /// Python's alias `"sentiment-analysis"`.
    public static var sentimentAnalysis: Self { Self(name: "sentiment-analysis") }
}

/// A token-classification pipeline from a checkpoint (a directory such as one written by
/// `savePretrained`, or a model name the hub resolves); the tokenizer comes from the same
/// checkpoint unless given. `bf16: true` runs the model's matrix products in bf16 (mixed
/// precision through oneDNN, see `BertClassifier.setBF16`); for a model already in memory call
/// `try model.setBF16(true)` before making its pipeline. `quantization: .int8Dynamic` runs its
/// linear layers in dynamic int8 (`BertClassifier.quantize`; inference only, like a pipeline).
///
///     let ner = try pipeline(.tokenClassification, model: "bert-finetuned-ner", aggregationStrategy: .simple)
///     print(try ner("My name is Sylvain and I work at Hugging Face in Brooklyn"))
public func pipeline(_ task: PipelineTask<TokenClassificationPipeline>, model: String, tokenizer: Tokenizer? = nil,
                     aggregationStrategy: AggregationStrategy = .none, ignoreLabels: [String] = ["O"],
                     hub: Hub = .shared, bf16: Bool = false,
                     quantization: Quantization = .none) throws -> TokenClassificationPipeline {
    let m = try BertForTokenClassification.fromPretrained(model, hub: hub)
    if bf16 { try m.setBF16(true) }
    try m.quantize(quantization)
    let t = try tokenizer ?? Tokenizer.fromPretrained(model, hub: hub)
    return TokenClassificationPipeline(model: m, tokenizer: t, aggregationStrategy: aggregationStrategy,
                                       ignoreLabels: ignoreLabels)
}

/// A token-classification pipeline around a model already in memory (e.g. just trained).
public func pipeline(_ task: PipelineTask<TokenClassificationPipeline>, model: BertForTokenClassification,
                     tokenizer: Tokenizer, aggregationStrategy: AggregationStrategy = .none,
                     ignoreLabels: [String] = ["O"]) -> TokenClassificationPipeline {
    TokenClassificationPipeline(model: model, tokenizer: tokenizer, aggregationStrategy: aggregationStrategy,
                                ignoreLabels: ignoreLabels)
}

/// A text-classification pipeline from a checkpoint; `topK` labels per text (nil: all labels);
/// `bf16` and `quantization` as for token classification.
///
///     let classifier = try pipeline(.sentimentAnalysis, model: "imdb-model")
///     print(try classifier("I've been waiting for this course my whole life."))
public func pipeline(_ task: PipelineTask<TextClassificationPipeline>, model: String, tokenizer: Tokenizer? = nil,
                     topK: Int? = 1, hub: Hub = .shared, bf16: Bool = false,
                     quantization: Quantization = .none) throws -> TextClassificationPipeline {
    let m = try BertForSequenceClassification.fromPretrained(model, hub: hub)
    if bf16 { try m.setBF16(true) }
    try m.quantize(quantization)
    let t = try tokenizer ?? Tokenizer.fromPretrained(model, hub: hub)
    return TextClassificationPipeline(model: m, tokenizer: t, topK: topK)
}

/// A text-classification pipeline around a model already in memory.
public func pipeline(_ task: PipelineTask<TextClassificationPipeline>, model: BertForSequenceClassification,
                     tokenizer: Tokenizer, topK: Int? = 1) -> TextClassificationPipeline {
    TextClassificationPipeline(model: model, tokenizer: tokenizer, topK: topK)
}

/// Runs `model` on one encoded text in evaluation mode (no dropout), restoring the model's
/// mode afterwards so a pipeline can be used in the middle of training.
func runModel<M: BertClassifier>(_ model: M, _ encoding: Encoding, what: String) throws -> ClassifierOutput {
    let limit = model.config.maxPositionEmbeddings
    guard encoding.count <= limit else {
        throw PipelineError("the \(what) has \(encoding.count) tokens but the model reads at most \(limit): "
            + "shorten it or split it into sentences")
    }
    let wasTraining = model.training
    model.eval()
    defer { if wasTraining { model.train() } }
    let input = try BertInput(inputIds: [encoding.ids], attentionMask: [encoding.attentionMask],
                              tokenTypeIds: [encoding.typeIds])
    return try model.withNoGrad { try model.forward(input, labels: nil) }
}

/// Softmax of one row of logits, computed as numpy does in the Python pipeline (subtract the
/// max, exponentiate, divide by the sum) in Float.
func softmax(_ logits: ArraySlice<Float>) -> [Float] {
    let mx = logits.max() ?? 0
    let e = logits.map { expf($0 - mx) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
}

/// Python's `repr` of a string: single quotes unless the text holds one and no double quote.
func pythonRepr(_ s: String) -> String {
    let quote = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = quote
    for ch in s {
        switch ch {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case Character(quote): out += "\\" + quote
        default: out.append(ch)
        }
    }
    return out + quote
}

/// A score as the course prints it: 4 decimals (the raw Float stays in the value).
func formatScore(_ x: Float) -> String { String(format: "%.4f", Double(x)) }
