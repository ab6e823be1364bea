import Foundation
import Testing
@testable import Tokenizers

/// Every Unicode scalar above ASCII is classified as the Rust library does: removed as a
/// control by clean_text, dropped as a nonspacing mark when accents are stripped, split off as
/// punctuation. Reference: Fixtures/unicode-classes.json (Scripts/fixtures/tokenizer_parity_fixtures.py).
@Suite struct UnicodeClassTests {
    static func set(_ ranges: Any?) -> Set<UInt32> {
        var s = Set<UInt32>()
        for r in ranges as? [[Int]] ?? [] where r.count == 2 { for v in r[0]...r[1] { s.insert(UInt32(v)) } }
        return s
    }

    @Test func everyScalarMatchesTheRustTables() throws {
        let json = try Fixtures.json("unicode-classes.json") as? [String: Any] ?? [:]
        let removed = Self.set(json["removed"]), stripped = Self.set(json["stripped"]), punct = Self.set(json["punctuation"])
        let white = Self.set(json["whitespace"])
        #expect(white.count > 10)
        #expect(removed.count > 100_000 && stripped.count > 1000 && punct.count > 500)
        var bad: [String] = []
        for v in UInt32(0x80)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let isRemoved = v == 0xFFFD || UnicodeClass.isControl(s)
            let vanishes = UnicodeClass.decompose(s).allSatisfy { UnicodeClass.category($0) == .nonspacingMark }
            let isPunct = UnicodeClass.isPunctuation(v)
            if isRemoved != removed.contains(v) { bad.append(String(format: "U+%04X removed %@", v, "\(isRemoved)")) }
            if vanishes != stripped.contains(v) { bad.append(String(format: "U+%04X stripped %@", v, "\(vanishes)")) }
            let isWhite = !isRemoved && UnicodeClass.isWhitespace(v)
            if isWhite != white.contains(v) { bad.append(String(format: "U+%04X whitespace %@", v, "\(isWhite)")) }
            if isPunct != punct.contains(v) { bad.append(String(format: "U+%04X punctuation %@", v, "\(isPunct)")) }
        }
        #expect(bad.isEmpty, "\(bad.count) differences: \(bad.prefix(60).joined(separator: ", "))")
    }

    @Test func everyScalarLowercasesAndStripsAsInRust() throws {
        let json = try Fixtures.json("unicode-maps.json") as? [String: Any] ?? [:]
        func table(_ key: String) -> [UInt32: [UInt32]] {
            var t: [UInt32: [UInt32]] = [:]
            for (k, v) in json[key] as? [String: [Int]] ?? [:] { if let c = UInt32(k) { t[c] = v.map(UInt32.init) } }
            return t
        }
        let lower = table("lowercase"), stripped = table("stripAccents")
        #expect(lower.count > 1000 && stripped.count > 1000)
        var bad: [String] = []
        for v in UInt32(0x80)...0x10FFFF where !(0xAC00...0xD7A3).contains(v) {
            guard let s = Unicode.Scalar(v) else { continue }
            switch s.properties.generalCategory {
            case .unassigned, .privateUse, .surrogate:
                // No case or decomposition here; only a newer Rust table could have one.
                if lower[v] != nil || stripped[v] != nil { bad.append(String(format: "U+%04X unassigned here", v)) }
                continue
            default: break
            }
            let l = s.properties.lowercaseMapping.unicodeScalars.map(\.value)
            if l != [v] ? lower[v] != l : lower[v] != nil { bad.append(String(format: "U+%04X lowercase", v)) }
            let d = UnicodeClass.decompose(s).filter { UnicodeClass.category($0) != .nonspacingMark }.map(\.value)
            if d != [v] && !d.isEmpty ? stripped[v] != d : stripped[v] != nil { bad.append(String(format: "U+%04X strip", v)) }
        }
        #expect(bad.isEmpty, "\(bad.count) differences: \(bad.prefix(60).joined(separator: ", "))")
    }
}
