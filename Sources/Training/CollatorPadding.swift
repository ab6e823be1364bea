import Datasets
import Tokenizers

/// The model columns of a list of rows, padded to one length T: the part both collators share
/// (Python `tokenizer.pad(features, ...)`). Flat row-major [B·T] arrays.
struct PaddedFeatures {
    /// Model column names in output order (see `Batch.keys`), without labels.
    var keys: [String]
    var batchSize: Int
    var length: Int
    var inputIds: [Int32]
    var tokenTypeIds: [Int32]
    var attentionMask: [Float]
    /// Unpadded length of each row.
    var lengths: [Int]
    var side: PaddingSide
}

/// The columns a BERT model takes; other columns (`tokens`, `ner_tags`, `idx`, ...) are left
/// out of the batch, as the Trainer drops columns the model's forward does not name.
let modelColumns = ["input_ids", "token_type_ids", "attention_mask"]

/// Reads column `key` of row `index` as a list of ints, with an error naming the row, the
/// column and the bad value.
func intList(_ row: Row, _ key: String, index: Int, what: String = "token ids") throws -> [Int] {
    guard row.contains(key) else {
        throw CollatorError("row \(index) has no '\(key)' column (its columns are \(row.keys)); "
            + "every row needs the columns row 0 has")
    }
    guard case .list(let items) = try row[key] else {
        throw CollatorError("row \(index): '\(key)' is \(try row[key]), not a list of \(what)")
    }
    var out: [Int] = []
    out.reserveCapacity(items.count)
    for (position, item) in items.enumerated() {
        guard case .int(let n) = item else {
            throw CollatorError("row \(index): '\(key)' holds \(item) at position \(position); \(what) must be ints")
        }
        out.append(n)
    }
    return out
}

/// An Int as Int32, or an error naming it (ids and labels this large are a data bug).
func int32(_ n: Int, _ what: String) throws -> Int32 {
    guard let v = Int32(exactly: n) else { throw CollatorError("\(what) \(n) does not fit in 32 bits") }
    return v
}

/// Pads the model columns of `features` the way `tokenizer.pad` does: to the longest row
/// (`.longest`), to `maxLength` (`.maxLength`, default the tokenizer's `modelMaxLength`), or
/// not at all (`.doNotPad`, rows must then share one length); the length is then rounded up to
/// a multiple of `padToMultipleOf`. Padding goes on `tokenizer.paddingSide`: input ids get
/// `padTokenId`, token type ids `padTokenTypeId`, the attention mask 0. A row without an
/// attention mask gets one (1 per token).
func padFeatures(_ features: [Row], tokenizer: Tokenizer, padding: Padding, maxLength: Int?,
                 padToMultipleOf: Int?) throws -> PaddedFeatures {
    guard let first = features.first else {
        throw CollatorError("the batch is empty: pass at least one row")
    }
    guard first.contains("input_ids") else {
        throw CollatorError("row 0 has no 'input_ids' column (its columns are \(first.keys)): "
            + "tokenize the dataset first, e.g. dataset.map { try tokenizer(...) } writing input_ids")
    }
    if let m = padToMultipleOf, m <= 0 {
        throw CollatorError("padToMultipleOf must be positive, got \(m); pass nil for no rounding")
    }
    var keys = first.keys.filter { modelColumns.contains($0) }
    let hasTypes = keys.contains("token_type_ids"), hasMask = keys.contains("attention_mask")
    if !hasMask { keys.append("attention_mask") }

    var ids: [[Int]] = [], types: [[Int]] = [], masks: [[Int]] = []
    for (i, row) in features.enumerated() {
        guard row.contains("input_ids") else {
            throw CollatorError("row \(i) has no 'input_ids' column (its columns are \(row.keys)): "
                + "every row needs the token ids the tokenizer produced")
        }
        let rowIds = try intList(row, "input_ids", index: i)
        ids.append(rowIds)
        for (key, present) in [("token_type_ids", hasTypes), ("attention_mask", hasMask)] where present {
            let values = try intList(row, key, index: i)
            guard values.count == rowIds.count else {
                throw CollatorError("row \(i): '\(key)' has \(values.count) values but 'input_ids' has "
                    + "\(rowIds.count); both must come from the same tokenizer call")
            }
            if key == "token_type_ids" { types.append(values) } else { masks.append(values) }
        }
    }
    let lengths = ids.map(\.count)
    let longest = lengths.max() ?? 0
    var target: Int
    switch padding {
    case .longest:
        target = longest
    case .doNotPad:
        guard Set(lengths).count == 1 else {
            throw CollatorError("rows have different lengths (\(lengths.min() ?? 0) to \(longest) tokens) and padding "
                + "is .doNotPad, so they cannot form one batch: use padding: .longest")
        }
        target = longest
    case .maxLength:
        guard let m = maxLength ?? tokenizer.modelMaxLength else {
            throw CollatorError("padding: .maxLength needs maxLength (the tokenizer has no model_max_length)")
        }
        target = m
    }
    // User-given sizes: checked, since this module builds -Ounchecked (no overflow or
    // division traps), and a wrapped size would allocate or index out of bounds.
    guard target > 0 || padding != .maxLength else {
        throw CollatorError("maxLength must be positive, got \(target)")
    }
    if padding != .doNotPad, let m = padToMultipleOf {
        guard m > 0 else { throw CollatorError("padToMultipleOf must be positive, got \(m)") }
        if target % m != 0 {
            let (rounded, overflow) = target.addingReportingOverflow(m - target % m)
            guard !overflow else { throw CollatorError("padToMultipleOf \(m) is too large") }
            target = rounded
        }
    }
    if let i = lengths.firstIndex(where: { $0 > target }) {
        throw CollatorError("row \(i) has \(lengths[i]) tokens, more than the padded length \(target): truncate when "
            + "tokenizing (truncation: true, maxLength: \(target)) or pad with .longest")
    }
    guard target > 0 else {
        throw CollatorError("every row has 0 tokens: tokenize with special tokens or drop empty rows")
    }

    let side = tokenizer.paddingSide
    let padId = try int32(tokenizer.padTokenId, "pad token id"), padType = hasTypes ? try int32(tokenizer.padTokenTypeId, "pad type id") : 0
    var out = PaddedFeatures(keys: keys, batchSize: features.count, length: target, inputIds: [], tokenTypeIds: [],
                             attentionMask: [], lengths: lengths, side: side)
    let (n, overflow) = features.count.multipliedReportingOverflow(by: target)
    guard !overflow, n <= 1 << 31 else {
        throw CollatorError("a batch of \(features.count) rows padded to \(target) tokens is too large: lower maxLength")
    }
    out.inputIds.reserveCapacity(n); out.tokenTypeIds.reserveCapacity(n); out.attentionMask.reserveCapacity(n)
    for i in 0..<features.count {
        let pads = target - lengths[i]
        if side == .left { appendPadding(&out, pads, padId, padType) }
        for t in 0..<lengths[i] {
            out.inputIds.append(try int32(ids[i][t], "token id"))
            out.tokenTypeIds.append(hasTypes ? try int32(types[i][t], "token type id") : 0)
            out.attentionMask.append(hasMask ? Float(masks[i][t]) : 1)
        }
        if side == .right { appendPadding(&out, pads, padId, padType) }
    }
    return out
}

private func appendPadding(_ out: inout PaddedFeatures, _ count: Int, _ padId: Int32, _ padType: Int32) {
    out.inputIds.append(contentsOf: repeatElement(padId, count: count))
    out.tokenTypeIds.append(contentsOf: repeatElement(padType, count: count))
    out.attentionMask.append(contentsOf: repeatElement(0, count: count))
}
