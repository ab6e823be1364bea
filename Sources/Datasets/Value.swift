import PythonStyle
// One cell of a dataset: what a Python `datasets` row holds (None, bool, int, float, str, list).

/// A dataset value. Prints like Python's `repr` (`'EU'`, `[3, 0, 7]`, `True`, `None`), so
/// `print(try dataset[0]["ner_tags"])` shows what the Python course shows.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Value])
}

extension Value: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .float(let x): return pythonRepr(x)
        case .string(let s): return pythonRepr(s)
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The kind of value in words, for error messages: "a string", "an int", "None", ...
    public var kindName: String {
        switch self {
        case .null: return "None"
        case .bool: return "a bool"
        case .int: return "an int"
        case .float: return "a float"
        case .string: return "a string"
        case .list: return "a list"
        }
    }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: Typed access

extension Value {
    /// The Swift value of type `T` (`Int`, `Double`, `String`, `Bool`, arrays of those, nested).
    /// Throws if the value has another type, saying which.
    public func get<T: ValueConvertible>(_ type: T.Type = T.self) throws -> T { try T(value: self) }

    /// The value as an `Int` (a bool as 0 or 1); throws for other kinds.
    public var intValue: Int { get throws { try get() } }
    /// The value as a `Double` (an int converted); throws for other kinds.
    public var doubleValue: Double { get throws { try get() } }
    /// The value as a `String`; throws for other kinds.
    public var stringValue: String { get throws { try get() } }
    /// The value as a `Bool`; throws for other kinds.
    public var boolValue: Bool { get throws { try get() } }
    /// The elements of a list value; throws for other kinds.
    public var listValue: [Value] { get throws { try get() } }
    /// `[Int]`, e.g. `ner_tags` of one row.
    public var intList: [Int] { get throws { try get() } }
    /// `[String]`, e.g. `tokens` of one row.
    public var stringList: [String] { get throws { try get() } }
    /// `[[Int]]`, e.g. `ner_tags` of a batch.
    public var intLists: [[Int]] { get throws { try get() } }
    /// `[[String]]`, e.g. `tokens` of a batch.
    public var stringLists: [[String]] { get throws { try get() } }

    /// Element `i` of a list value.
    public subscript(index: Int) -> Value {
        get throws {
            let items = try listValue
            guard items.indices.contains(index) else {
                throw DatasetError("index \(index) is out of range for a list of \(items.count) values")
            }
            return items[index]
        }
    }
}

/// Swift types that convert to and from `Value`.
public protocol ValueConvertible {
    /// The Swift value of `value`; throws, naming both kinds, when it holds another kind.
    init(value: Value) throws
    /// This value as a dataset `Value`.
    var value: Value { get }
}

extension Int: ValueConvertible {
    public init(value: Value) throws {
        switch value {
        case .int(let n): self = n
        case .bool(let b): self = b ? 1 : 0
        default: throw DatasetError("expected an int, found \(value.kindName) (\(value))")
        }
    }
    public var value: Value { .int(self) }
}

extension Double: ValueConvertible {
    public init(value: Value) throws {
        switch value {
        case .float(let x): self = x
        case .int(let n): self = Double(n)
        default: throw DatasetError("expected a float, found \(value.kindName) (\(value))")
        }
    }
    public var value: Value { .float(self) }
}

extension Float: ValueConvertible {
    public init(value: Value) throws { self = Float(try Double(value: value)) }
    public var value: Value { .float(Double(self)) }
}

extension String: ValueConvertible {
    public init(value: Value) throws {
        guard case .string(let s) = value else {
            throw DatasetError("expected a string, found \(value.kindName) (\(value))")
        }
        self = s
    }
    public var value: Value { .string(self) }
}

extension Bool: ValueConvertible {
    public init(value: Value) throws {
        guard case .bool(let b) = value else { throw DatasetError("expected a bool, found \(value.kindName) (\(value))") }
        self = b
    }
    public var value: Value { .bool(self) }
}

extension Value: ValueConvertible {
    public init(value: Value) throws { self = value }
    public var value: Value { self }
}

extension Array: ValueConvertible where Element: ValueConvertible {
    public init(value: Value) throws {
        guard case .list(let items) = value else {
            throw DatasetError("expected a list, found \(value.kindName) (\(value))")
        }
        self = try items.map { try Element(value: $0) }
    }
    public var value: Value { .list(map(\.value)) }
}

extension Optional: ValueConvertible where Wrapped: ValueConvertible {
    public init(value: Value) throws {
        if case .null = value { self = nil } else { self = try Wrapped(value: value) }
    }
    public var value: Value { map(\.value) ?? .null }
}

/// Bad dataset input or use: the message says what was wrong and what to do.
public struct DatasetError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
