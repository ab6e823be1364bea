import PythonStyle
// What a metric returns: an ordered dictionary that prints like the Python `evaluate` result.

/// One value of a metric result: a number, a count, or a nested result (seqeval's per-type scores).
public indirect enum MetricValue: Sendable, Equatable, CustomStringConvertible {
    case double(Double)
    case int(Int)
    case nested(MetricResult)

    public var description: String {
        switch self {
        case .double(let x): return pythonRepr(x)
        case .int(let n): return String(n)
        case .nested(let r): return r.description
        }
    }
}

/// Keys in insertion order (as a Python dict keeps them), e.g.
/// `{'accuracy': 0.8602941176470589, 'f1': 0.9042016806722689}`.
public struct MetricResult: Sendable, Equatable, CustomStringConvertible, Sequence {
    /// Every key and value, in insertion order.
    public private(set) var entries: [(key: String, value: MetricValue)] = []

    /// An empty result.
    public init() {}
    /// A result with these keys and values in this order (a repeated key keeps its first place, the last value).
    public init(_ entries: [(String, MetricValue)]) {
        for (k, v) in entries { self[value: k] = v }
    }

    /// The keys, in insertion order.
    public var keys: [String] { entries.map(\.key) }

    /// A number by name (`result["overall_f1"]`, `result["accuracy"]`); counts convert to Double.
    public subscript(key: String) -> Double? {
        switch self[value: key] {
        case .double(let x): return x
        case .int(let n): return Double(n)
        default: return nil
        }
    }

    /// A nested result by name (seqeval's per-type scores: `result.scores("PER")?["f1"]`).
    public func scores(_ key: String) -> MetricResult? {
        if case .nested(let r) = self[value: key] { return r }
        return nil
    }

    /// Any value by name; setting a new key appends it, setting an existing one replaces it.
    public subscript(value key: String) -> MetricValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// Adds every entry of `other` (later keys replace earlier ones, like `dict.update`).
    public mutating func update(with other: MetricResult) {
        for (k, v) in other.entries { self[value: k] = v }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: MetricValue)]> {
        entries.makeIterator()
    }

    public var description: String {
        "{" + entries.map { "\(pythonRepr($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
    }

    public static func == (a: MetricResult, b: MetricResult) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// Bad metric input: the message says what was wrong and what to do.
public struct MetricError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
