import Datasets
import Models
import Tokenizers

/// Pads token-classification rows into a `Batch` (Python `DataCollatorForTokenClassification`):
/// the inputs as `tokenizer.pad` would, and the per-token labels with `labelPadTokenId` (-100,
/// which the loss ignores) on the same side, so every label stays under its token.
///
///     let collator = DataCollatorForTokenClassification(tokenizer: tokenizer)
///     let batch = try collator((0..<2).map { try tokenizedDatasets["train"][$0] })
///     print(batch)                  // {'input_ids': [2, 18], ..., 'labels': [2, 18]}
///     print(try batch["labels"])    // tensor([[-100,    3,    0, ...
///
/// Rows hold `input_ids` and optionally `token_type_ids`, `attention_mask` and `labels` (or
/// `label`): lists of ints, one per token, as `dataset.map` writes them. Other columns are
/// left out of the batch. Output: `input` [B, T], `labels` flat [B·T] (shape [B, T]).
public struct DataCollatorForTokenClassification: DataCollator {
    /// Pads `input_ids` with its pad token id, and `token_type_ids` with its pad type id.
    public let tokenizer: Tokenizer
    /// How far to pad: each batch's longest row (`.longest`), `maxLength`, or not at all.
    public var padding: Padding
    /// The length `.maxLength` pads to (nil: the tokenizer's `modelMaxLength`).
    public var maxLength: Int?
    /// Rounds the padded length up to a multiple of this, when set.
    public var padToMultipleOf: Int?
    /// The label padding gets (-100: ignored by the loss and the metrics).
    public var labelPadTokenId: Int

    /// A collator with Python's defaults: pad to each batch's longest row, labels padded with -100.
    public init(tokenizer: Tokenizer, padding: Padding = .longest, maxLength: Int? = nil, padToMultipleOf: Int? = nil,
                labelPadTokenId: Int = -100) {
        self.tokenizer = tokenizer
        self.padding = padding
        self.maxLength = maxLength
        self.padToMultipleOf = padToMultipleOf
        self.labelPadTokenId = labelPadTokenId
    }

    public func callAsFunction(_ features: [Row]) throws -> Batch {
        let padded = try padFeatures(features, tokenizer: tokenizer, padding: padding, maxLength: maxLength,
                                     padToMultipleOf: padToMultipleOf)
        let input = try BertInput(batchSize: padded.batchSize, sequenceLength: padded.length, inputIds: padded.inputIds,
                                  tokenTypeIds: padded.tokenTypeIds, attentionMask: padded.attentionMask)
        // As in Python: the label column is `label` if row 0 has one, else `labels`.
        let labelName = features[0].contains("label") ? "label" : "labels"
        guard features[0].contains(labelName) else {
            return try Batch(input: input, labels: nil, labelsShape: nil, keys: padded.keys)
        }
        let t = padded.length
        let pad = try int32(labelPadTokenId, "labelPadTokenId")
        var labels: [Int32] = []
        labels.reserveCapacity(padded.batchSize * t)
        for (i, row) in features.enumerated() {
            let rowLabels = try intList(row, labelName, index: i, what: "label ids")
            guard rowLabels.count == padded.lengths[i] else {
                throw CollatorError("row \(i): '\(labelName)' has \(rowLabels.count) labels but 'input_ids' has "
                    + "\(padded.lengths[i]) tokens; align the labels with the tokens first (one label per token, "
                    + "-100 for special tokens, using wordIds())")
            }
            let pads = repeatElement(pad, count: t - rowLabels.count)
            if padded.side == .left { labels.append(contentsOf: pads) }
            for label in rowLabels { labels.append(try int32(label, "label")) }
            if padded.side == .right { labels.append(contentsOf: pads) }
        }
        return try Batch(input: input, labels: labels, labelsShape: [padded.batchSize, t], keys: padded.keys + ["labels"])
    }
}
