import PythonStyle
import Foundation

/// A JSON value written the way Python's `json.dumps(value, indent=2, sort_keys=True)` writes it,
/// so that files Python's libraries read (`trainer_state.json`) have the types Python expects:
/// an `.int` is `12`, a `.float` is always a float (`2.0`, `5902848.0`, `4.5833333333333334e-05`,
/// Python's shortest `repr`), `nil` is `null`, non-ASCII text is `\uXXXX`-escaped, NaN and
/// infinities are `NaN`/`Infinity` as Python writes them. Foundation's `JSONEncoder` cannot do
/// this: it writes the double 2.0 as `2`, which Python reads back as an int.
enum PythonJSON {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case array([PythonJSON])
    case object([String: PythonJSON])

    /// An optional value, `null` when nil.
    static func optional<T>(_ value: T?, _ wrap: (T) -> PythonJSON) -> PythonJSON { value.map(wrap) ?? .null }

    /// The whole document: `json.dumps(self, indent=2, sort_keys=True) + "\n"`.
    func document() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out + "\n"
    }

    func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .float(let x): out += Self.repr(x)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(to: &out, indent: indent + 2)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            let keys = members.keys.sorted(by: Self.pythonOrder)
            for (i, key) in keys.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                Self.quote(key, into: &out)
                out += ": "
                members[key]?.write(to: &out, indent: indent + 2)
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// Python sorts keys by code point; Swift's `<` on String compares grapheme clusters, which
    /// agrees for the ASCII keys written here, so compare the scalars to be exact.
    static func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// Python's `json` string with `ensure_ascii=True`.
    static func quote(_ s: String, into out: inout String) {
        out += pythonJSONString(s)
    }

    /// Python's `repr(float)` (what `json.dumps` writes): the shortest digits that read back
    /// exactly (Swift's `description` finds the same digits), in fixed notation with at least
    /// one decimal when the decimal exponent is in -4..<16, else as `d.ddde±XX`.
    static func repr(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
        let text = "\(x.magnitude)"
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = String(mantissa[0]), fraction = mantissa.count == 2 ? String(mantissa[1]) : ""
        // value = 0.DIGITS × 10^point
        var digits = Array(whole + fraction)
        var point = whole.count + exponent
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let sign = x < 0 ? "-" : ""
        let e10 = point - 1
        if e10 < -4 || e10 >= 16 {
            let rest = digits.dropFirst()
            let exp = String(format: "%02d", abs(e10))
            return sign + String(digits[0]) + (rest.isEmpty ? "" : "." + String(rest)) + (e10 < 0 ? "e-" : "e+") + exp
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count {
            return sign + String(digits) + String(repeating: "0", count: point - digits.count) + ".0"
        }
        return sign + String(digits[..<point]) + "." + String(digits[point...])
    }
}
