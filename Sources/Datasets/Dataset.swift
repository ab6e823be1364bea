import PythonStyle
// A table of examples with typed columns: the Swift counterpart of `datasets.Dataset`.

/// Rows × typed columns, stored column by column.
///
///     let train = try rawDatasets["train"]
///     print(train)                      // Dataset({ features: [...], num_rows: 14041 })
///     print(try train[0]["ner_tags"])   // [3, 0, 7, 0, 0, 0, 7, 0, 0]
///     try train.features["ner_tags"].feature.names   // ["O", "B-PER", ...]
public struct Dataset: Sendable, CustomStringConvertible {
    /// Each column's type, in column order (`dataset.features`).
    public private(set) var features: Features
    /// Column name → one value per row; every column has `numRows` values.
    var columns: [String: [Value]]
    /// Number of rows (`dataset.num_rows`).
    public private(set) var numRows: Int

    /// A dataset from columns (`Dataset.from_dict`). Features not given are inferred.
    public init(_ columns: [(String, [Value])], features: Features? = nil) throws {
        let counts = Set(columns.map(\.1.count))
        guard counts.count <= 1 else {
            throw DatasetError("columns have different lengths: "
                + columns.map { "\($0.0): \($0.1.count)" }.joined(separator: ", ") + "; give every column one value per row")
        }
        var inferred = Features()
        for (name, values) in columns {
            if let given = features?[set: name] {
                if let bad = values.first(where: { !given.accepts($0) }) {
                    throw DatasetError("column '\(name)' is declared \(given) but holds \(bad.kindName) (\(bad))")
                }
                inferred[set: name] = given
            } else {
                inferred[set: name] = Feature.infer(values)
            }
        }
        self.features = inferred
        self.columns = Dictionary(columns, uniquingKeysWith: { _, last in last })
        self.numRows = counts.first ?? 0
    }

    /// A dataset from rows (`Dataset.from_list`); every row must have the same columns.
    public init(rows: [Row], features: Features? = nil) throws {
        guard let first = rows.first else { try self.init([], features: features); return }
        var cols = first.keys.map { ($0, [Value]()) }
        for (i, row) in rows.enumerated() {
            guard row.keys == first.keys else {
                throw DatasetError("row \(i) has columns \(row.keys) but row 0 has \(first.keys)")
            }
            for j in cols.indices { cols[j].1.append(row.values[j]) }
        }
        try self.init(cols, features: features)
    }

    /// Internal: columns already checked (same lengths, features matching).
    init(checkedColumns columns: [String: [Value]], features: Features, numRows: Int) {
        self.columns = columns
        self.features = features
        self.numRows = numRows
    }

    /// The column names, in column order.
    public var columnNames: [String] { features.names }
    /// Number of rows (Python `len(dataset)`).
    public var count: Int { numRows }
    /// Rows and columns (`dataset.shape`).
    public var shape: (rows: Int, columns: Int) { (numRows, features.entries.count) }

    /// Row `index` (`dataset[0]`).
    public subscript(index: Int) -> Row {
        get throws {
            guard index >= 0 && index < numRows else {
                throw DatasetError("row \(index) is out of range: the dataset has \(numRows) rows")
            }
            return row(index)
        }
    }

    /// All values of column `name` (`dataset["ner_tags"]`).
    public subscript(column name: String) -> [Value] {
        get throws {
            guard let values = columns[name] else {
                throw DatasetError("no column '\(name)'; the columns are \(columnNames)")
            }
            return values
        }
    }

    /// All values of column `name` (`dataset["ner_tags"]`).
    public subscript(name: String) -> [Value] {
        get throws { try self[column: name] }
    }

    /// Rows `range` as a batch: each column a list (`dataset[:5]`).
    public subscript(range: Range<Int>) -> Row {
        get throws {
            guard range.lowerBound >= 0 && range.upperBound <= numRows else {
                throw DatasetError("rows \(range) are out of range: the dataset has \(numRows) rows")
            }
            return batch(range)
        }
    }

    func row(_ i: Int) -> Row {
        var r = Row()
        for name in columnNames { r.set(name, to: columns[name, default: []][i]) }
        return r
    }

    func batch(_ range: Range<Int>) -> Row {
        var b = Row()
        for name in columnNames { b.set(name, to: Value.list(Array(columns[name, default: []][range]))) }
        return b
    }

    /// Rows in order, for `for row in dataset.rows`.
    public var rows: some Sequence<Row> { (0..<numRows).lazy.map { self.row($0) } }

    public var description: String {
        "Dataset({\n    features: [" + columnNames.map { pythonRepr($0) }.joined(separator: ", ")
            + "],\n    num_rows: \(numRows)\n})"
    }
}
