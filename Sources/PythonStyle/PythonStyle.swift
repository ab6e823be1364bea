// How Python spells values, for outputs a reader compares with the Python course: a
// dataset's summary, a metric's dict, JSON as Python writes it. Shared by Datasets, Metrics and Training.

/// Python's `repr` of a float: Swift's shortest round-trip form already agrees with it
/// (`0.1`, `1.0`, `1e-05`); only the infinities and NaN are spelled differently.
public func pythonRepr(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return x.description
}

/// Python's `repr` of a string: single quotes unless the text holds a single quote and no double.
public func pythonRepr(_ s: String) -> String {
    let useDouble = s.contains("'") && !s.contains("\"")
    let quote: Character = useDouble ? "\"" : "'"
    var out = String(quote)
    for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "'" where !useDouble: out += "\\'"
        default: out.unicodeScalars.append(ch)
        }
    }
    out.append(quote)
    return out
}

/// Python's `sorted` on strings orders by Unicode code points, not by Swift's `<`.
public func pythonSorted(_ strings: some Sequence<String>) -> [String] {
    strings.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
}

/// A JSON string as Python writes it with `ensure_ascii=True` (`json.dumps`): ASCII only, other
/// characters as `\uXXXX` (surrogate pairs beyond the BMP), the short escapes for `"` `\` and
/// controls. pandas' `to_json` also escapes `/` as `\/`: pass `escapingSlash: true` for it.
public func pythonJSONString(_ s: String, escapingSlash: Bool = false) -> String {
    var out = "\""
    for unit in s.utf16 {
        switch unit {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x2F where escapingSlash: out += "\\/"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x08: out += "\\b"
        case 0x0C: out += "\\f"
        case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
        default:
            let hex = String(unit, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
    return out + "\""
}
