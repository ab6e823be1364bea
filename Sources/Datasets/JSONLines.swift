import Foundation

// JSON Lines: one JSON object per line (`load_dataset("json", data_files=...)`).

/// A dataset from a JSON Lines file. Columns come in the order of the first object's keys; a
/// line that is not a JSON object, or has other keys, is an error naming file and line.
public func readJSONLines(_ url: URL, features: Features? = nil) throws -> Dataset {
    try parseJSONLines(try readFile(url), name: url.path, features: features)
}

/// JSON Lines from memory; `name` stands for the file in errors.
func parseJSONLines(_ data: Data, name: String, features: Features? = nil) throws -> Dataset {
    var keys: [String] = []
    var columns: [[Value]] = []
    var lineNumber = 0
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let b = raw.bindMemory(to: UInt8.self)
        var start = 0
        while start < b.count {
            lineNumber += 1
            var end = start
            while end < b.count && b[end] != 0x0A { end += 1 }
            defer { start = end + 1 }
            var parser = JSONParser(UnsafeBufferPointer(rebasing: b[start..<end]))
            parser.skipSpace()
            if parser.atEnd { continue }
            let object: [(String, Value)]
            do {
                object = try parser.parseObject()
                parser.skipSpace()
                guard parser.atEnd else { throw DatasetError("unexpected text after the object at byte \(parser.i + 1)") }
            } catch let e as DatasetError {
                throw DatasetError("\(name):\(lineNumber): not a JSON object: \(e.description)")
            }
            if keys.isEmpty && columns.isEmpty {
                keys = object.map(\.0)
                columns = Array(repeating: [], count: keys.count)
            }
            guard object.map(\.0) == keys else {
                throw DatasetError("\(name):\(lineNumber): keys \(object.map(\.0)) differ from the first line's \(keys)")
            }
            for (j, (_, v)) in object.enumerated() { columns[j].append(v) }
        }
    }
    return try Dataset(Array(zip(keys, columns)), features: features)
}

/// A small JSON reader that keeps object key order and parses numbers exactly
/// (Foundation's JSONSerialization reorders keys and, on Linux, rounds some doubles).
struct JSONParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    var atEnd: Bool { i >= b.count }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 }
    }

    private mutating func expect(_ c: UInt8) throws {
        skipSpace()
        guard i < b.count, b[i] == c else {
            throw DatasetError("expected '\(Character(Unicode.Scalar(c)))' at byte \(i + 1)")
        }
        i += 1
    }

    mutating func parseObject() throws -> [(String, Value)] {
        try expect(UInt8(ascii: "{"))
        var out: [(String, Value)] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return out }
        while true {
            skipSpace()
            let key = try parseString()
            try expect(UInt8(ascii: ":"))
            out.append((key, try parseValue()))
            skipSpace()
            guard i < b.count else { throw DatasetError("the object is not closed") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return out }
            throw DatasetError("expected ',' or '}' at byte \(i + 1)")
        }
    }

    mutating func parseValue() throws -> Value {
        skipSpace()
        guard i < b.count else { throw DatasetError("a value is missing at the end of the line") }
        switch b[i] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            while true {
                items.append(try parseValue())
                skipSpace()
                guard i < b.count else { throw DatasetError("the list is not closed") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                throw DatasetError("expected ',' or ']' at byte \(i + 1)")
            }
        case UInt8(ascii: "{"):
            throw DatasetError("nested objects (at byte \(i + 1)) are not supported; flatten them into columns")
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try parseNumber()
        }
    }

    private mutating func literal(_ word: String) throws {
        for c in word.utf8 {
            guard i < b.count, b[i] == c else { throw DatasetError("expected '\(word)' at byte \(i + 1)") }
            i += 1
        }
    }

    private mutating func parseNumber() throws -> Value {
        let start = i
        var isFloat = false
        while i < b.count {
            let c = b[i]
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { i += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { isFloat = true; i += 1; continue }
            break
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        if !isFloat, let n = Int(text) { return .int(n) }
        if let x = Double(text), !text.isEmpty { return .float(x) }
        throw DatasetError("invalid value '\(text.isEmpty ? String(Unicode.Scalar(b[start])) : text)' at byte \(start + 1)")
    }

    mutating func parseString() throws -> String {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw DatasetError("expected a string at byte \(i + 1)") }
        i += 1
        var bytes: [UInt8] = []
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: bytes, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { bytes.append(c); i += 1; continue }
            guard i + 1 < b.count else { break }
            let e = b[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if code >= 0xD800 && code < 0xDC00, i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                bytes += Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
            default: bytes.append(e)  // \" \\ \/
            }
        }
        throw DatasetError("a string is not closed")
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw DatasetError("a \\u escape is cut short at byte \(i + 1)") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + 4)]), as: UTF8.self)
        guard let v = UInt32(text, radix: 16) else { throw DatasetError("bad \\u escape '\(text)' at byte \(i + 1)") }
        i += 4
        return v
    }
}
