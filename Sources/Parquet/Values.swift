// Cells as read from a file, and the PLAIN encoding of each physical type: little-endian
// fixed-width numbers, booleans one bit each (least significant first), and byte arrays as a
// 4-byte little-endian length followed by the bytes.

/// One cell of a column: what pyarrow's `to_pylist()` gives (None, bool, int, float, str, list).
public enum ParquetValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ParquetValue])

    public var description: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .double(let x): return String(x)
        case .string(let s): return "'\(s)'"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// Decodes `count` PLAIN values of `column` from the start of `bytes` into `out`; returns the
/// number of bytes used.
@discardableResult
func decodePlain(_ bytes: UnsafeRawBufferPointer, column: ParquetColumn, count: Int, into out: inout [ParquetValue],
                 what: () -> String) throws -> Int {
    func fixed(_ width: Int) throws {
        guard count <= bytes.count / width else {
            throw ParquetError("\(what()): \(count) values of \(width) bytes need \(count * width) bytes, the page has \(bytes.count)")
        }
    }
    out.reserveCapacity(out.count + count)
    switch column.physical {
    case .boolean:
        guard count <= bytes.count * 8 else { throw ParquetError("\(what()): \(count) booleans in \(bytes.count) bytes") }
        for i in 0..<count { out.append(.bool(bytes[i >> 3] >> UInt8(i & 7) & 1 == 1)) }
        return (count + 7) / 8
    case .int32:
        try fixed(4)
        for i in 0..<count {
            let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
            out.append(.int(column.kind == .uint32 ? Int(bits) : Int(Int32(bitPattern: bits))))
        }
        return 4 * count
    case .int64:
        try fixed(8)
        for i in 0..<count {
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
            if column.kind == .uint64 && bits > UInt64(Int.max) {
                throw ParquetError("\(what()): the unsigned value \(bits) does not fit in an Int")
            }
            out.append(.int(Int(Int64(bitPattern: bits))))
        }
        return 8 * count
    case .float:
        try fixed(4)
        for i in 0..<count {
            let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
            out.append(.double(Double(Float(bitPattern: bits))))
        }
        return 4 * count
    case .double:
        try fixed(8)
        for i in 0..<count {
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
            out.append(.double(Double(bitPattern: bits)))
        }
        return 8 * count
    case .byteArray:
        var position = 0
        for i in 0..<count {
            guard bytes.count - position >= 4 else {
                throw ParquetError("\(what()): the page ends after \(i) of \(count) strings")
            }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= bytes.count - position else {
                throw ParquetError("\(what()): a string of \(length) bytes where \(bytes.count - position) are left")
            }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)])
            guard let text = String(validating: slice, as: UTF8.self) else {
                throw ParquetError("\(what()): value \(i) of a string column is not valid UTF-8")
            }
            out.append(.string(text))
            position += length
        }
        return position
    case .int96, .fixedLenByteArray:
        throw ParquetError("\(what()): physical type \(column.physical) is not supported")
    }
}
