// The Thrift compact protocol, read side: what Parquet's footer (FileMetaData) and page headers
// are written in. A struct is a run of fields, each a header byte (field-id delta in the high
// nibble, or 0 and a zigzag varint id; the type in the low nibble) and a value, ended by a 0 byte.
// Integers are zigzag varints, binaries a varint length and bytes, lists a size/type header.
//
// The bytes are untrusted: every read is bounds-checked, lengths are checked against what is
// left, and nesting is limited so a hostile footer cannot recurse without end.

/// Compact-protocol type codes (the low nibble of a field header).
enum ThriftType: UInt8 {
    case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
    case binary = 8, list = 9, set = 10, map = 11, structure = 12

    var isBool: Bool { self == .boolTrue || self == .boolFalse }

    /// The name parquet.thrift would use, for messages.
    var name: String {
        switch self {
        case .stop: return "stop"
        case .boolTrue, .boolFalse: return "bool"
        case .byte: return "byte"
        case .i16: return "i16"
        case .i32: return "i32"
        case .i64: return "i64"
        case .double: return "double"
        case .binary: return "binary"
        case .list: return "list"
        case .set: return "set"
        case .map: return "map"
        case .structure: return "struct"
        }
    }
}

/// The fields of one parquet.thrift struct that this reader uses: id, name, type, and whether
/// the spec marks it `required`. A field id it lists must arrive with its type, and a required
/// one must arrive at all: skipping either would read a damaged footer as a smaller, valid-looking
/// file (a `row_groups` of the wrong type used to load as zero rows). Ids it does not list are
/// skipped, so newer writers' extra fields stay harmless.
struct ThriftStructSpec {
    struct Field {
        let id: Int16
        let name: String
        let type: ThriftType
        let required: Bool
    }
    let name: String
    let fields: [Field]

    init(_ name: String, _ fields: [(Int16, String, ThriftType, required: Bool)]) {
        self.name = name
        self.fields = fields.map { Field(id: $0.0, name: $0.1, type: $0.2, required: $0.required) }
    }
}

/// A cursor over compact-protocol bytes.
struct ThriftReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    /// Where the bytes are, for error messages: the file, or the file, column, row group and page.
    let location: String
    /// What they are: "footer" or "page header".
    let part: String
    private var depth = 0
    static let maxDepth = 32

    init(_ bytes: UnsafeRawBufferPointer, location: String, part: String) {
        self.bytes = bytes
        self.position = 0
        self.location = location
        self.part = part
    }

    /// "x.parquet: damaged footer: <what>; the file is damaged or not Parquet — download it again".
    /// (Past the footer the file is Parquet, so a page header's advice drops "or not Parquet".)
    func damaged(_ what: String) -> ParquetError {
        let advice = part == "footer" ? "the file is damaged or not Parquet" : "the file is damaged"
        return ParquetError("\(location): damaged \(part): \(what); \(advice) — download it again")
    }

    /// A malformed encoding, with the byte where it was found.
    func error(_ what: String) -> ParquetError {
        damaged("\(what) at byte \(position) of the \(part)")
    }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw error("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw error("a varint longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func i32() throws -> Int32 {
        let v = try zigzag()
        guard let n = Int32(exactly: v) else { throw error("an i32 out of range (\(v))") }
        return n
    }

    mutating func i64() throws -> Int64 { try zigzag() }

    mutating func binary() throws -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - position) else {
            throw error("a string of \(length) bytes where \(bytes.count - position) are left")
        }
        let start = position
        position += Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    }

    mutating func string() throws -> String { String(decoding: try binary(), as: UTF8.self) }

    mutating func double() throws -> Double {
        guard bytes.count - position >= 8 else { throw error("unexpected end of data") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }

    /// A list header: element type and count. The count is checked against the bytes left
    /// (every element takes at least one byte), so it can size an allocation safely.
    mutating func listHeader() throws -> (type: ThriftType, count: Int) {
        let header = try byte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try varint() }
        guard let type = ThriftType(rawValue: header & 0x0F) else { throw error("unknown list element type \(header & 0x0F)") }
        guard count <= UInt64(bytes.count - position) else {
            throw error("a list of \(count) elements where \(bytes.count - position) bytes are left")
        }
        return (type, Int(count))
    }

    /// Reads a struct: `body` is called with each field's id and type and must consume the
    /// value (or call `skip`). Returns at the stop byte.
    mutating func readStruct(_ body: (inout ThriftReader, Int16, ThriftType) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("structures nested more than \(Self.maxDepth) deep") }
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return }
            guard let type = ThriftType(rawValue: header & 0x0F) else { throw error("unknown field type \(header & 0x0F)") }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                let raw = try zigzag()
                guard let value = Int16(exactly: raw) else { throw error("a field id out of range") }
                id = value
            } else {
                id = lastID &+ delta
            }
            lastID = id
            try body(&self, id, type)
        }
    }

    /// Reads a struct of `spec`: each field it lists is type-checked and passed to `body`, which
    /// must consume the value; any other field is skipped. Throws for a required field that never
    /// arrived.
    mutating func readStruct(_ spec: ThriftStructSpec, _ body: (inout ThriftReader, Int16, ThriftType) throws -> Void) throws {
        var seen: UInt64 = 0        // bit i: spec.fields[i] arrived (a spec lists far fewer than 64)
        try readStruct { r, id, type in
            guard let i = spec.fields.firstIndex(where: { $0.id == id }) else { try r.skip(type); return }
            let field = spec.fields[i]
            guard type == field.type || (type.isBool && field.type.isBool) else {
                throw r.damaged("\(spec.name) field \(id) (\(field.name)) has Thrift type \(type.name), expected \(field.type.name)")
            }
            seen |= 1 << UInt64(i)
            try body(&r, id, type)
        }
        if let missing = spec.fields.indices.first(where: { spec.fields[$0].required && seen & (1 << UInt64($0)) == 0 }) {
            let field = spec.fields[missing]
            throw damaged("\(spec.name) field \(field.id) (\(field.name)), which parquet.thrift requires, is missing")
        }
    }

    /// The value of a boolean field (its value is in the field header's type).
    func bool(_ type: ThriftType) throws -> Bool {
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw error("expected a boolean field")
        }
    }

    /// Skips a value of `type`.
    mutating func skip(_ type: ThriftType) throws {
        switch type {
        case .stop: throw error("a stop byte where a value belongs")
        case .boolTrue, .boolFalse: return
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double: _ = try double()
        case .binary: _ = try binary()
        case .list, .set:
            let (element, count) = try listHeader()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw error("lists nested more than \(Self.maxDepth) deep") }
            for _ in 0..<count {
                if element == .boolTrue || element == .boolFalse { _ = try byte() } else { try skip(element) }
            }
        case .map:
            let count = try varint()
            guard count <= UInt64(bytes.count - position) else { throw error("a map of \(count) entries") }
            guard count > 0 else { return }
            let types = try byte()
            guard let key = ThriftType(rawValue: types >> 4), let value = ThriftType(rawValue: types & 0x0F) else {
                throw error("unknown map element types")
            }
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw error("maps nested more than \(Self.maxDepth) deep") }
            for _ in 0..<count {
                try skip(key)
                try skip(value)
            }
        case .structure:
            try readStruct { reader, _, type in try reader.skip(type) }
        }
    }

    /// Reads a list of structs, `element` reading one each.
    mutating func structList<T>(_ element: (inout ThriftReader) throws -> T) throws -> [T] {
        let (type, count) = try listHeader()
        guard type == .structure || count == 0 else { throw error("expected a list of structures") }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    mutating func i32List() throws -> [Int32] {
        let (type, count) = try listHeader()
        guard type == .i32 || count == 0 else { throw error("expected a list of i32") }
        var out: [Int32] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try i32()) }
        return out
    }

    mutating func stringList() throws -> [String] {
        let (type, count) = try listHeader()
        guard type == .binary || count == 0 else { throw error("expected a list of strings") }
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try string()) }
        return out
    }
}

/// A Parquet file that cannot be read: corrupt, truncated, or using something this reader does
/// not implement. The message names the file, column and what to do.
public struct ParquetError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
