// Named splits (`train`, `validation`, `test`): the Swift counterpart of `datasets.DatasetDict`.

/// Splits in order. Prints like Python:
///
///     DatasetDict({
///         train: Dataset({
///             features: ['id', 'tokens', 'pos_tags', 'chunk_tags', 'ner_tags'],
///             num_rows: 14041
///         })
///         ...
///     })
public struct DatasetDict: Sendable, CustomStringConvertible, Sequence {
    /// The splits and their datasets, in order (train, validation, test as loaded).
    public private(set) var splits: [(name: String, dataset: Dataset)] = []

    /// A dictionary of these splits, in this order (a repeated name replaces the earlier dataset).
    public init(_ splits: [(String, Dataset)]) {
        for (n, d) in splits { set(n, to: d) }
    }

    /// The split names, in order.
    public var keys: [String] { splits.map(\.name) }

    /// Split `name` (`rawDatasets["train"]`).
    public subscript(name: String) -> Dataset {
        get throws {
            guard let d = splits.first(where: { $0.name == name })?.dataset else {
                throw DatasetError("no split '\(name)'; the splits are \(keys)")
            }
            return d
        }
    }

    /// Sets (adds or replaces) split `name`.
    public mutating func set(_ name: String, to dataset: Dataset) {
        if let i = splits.firstIndex(where: { $0.name == name }) {
            splits[i].dataset = dataset
        } else {
            splits.append((name, dataset))
        }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, dataset: Dataset)]> { splits.makeIterator() }

    /// Row counts per split.
    public var numRows: [String: Int] { Dictionary(uniqueKeysWithValues: splits.map { ($0.name, $0.dataset.numRows) }) }
    /// Column names per split.
    public var columnNames: [String: [String]] {
        Dictionary(uniqueKeysWithValues: splits.map { ($0.name, $0.dataset.columnNames) })
    }

    /// The same operation on every split.
    public func apply(_ f: (Dataset) throws -> Dataset) throws -> DatasetDict {
        DatasetDict(try splits.map { ($0.name, try f($0.dataset)) })
    }

    /// `Dataset.map(removeColumns:_:)` on every split: `transform` maps one row to its new columns.
    public func map(removeColumns: [String] = [], _ transform: (Row) throws -> Row) throws -> DatasetDict {
        try apply { try $0.map(removeColumns: removeColumns, transform) }
    }

    /// `Dataset.map(batched:...)` on every split: `transform` maps a batch of rows (lists per column).
    public func map(batched: Bool, batchSize: Int = 1000, removeColumns: [String] = [],
                    _ transform: (Row) throws -> Row) throws -> DatasetDict {
        try apply { try $0.map(batched: batched, batchSize: batchSize, removeColumns: removeColumns, transform) }
    }

    /// Every split keeps the rows for which `predicate` is true.
    public func filter(_ predicate: (Row) throws -> Bool) throws -> DatasetDict { try apply { try $0.filter(predicate) } }
    /// Every split in the order `Dataset.shuffle(seed:)` gives (NumPy's, as Python `datasets`).
    public func shuffle(seed: UInt64) -> DatasetDict { DatasetDict(splits.map { ($0.name, $0.dataset.shuffle(seed: seed)) }) }
    /// Every split without these columns (an error names a column that does not exist).
    public func removeColumns(_ names: [String]) throws -> DatasetDict { try apply { try $0.removeColumns(names) } }
    /// Every split with column `old` renamed to `new` (e.g. `label` to `labels`).
    public func renameColumn(_ old: String, to new: String) throws -> DatasetDict {
        try apply { try $0.renameColumn(old, to: new) }
    }

    public var description: String {
        let body = splits.map { "\($0.name): \($0.dataset)" }.joined(separator: "\n")
        let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        return "DatasetDict({\n" + indented.joined(separator: "\n") + "\n})"
    }
}
