import Files
import Foundation
import PythonStyle

// `Dataset.to_csv` and `Dataset.to_json`: a dataset written as the files a learner hands to
// `load_dataset("csv" | "json", ...)` or to `finetune --train_file`. The bytes follow what
// Python `datasets` (through pandas) writes, so the files diff cleanly against Python's:
// CSV with a header, no index column, fields quoted only when they hold a comma, a quote or a
// line break (quotes doubled), floats as Python's `repr`, booleans `True`/`False`, None empty;
// JSON Lines with one object per row, non-ASCII and `/` escaped as pandas does. One difference:
// pandas rounds floats to 10 significant digits in JSON; here they keep Python's `repr`, which
// reads back to the same double.
// Both write to a temporary file beside the target and rename it, so a failure never leaves a
// half-written file.

extension Dataset {
    /// Writes the dataset as CSV (Python `dataset.to_csv(path)`): a header line, then one line per
    /// row. A column holding lists is an error (CSV has no lists: use `toJSON`).
    public func toCSV(_ path: String) throws {
        let names = columnNames
        var columns: [[Value]] = []
        for name in names {
            let values = try self[column: name]
            if let row = values.firstIndex(where: { if case .list = $0 { return true } else { return false } }) {
                throw DatasetError("toCSV(\(path)): column '\(name)' holds a list at row \(row); CSV cannot hold lists, "
                    + "write the dataset with toJSON instead")
            }
            columns.append(values)
        }
        var text = names.map(Self.csvField).joined(separator: ",") + "\n"
        for row in 0..<count {
            text += columns.map { Self.csvField($0[row]) }.joined(separator: ",") + "\n"
        }
        try Self.writeAtomically(text, to: path, what: "toCSV")
    }

    /// Writes the dataset as JSON Lines (Python `dataset.to_json(path)`, whose default is one
    /// object per line), keys in column order.
    public func toJSON(_ path: String) throws {
        let names = columnNames
        let columns = try names.map { try self[column: $0] }
        var text = ""
        for row in 0..<count {
            let fields = zip(names, columns).map { name, column in Self.jsonString(name) + ":" + Self.json(column[row]) }
            text += "{" + fields.joined(separator: ",") + "}\n"
        }
        try Self.writeAtomically(text, to: path, what: "toJSON")
    }

    // MARK: CSV

    static func csvField(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return csvField(s)
        default: return csvText(value)
        }
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A non-string scalar as pandas prints it into CSV (Python `str`).
    static func csvText(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .float(let x): return pythonRepr(x)
        case .string(let s): return s
        case .list(let items): return "[" + items.map(csvText).joined(separator: ", ") + "]"
        }
    }

    // MARK: JSON

    static func json(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .float(let x): return x.isFinite ? pythonRepr(x) : "null"   // pandas writes NaN and ±inf as null
        case .string(let s): return jsonString(s)
        case .list(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        }
    }

    /// A JSON string as pandas escapes it: ASCII only, `/` as `\/`.
    static func jsonString(_ s: String) -> String { pythonJSONString(s, escapingSlash: true) }

    // MARK: Writing

    static func writeAtomically(_ text: String, to path: String, what: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        if let blocker = FileProblem.fileInTheWay(of: folder.path) {
            throw DatasetError("\(what)(\(path)): \(blocker) is a file, not a folder: choose another path")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Data.write(.atomic) writes a temporary file beside the target and renames it.
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw DatasetError("\(what)(\(path)): cannot write the file: \(FileProblem.describe(error, path: path))")
        }
    }
}
