import PythonStyle
// A row (or, in batched `map`, a batch): column name → value, in column order.

/// One example of a dataset, or a batch of examples where every value is a list with one
/// entry per example. Prints like a Python dict: `{'id': '0', 'tokens': ['EU', ...], ...}`.
public struct Row: Sendable, Hashable, CustomStringConvertible, ExpressibleByDictionaryLiteral, Sequence {
    /// The column names, in order.
    public private(set) var keys: [String] = []
    /// The values, in the order of `keys`.
    public private(set) var values: [Value] = []

    /// An empty row.
    public init() {}
    /// A row of these columns, in this order (a repeated key keeps its first place, the last value).
    public init(_ pairs: [(String, Value)]) { for (k, v) in pairs { set(k, to: v) } }
    public init(dictionaryLiteral elements: (String, Value)...) { self.init(elements) }

    /// The value of column `key`; throws naming the columns that exist.
    public subscript(key: String) -> Value {
        get throws {
            guard let i = keys.firstIndex(of: key) else {
                throw DatasetError("no column '\(key)' in this row; its columns are \(keys)")
            }
            return values[i]
        }
    }

    /// Sets column `key` (added at the end if new), e.g. `batch.set("labels", to: newLabels)`.
    public mutating func set(_ key: String, to value: some ValueConvertible) {
        if let i = keys.firstIndex(of: key) {
            values[i] = value.value
        } else {
            keys.append(key)
            values.append(value.value)
        }
    }

    /// Removes column `key` if present.
    public mutating func remove(_ key: String) {
        if let i = keys.firstIndex(of: key) { keys.remove(at: i); values.remove(at: i) }
    }

    /// Whether the row has column `key`.
    public func contains(_ key: String) -> Bool { keys.contains(key) }

    public func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator { zip(keys, values).makeIterator() }

    public var description: String {
        "{" + zip(keys, values).map { "\(pythonRepr($0)): \($1)" }.joined(separator: ", ") + "}"
    }
}
