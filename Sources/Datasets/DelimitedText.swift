import Files
import Foundation

// CSV and TSV files: a header row of column names, then one row per line.

/// Reading options for delimited text.
public struct DelimitedOptions: Sendable {
    /// The field separator (`,` for CSV, `\t` for TSV).
    public var delimiter: UInt8
    /// Whether `"` quotes fields (RFC 4180, `""` inside a quoted field is one quote). GLUE's
    /// TSV files must be read with quoting off: their sentences contain unbalanced quotes.
    public var quoting: Bool
    /// Options for this delimiter (an ASCII character) and quoting.
    public init(delimiter: Character = ",", quoting: Bool = true) {
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
        self.quoting = quoting
    }
    /// Comma-separated, with RFC 4180 quoting.
    public static let csv = DelimitedOptions(delimiter: ",", quoting: true)
    /// Tab-separated, quotes taken literally (as GLUE's files need).
    public static let tsv = DelimitedOptions(delimiter: "\t", quoting: false)
}

/// Rows of raw string fields with their line numbers (1-based, the header is line 1).
struct DelimitedTable {
    var header: [String]
    var rows: [[String]]
    var lines: [Int]

    /// Splits `data` into fields. A UTF-8 byte-order mark is dropped; `\r\n` ends a line too.
    /// A row whose field count differs from the header's is an error naming file and line.
    init(_ data: Data, options: DelimitedOptions, name: String) throws {
        var records: [[String]] = []
        var lineNumbers: [Int] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var i = (b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) ? 3 : 0
            var line = 1
            let quote = UInt8(ascii: "\""), nl = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
            while i < b.count {
                let startLine = line
                var fields: [String] = []
                var field: [UInt8] = []
                var quoted = false
                var atFieldStart = true
                var ended = false
                while i < b.count {
                    let c = b[i]
                    if quoted {
                        if c == quote {
                            if i + 1 < b.count && b[i + 1] == quote { field.append(quote); i += 2; continue }
                            quoted = false; i += 1; continue
                        }
                        if c == nl { line += 1 }
                        field.append(c); i += 1; continue
                    }
                    if options.quoting && c == quote && atFieldStart { quoted = true; atFieldStart = false; i += 1; continue }
                    if c == options.delimiter {
                        fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
                        atFieldStart = true; i += 1; continue
                    }
                    if c == nl || c == cr {
                        i += (c == cr && i + 1 < b.count && b[i + 1] == nl) ? 2 : 1
                        line += 1; ended = true; break
                    }
                    field.append(c); atFieldStart = false; i += 1
                }
                if quoted {
                    throw DatasetError("\(name):\(startLine): a quoted field is never closed; "
                        + "if quotes are part of the text, read the file with quoting off")
                }
                if !ended { line += 1 }
                fields.append(String(decoding: field, as: UTF8.self))
                if fields == [""] { continue }  // blank line
                records.append(fields)
                lineNumbers.append(startLine)
            }
        }
        guard let header = records.first else { throw DatasetError("\(name) is empty: expected a header row") }
        for (r, l) in zip(records.dropFirst(), lineNumbers.dropFirst()) where r.count != header.count {
            throw DatasetError("\(name):\(l): expected \(header.count) fields (\(header.joined(separator: ", "))), "
                + "found \(r.count); check the delimiter and quoting")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
        self.lines = Array(lineNumbers.dropFirst())
    }

    /// Column `j` converted as pandas would: all integers → int, all numbers → float, else
    /// strings; an empty field is `None`.
    func column(_ j: Int) -> [Value] {
        let raw = rows.map { $0[j] }
        let present = raw.filter { !$0.isEmpty }
        if !present.isEmpty && present.allSatisfy({ Int($0) != nil }) {
            return raw.map { $0.isEmpty ? .null : .int(Int($0) ?? 0) }
        }
        if !present.isEmpty && present.allSatisfy({ Double($0) != nil }) {
            return raw.map { $0.isEmpty ? .null : .float(Double($0) ?? 0) }
        }
        return raw.map { $0.isEmpty ? .null : .string($0) }
    }
}

/// A dataset from a CSV or TSV file (`load_dataset("csv", data_files=...)`).
public func readDelimited(_ url: URL, options: DelimitedOptions = .csv, features: Features? = nil) throws -> Dataset {
    let table = try DelimitedTable(try readFile(url), options: options, name: url.path)
    return try Dataset(table.header.indices.map { (table.header[$0], table.column($0)) }, features: features)
}

func readFile(_ url: URL) throws -> Data {
    do { return try Data(contentsOf: url) } catch {
        throw DatasetError("cannot read \(url.path): \(FileProblem.describe(error))")
    }
}
