import PythonStyle
// Typed column descriptions, printed the way Python `datasets` 2.x prints them
// (`Sequence(feature=ClassLabel(names=['O', 'B-PER', ...], id=None), length=-1, id=None)`).

/// Integer class labels with names (`ner_tags` ids 0...8 are O, B-PER, I-PER, ...).
public struct ClassLabel: Sendable, Hashable, CustomStringConvertible {
    /// The class names by id.
    public let names: [String]
    private let ids: [String: Int]

    /// Labels with these names; id i is `names[i]`.
    public init(names: [String]) {
        self.names = names
        var ids: [String: Int] = [:]
        for (i, n) in names.enumerated() where ids[n] == nil { ids[n] = i }
        self.ids = ids
    }

    /// Number of classes (`num_classes`).
    public var numClasses: Int { names.count }

    /// The name of class `id` (`int2str`).
    public func intToStr(_ id: Int) throws -> String {
        guard names.indices.contains(id) else {
            throw DatasetError("class id \(id) is out of range: this ClassLabel has \(names.count) classes (0..<\(names.count))")
        }
        return names[id]
    }

    /// The id of class `name` (`str2int`).
    public func strToInt(_ name: String) throws -> Int {
        guard let id = ids[name] else {
            throw DatasetError("'\(name)' is not a class name; the names are \(names)")
        }
        return id
    }

    public var description: String {
        "ClassLabel(names=[" + names.map { pythonRepr($0) }.joined(separator: ", ") + "], id=None)"
    }
}

/// The type of one column.
public indirect enum Feature: Sendable, Hashable, CustomStringConvertible {
    /// A scalar: dtype `string`, `int64`, `int32`, `float64`, `bool`, `null`.
    case value(dtype: String)
    case classLabel(ClassLabel)
    /// A variable-length list of `feature`.
    case sequence(Feature)

    /// `Value(dtype='string')`.
    public static let string = Feature.value(dtype: "string")
    /// `Value(dtype='int64')`.
    public static let int64 = Feature.value(dtype: "int64")
    /// `Value(dtype='int32')`.
    public static let int32 = Feature.value(dtype: "int32")
    /// `Value(dtype='float64')`.
    public static let float64 = Feature.value(dtype: "float64")
    /// `Value(dtype='bool')`.
    public static let bool = Feature.value(dtype: "bool")

    /// The element type of a `Sequence` (`features["ner_tags"].feature`).
    public var feature: Feature {
        get throws {
            guard case .sequence(let inner) = self else {
                throw DatasetError("\(self) is not a Sequence, so it has no .feature")
            }
            return inner
        }
    }

    /// The class names of a `ClassLabel` (`features["label"].names`).
    public var names: [String] { get throws { try classLabel.names } }

    /// The `ClassLabel` itself, for `intToStr` / `strToInt`.
    public var classLabel: ClassLabel {
        get throws {
            guard case .classLabel(let c) = self else {
                throw DatasetError("\(self) is not a ClassLabel; use .feature first for a Sequence of labels")
            }
            return c
        }
    }

    /// The name of class `id` of a `ClassLabel` feature (`int2str`); an error for other features.
    public func intToStr(_ id: Int) throws -> String { try classLabel.intToStr(id) }
    /// The id of class `name` of a `ClassLabel` feature (`str2int`); an error for other features.
    public func strToInt(_ name: String) throws -> Int { try classLabel.strToInt(name) }

    public var description: String {
        switch self {
        case .value(let dtype): return "Value(dtype='\(dtype)', id=None)"
        case .classLabel(let c): return c.description
        case .sequence(let f): return "Sequence(feature=\(f), length=-1, id=None)"
        }
    }

    /// The type Python `datasets` infers for values like these (ints as int64, floats as float64).
    static func infer(_ values: some Sequence<Value>) -> Feature {
        var sawInt = false, sawFloat = false, sawString = false, sawBool = false
        var elements: [Value] = []
        var sawList = false
        for v in values {
            switch v {
            case .null: continue
            case .int: sawInt = true
            case .float: sawFloat = true
            case .string: sawString = true
            case .bool: sawBool = true
            case .list(let items): sawList = true; elements += items
            }
        }
        if sawList { return .sequence(infer(elements)) }
        if sawString { return .string }
        if sawFloat { return .float64 }
        if sawInt { return .int64 }
        if sawBool { return .bool }
        return .value(dtype: "null")
    }

    /// The number of classes of the (possibly nested) ClassLabel, 0 if none.
    var classLabelCount: Int {
        switch self {
        case .classLabel(let c): return c.numClasses
        case .sequence(let f): return f.classLabelCount
        case .value: return 0
        }
    }

    /// Whether this is a ClassLabel or a Sequence of them.
    var hasClassLabel: Bool {
        switch self {
        case .classLabel: return true
        case .sequence(let f): return f.hasClassLabel
        case .value: return false
        }
    }

    /// Whether a value fits this feature (used to keep a column's feature when `map` rewrites it).
    func accepts(_ v: Value) -> Bool {
        switch (self, v) {
        case (_, .null): return true
        case (.classLabel(let c), .int(let n)): return n >= -1 && n < c.numClasses
        case (.value(let d), .int): return d.hasPrefix("int") || d.hasPrefix("float")
        case (.value(let d), .float): return d.hasPrefix("float")
        case (.value(let d), .string): return d == "string"
        case (.value(let d), .bool): return d == "bool"
        case (.sequence(let f), .list(let items)): return items.allSatisfy(f.accepts)
        default: return false
        }
    }
}

/// Column name → feature, in column order; prints like a Python dict.
public struct Features: Sendable, Hashable, CustomStringConvertible, ExpressibleByDictionaryLiteral {
    /// Every column's name and feature, in column order.
    public private(set) var entries: [(name: String, feature: Feature)] = []

    /// Features for these columns, in this order.
    public init(_ entries: [(String, Feature)]) {
        for (n, f) in entries { self[set: n] = f }
    }
    public init(dictionaryLiteral elements: (String, Feature)...) { self.init(elements) }

    /// The column names, in order.
    public var names: [String] { entries.map(\.name) }

    /// The feature of column `name`.
    public subscript(name: String) -> Feature {
        get throws {
            guard let f = entries.first(where: { $0.name == name })?.feature else {
                throw DatasetError("no column '\(name)'; the columns are \(names)")
            }
            return f
        }
    }

    /// Sets (or with nil removes) a column's feature, keeping column order.
    public subscript(set name: String) -> Feature? {
        get { entries.first { $0.name == name }?.feature }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[i].feature = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }

    public var description: String {
        "{" + entries.map { "\(pythonRepr($0.name)): \($0.feature)" }.joined(separator: ", ") + "}"
    }

    public static func == (a: Features, b: Features) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0 == $1 }
    }
    public func hash(into h: inout Hasher) {
        for (n, f) in entries { h.combine(n); h.combine(f) }
    }
}
