import Datasets
import Models
import Tokenizers

/// Dynamic padding for sequence classification (Python `DataCollatorWithPadding`): each batch
/// is padded only to its own longest row (or to `maxLength` with `.maxLength`), rounded up to
/// `padToMultipleOf`. Sentence pairs keep their `token_type_ids`; padding gets the tokenizer's
/// pad type id. The `label` (or `label_ids`, `labels`) column becomes `labels` [B]: class ids,
/// or when any row's label is a float, `floatLabels` [B] (regression, as Python's collator
/// makes a float tensor of float labels).
///
///     let collator = DataCollatorWithPadding(tokenizer: tokenizer)
///     let batch = try collator((0..<8).map { try tokenizedDatasets["train"][$0] })
///     print(batch)   // {'input_ids': [8, 67], 'token_type_ids': [8, 67], 'attention_mask': [8, 67], 'labels': [8]}
///
/// Output: `input` [B, T], `labels` [B] (nil when the rows have no label column).
public struct DataCollatorWithPadding: DataCollator {
    /// Pads `input_ids` with its pad token id, and `token_type_ids` with its pad type id.
    public let tokenizer: Tokenizer
    /// How far to pad: each batch's longest row (`.longest`), `maxLength`, or not at all.
    public var padding: Padding
    /// The length `.maxLength` pads to (nil: the tokenizer's `modelMaxLength`).
    public var maxLength: Int?
    /// Rounds the padded length up to a multiple of this, when set.
    public var padToMultipleOf: Int?

    /// A collator with Python's defaults: pad to each batch's longest row.
    public init(tokenizer: Tokenizer, padding: Padding = .longest, maxLength: Int? = nil, padToMultipleOf: Int? = nil) {
        self.tokenizer = tokenizer
        self.padding = padding
        self.maxLength = maxLength
        self.padToMultipleOf = padToMultipleOf
    }

    public func callAsFunction(_ features: [Row]) throws -> Batch {
        let padded = try padFeatures(features, tokenizer: tokenizer, padding: padding, maxLength: maxLength,
                                     padToMultipleOf: padToMultipleOf)
        let input = try BertInput(batchSize: padded.batchSize, sequenceLength: padded.length, inputIds: padded.inputIds,
                                  tokenTypeIds: padded.tokenTypeIds, attentionMask: padded.attentionMask)
        // Python renames `label` and `label_ids` to `labels`; the first one row 0 has wins.
        guard let labelName = ["label", "label_ids", "labels"].first(where: features[0].contains) else {
            return try Batch(input: input, labels: nil, labelsShape: nil, keys: padded.keys)
        }
        var values: [Value] = []
        values.reserveCapacity(features.count)
        for (i, row) in features.enumerated() {
            guard row.contains(labelName) else {
                throw CollatorError("row \(i) has no '\(labelName)' column but row 0 has one; give every row a label")
            }
            values.append(try row[labelName])
        }
        let keys = padded.keys + ["labels"]
        if values.contains(where: { if case .float = $0 { return true } else { return false } }) {
            // Float labels: regression targets; whole numbers in other rows are values too.
            let targets = try values.enumerated().map { i, value -> Float in
                switch value {
                case .float(let x): return Float(x)
                case .int(let n): return Float(n)
                default: throw CollatorError("row \(i): '\(labelName)' is \(value), not a number; regression needs one float label per row")
                }
            }
            return try Batch(input: input, labels: nil, floatLabels: targets, labelsShape: [features.count], keys: keys)
        }
        var labels: [Int32] = []
        labels.reserveCapacity(features.count)
        for (i, value) in values.enumerated() {
            guard case .int(let label) = value else {
                throw CollatorError("row \(i): '\(labelName)' is \(value), not an int class id or a float score; sequence "
                    + "classification needs one integer label per row, regression one float (multi-label targets are not supported)")
            }
            labels.append(try int32(label, "label"))
        }
        return try Batch(input: input, labels: labels, labelsShape: [features.count], keys: keys)
    }
}
