import Datasets
import Models

/// What a data collator turns a list of dataset rows into (Python `collator(features)`).
/// Trainer and training loops take any of them.
public protocol DataCollator: Sendable {
    /// Pads `features` (rows with `input_ids`, ...) into one batch.
    func callAsFunction(_ features: [Row]) throws -> Batch
}

/// One collated batch: the model input and its labels, every row padded to one length T.
///
/// - `input`: `inputIds`, `tokenTypeIds` [B, T]; `attentionMask` [B, T] (1 token, 0 padding).
/// - `labels`: flat [B·T] for token classification (-100 where a token is ignored: special
///   tokens, padding), [B] for sequence classification; nil when the rows have no labels.
/// - `floatLabels`: [B] float targets instead of `labels` when the rows' labels are floats
///   (regression, e.g. STS-B's 0–5 similarity scores; Python's collator makes a float tensor).
///
/// Prints its shapes like the Python course's `{k: v.shape for k, v in batch.items()}`:
/// `{'input_ids': [8, 24], 'token_type_ids': [8, 24], 'attention_mask': [8, 24], 'labels': [8, 24]}`;
/// `batch["labels"]` is a `BatchTensor` that prints like a torch tensor.
public struct Batch: Sendable, CustomStringConvertible {
    /// Model input, ready for `model.forward(batch.input, labels: batch.labels)`.
    public var input: BertInput
    /// Labels: [B·T] (token classification) or [B] (sequence classification), or nil.
    public var labels: [Int32]?
    /// Regression targets [B] (float labels), or nil; a batch has `labels` or `floatLabels`, not both.
    public var floatLabels: [Float]?
    /// Shape of `labels` (or `floatLabels`): [B, T] or [B]; nil without labels.
    public let labelsShape: [Int]?
    /// Column names in the order Python's collator returns them (`input_ids`, then the other
    /// model columns as the rows had them, `attention_mask` if the rows lacked it, `labels`).
    public let keys: [String]

    /// A batch of this input and labels (class ids in `labels`, or float targets in
    /// `floatLabels`); throws when both are given, or `labelsShape` has a negative size or does
    /// not match the labels.
    public init(input: BertInput, labels: [Int32]?, floatLabels: [Float]?, labelsShape: [Int]?,
                keys: [String]) throws {
        if labels != nil, floatLabels != nil {
            throw CollatorError("a batch has class-id labels or float labels, not both")
        }
        let count = labels?.count ?? floatLabels?.count
        if let count, let shape = labelsShape, shape.contains(where: { $0 < 0 })
            || shape.reduce(Optional(1), { p, d in p.flatMap { let (r, o) = $0.multipliedReportingOverflow(by: d); return o ? nil : r } }) != count {
            throw CollatorError("labels has \(count) values but shape \(shape)")
        }
        if (count == nil) != (labelsShape == nil) {
            throw CollatorError("labels and labelsShape must both be given, or both be nil")
        }
        self.input = input
        self.labels = labels
        self.floatLabels = floatLabels
        self.labelsShape = labelsShape
        self.keys = keys
    }

    /// A batch of this input and class-id labels (see `init(input:labels:floatLabels:labelsShape:keys:)`).
    public init(input: BertInput, labels: [Int32]?, labelsShape: [Int]?, keys: [String]) throws {
        try self.init(input: input, labels: labels, floatLabels: nil, labelsShape: labelsShape, keys: keys)
    }

    /// Number of rows B.
    public var batchSize: Int { input.batchSize }
    /// Padded length T.
    public var sequenceLength: Int { input.sequenceLength }

    /// Shape of column `key` ([B, T] for the inputs, `labelsShape` for `labels`), nil if absent.
    public func shape(of key: String) -> [Int]? {
        guard keys.contains(key) else { return nil }
        return key == "labels" ? labelsShape : [batchSize, sequenceLength]
    }

    /// Column `key` as an integer tensor (`batch["labels"]`, `batch["input_ids"]`).
    public subscript(key: String) -> BatchTensor {
        get throws {
            guard keys.contains(key), let shape = shape(of: key) else {
                throw CollatorError("no column '\(key)' in this batch; its columns are \(keys)")
            }
            switch key {
            case "input_ids": return BatchTensor(shape: shape, values: input.inputIds.map(Int.init))
            case "token_type_ids": return BatchTensor(shape: shape, values: input.tokenTypeIds.map(Int.init))
            case "attention_mask":
                let n = batchSize * sequenceLength
                return BatchTensor(shape: shape, values: input.attentionMask?.map { Int($0) } ?? Array(repeating: 1, count: n))
            default:
                if floatLabels != nil {
                    throw CollatorError("this batch's labels are floats (regression): read batch.floatLabels")
                }
                return BatchTensor(shape: shape, values: (labels ?? []).map(Int.init))
            }
        }
    }

    public var description: String {
        "{" + keys.map { key in
            "'\(key)': [" + (shape(of: key) ?? []).map(String.init).joined(separator: ", ") + "]"
        }.joined(separator: ", ") + "}"
    }
}

extension BertClassifier {
    /// Runs the model on a collated batch, with its labels when it has them (Python
    /// `outputs = model(**batch)`): logits, and the mean loss when the batch has labels
    /// (mean-squared error for float labels, which only a regression head takes).
    public func callAsFunction(_ batch: Batch) throws -> ClassifierOutput {
        if let floatLabels = batch.floatLabels { return try forward(batch.input, regressionLabels: floatLabels) }
        return try forward(batch.input, labels: batch.labels)
    }
}
