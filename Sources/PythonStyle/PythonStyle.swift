// How Python spells values, for outputs a reader compares with the Python course: a
// dataset's summary, a metric's dict. Shared by Datasets and Metrics.

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
