@testable import Parquet

// A Thrift compact-protocol value as a tree, read with the reader's own ThriftReader and written
// back, so tests can take a footer or page header pyarrow wrote, drop or retype one field, and
// see what the reader says. Maps are not needed (parquet.thrift's footer has none).

indirect enum ThriftValue {
    case bool(Bool)
    case byte(UInt8)
    case int(ThriftType, Int64)               // i16, i32, i64: all zigzag varints
    case double(UInt64)
    case binary([UInt8])
    case list(ThriftType, [ThriftValue])
    case set(ThriftType, [ThriftValue])       // encoded as a list, but typed set
    case structure([(id: Int16, value: ThriftValue)])

    var type: ThriftType {
        switch self {
        case .bool(let b): return b ? .boolTrue : .boolFalse
        case .byte: return .byte
        case .int(let type, _): return type
        case .double: return .double
        case .binary: return .binary
        case .list: return .list
        case .set: return .set
        case .structure: return .structure
        }
    }

    static func read(_ r: inout ThriftReader, _ type: ThriftType) throws -> ThriftValue {
        switch type {
        case .boolTrue: return .bool(true)
        case .boolFalse: return .bool(false)
        case .byte: return .byte(try r.byte())
        case .i16, .i32, .i64: return .int(type, try r.zigzag())
        case .double: return .double(try r.double().bitPattern)
        case .binary: return .binary(Array(try r.binary()))
        case .list, .set:
            let (element, count) = try r.listHeader()
            var items: [ThriftValue] = []
            for _ in 0..<count {
                items.append(element.isBool ? .bool(try r.byte() == 1) : try read(&r, element))
            }
            return type == .set ? .set(element, items) : .list(element, items)
        case .structure:
            var fields: [(id: Int16, value: ThriftValue)] = []
            try r.readStruct { r, id, type in fields.append((id, try read(&r, type))) }
            return .structure(fields)
        case .map, .stop: throw ParquetError("ThriftValue: \(type.name) is not supported")
        }
    }

    /// Reads one struct from `bytes`.
    static func read(_ bytes: ArraySlice<UInt8>) throws -> ThriftValue {
        try Array(bytes).withUnsafeBytes { raw in
            var r = ThriftReader(raw, location: "test", part: "struct")
            return try read(&r, .structure)
        }
    }

    /// The compact encoding of the value (a struct: its fields and the stop byte).
    func write(into out: inout [UInt8]) {
        func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }
        func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        switch self {
        case .bool(let b): out.append(b ? 1 : 2)        // only as a list element; fields carry it in the header
        case .byte(let b): out.append(b)
        case .int(_, let v): zigzag(v)
        case .double(let bits): for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        case .binary(let bytes): varint(UInt64(bytes.count)); out += bytes
        case .list(let element, let items), .set(let element, let items):
            if items.count < 15 { out.append(UInt8(items.count) << 4 | element.rawValue) } else {
                out.append(0xF0 | element.rawValue)
                varint(UInt64(items.count))
            }
            for item in items { item.write(into: &out) }
        case .structure(let fields):
            var last: Int16 = 0
            for (id, value) in fields {
                let delta = Int(id) - Int(last)
                if delta > 0 && delta <= 15 { out.append(UInt8(delta) << 4 | value.type.rawValue) } else {
                    out.append(value.type.rawValue)
                    zigzag(Int64(id))
                }
                if case .bool = value {} else { value.write(into: &out) }
                last = id
            }
            out.append(0)
        }
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    /// The value with the field at `path` changed by `change` (nil: removed). A path is field
    /// ids from this struct down; a list on the way is entered at its first element.
    func replacing(_ path: ArraySlice<Int16>, with change: (ThriftValue) -> ThriftValue?) -> ThriftValue {
        switch self {
        case .list(let element, var items) where !items.isEmpty:
            items[0] = items[0].replacing(path, with: change)
            return .list(element, items)
        case .structure(var fields):
            guard let id = path.first, let i = fields.firstIndex(where: { $0.id == id }) else { return self }
            if path.count == 1 {
                if let new = change(fields[i].value) { fields[i].value = new } else { fields.remove(at: i) }
            } else {
                fields[i].value = fields[i].value.replacing(path.dropFirst(), with: change)
            }
            return .structure(fields)
        default:
            return self
        }
    }
}
