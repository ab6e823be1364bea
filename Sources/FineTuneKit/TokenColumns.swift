import Datasets

// The word and tag columns of a token-classification run and its tag names, found as run_ner
// finds them, with every data problem named by file, column and row before any work.

/// The word column, the tag column and the tag names of a token-classification run.
public struct TokenColumns: Sendable, Equatable {
    /// The column of word lists (`tokens`).
    public let text: String
    /// The column of tag lists (`ner_tags`).
    public let label: String
    /// Tag names by id.
    public let labelNames: [String]
    /// The id of each tag value as the data spells it (the class-label id itself when declared).
    let ids: [Value: Int]

    /// The id of a tag value, or nil if training never saw it.
    public func id(of value: Value) -> Int? { ids[value] }

    /// For `--label_all_tokens`: the I- tag id for each B- tag id (the id itself otherwise).
    public var bToI: [Int] {
        labelNames.enumerated().map { id, name in
            guard name.hasPrefix("B-"), let i = labelNames.firstIndex(of: "I-" + name.dropFirst(2)) else { return id }
            return i
        }
    }
}

extension TokenColumns {
    /// run_ner's choice: `--text_column_name`, else `tokens`, else the first column;
    /// `--label_column_name`, else `<task>_tags`, else the second column. Tag names from the
    /// features' class labels, else sorted unique tags over the training rows.
    public static func infer(_ data: RawData, textColumn: String?, labelColumn: String?, taskName: String,
                             needLabels splits: [String]) throws -> TokenColumns {
        guard let dataset = (["train", "validation", "test"] + data.splits.keys).lazy.compactMap({ data.split($0) }).first else {
            throw FineTuneError("the data has no splits")
        }
        let names = dataset.columnNames
        let text = textColumn ?? (names.contains("tokens") ? "tokens" : names.first ?? "tokens")
        let label = labelColumn ?? (names.contains("\(taskName)_tags") ? "\(taskName)_tags"
            : names.count > 1 ? names[1] : "ner_tags")
        for (split, ds) in data.splits {
            let needed = [text] + (splits.contains(split) ? [label] : [])
            for column in needed where !ds.columnNames.contains(column) {
                throw FineTuneError("\(data.sources[split] ?? split) has no column '\(column)' (its columns: "
                    + "\(ds.columnNames.joined(separator: ", "))); name it with --\(column == text ? "text" : "label")_column_name")
            }
            let words = try ds[column: text]
            let tags = ds.columnNames.contains(label) && splits.contains(split) ? try ds[column: label] : nil
            for (row, value) in words.enumerated() {
                guard case .list(let items) = value, items.allSatisfy({ if case .string = $0 { true } else { false } }) else {
                    throw FineTuneError("\(data.locate(split, row: row)): column '\(text)' is \(value.kindName), not a list "
                        + "of words (e.g. [\"EU\", \"rejects\", \"German\"])")
                }
                guard let tags else { continue }
                guard case .list(let labels) = tags[row] else {
                    throw FineTuneError("\(data.locate(split, row: row)): column '\(label)' is \(tags[row].kindName), not a "
                        + "list of tags")
                }
                guard labels.count == items.count else {
                    throw FineTuneError("\(data.locate(split, row: row)): column '\(text)' has \(items.count) words but '\(label)' "
                        + "has \(labels.count) tags: give one tag per word")
                }
            }
        }

        let labelSplit = data.split("train") != nil && splits.contains("train") ? "train" : splits.first { data.split($0) != nil }
        guard let labelSplit else { return TokenColumns(text: text, label: label, labelNames: [], ids: [:]) }
        let labelData = try data.splits[labelSplit]
        let columns: TokenColumns
        if case .sequence(.classLabel(let classes)) = try labelData.features[label] {
            columns = TokenColumns(text: text, label: label, labelNames: classes.names,
                                   ids: Dictionary(uniqueKeysWithValues: classes.names.indices.map { (Value.int($0), $0) }))
        } else {
            var flat: [Value] = [], owner: [Int] = []
            for (row, value) in try labelData[column: label].enumerated() {
                guard case .list(let items) = value else { continue }
                flat += items
                owner += Array(repeating: row, count: items.count)
            }
            _ = try labelKind(flat, at: { data.locate(labelSplit, row: owner[$0]) }, column: label)
            let unique = Array(Set(flat)).sorted(by: labelOrder)
            columns = TokenColumns(text: text, label: label, labelNames: unique.map(labelName),
                                   ids: Dictionary(uniqueKeysWithValues: unique.enumerated().map { ($1, $0) }))
        }
        for split in splits {
            guard let ds = data.split(split), ds.columnNames.contains(label) else { continue }
            for (row, value) in try ds[column: label].enumerated() {
                guard case .list(let items) = value else { continue }
                if let unknown = items.first(where: { columns.ids[$0] == nil }) {
                    throw FineTuneError("\(data.locate(split, row: row)): tag \(unknown) in column '\(label)' never occurs in "
                        + "training (tags: \(columns.labelNames.joined(separator: ", "))); fix the tag or add training examples of it")
                }
            }
        }
        return columns
    }
}
