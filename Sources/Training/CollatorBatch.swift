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
///
/// Prints its shapes like the Python course's `{k: v.shape for k, v in batch.items()}`:
/// `{'input_ids': [8, 24], 'token_type_ids': [8, 24], 'attention_mask': [8, 24], 'labels': [8, 24]}`;
/// `batch["labels"]` is a `BatchTensor` that prints like a torch tensor.
public struct Batch: Sendable, CustomStringConvertible {
    /// Model input, ready for `model.forward(batch.input, labels: batch.labels)`.
    public var input: BertInput
    /// Labels: [B·T] (token classification) or [B] (sequence classification), or nil.
    public var labels: [Int32]?
    /// Shape of `labels`: [B, T] or [B]; nil without labels.
    public let labelsShape: [Int]?
    /// Column names in the order Python's collator returns them (`input_ids`, then the other
    /// model columns as the rows had them, `attention_mask` if the rows lacked it, `labels`).
    public let keys: [String]

    /// A batch of this input and labels; throws when `labelsShape` has a negative size or does not match `labels`.
    public init(input: BertInput, labels: [Int32]?, labelsShape: [Int]?, keys: [String]) throws {
        if let labels, let shape = labelsShape, shape.contains(where: { $0 < 0 })
            || shape.reduce(Optional(1), { p, d in p.flatMap { let (r, o) = $0.multipliedReportingOverflow(by: d); return o ? nil : r } }) != labels.count {
            throw CollatorError("labels has \(labels.count) values but shape \(shape)")
        }
        if (labels == nil) != (labelsShape == nil) {
            throw CollatorError("labels and labelsShape must both be given, or both be nil")
        }
        self.input = input
        self.labels = labels
        self.labelsShape = labelsShape
        self.keys = keys
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
            default: return BatchTensor(shape: shape, values: (labels ?? []).map(Int.init))
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
    /// `outputs = model(**batch)`): logits, and the mean loss when the batch has labels.
    public func callAsFunction(_ batch: Batch) throws -> ClassifierOutput {
        try forward(batch.input, labels: batch.labels)
    }
}
