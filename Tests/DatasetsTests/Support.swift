import Foundation
import TestSupport
import Hub
@testable import Datasets

// Shared helpers: fixtures, the real data mirror, temporary files.

let fixtures = TestPaths.fixtures()

/// The mirror of the real data (TestSupport: `COURSE_MIRROR`, else `<package root>/../shared/mirror`).
let mirrorRoot: URL? = TestPaths.mirror

/// A Hub that resolves names in the mirror.
var mirrorHub: Hub { Hub(mirror: mirrorRoot?.path) }

/// Writes `text` to a fresh temporary file and returns its URL.
func temporaryFile(_ text: String, name: String = "data.txt") throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("datasets-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

/// Decodes the facts that Scripts/fixtures/data_datasets_fixtures.py computed from the mirror. Rows are
/// digests, not text: the data is licensed and stays out of the repository.
struct MirrorFacts: Decodable, Sendable {
    struct Split: Decodable, Sendable {
        var num_rows: Int
        var tokens: Int?
        var ner_histogram: [Int]?
        var label_histogram: [Int]?
        var columns: [String]?
        var rows: [String: String]?
        var first_text: String?
        var first_pos_text: String?
    }
    var conll2003, mrpc, sst2, imdb_small, imdb: [String: Split]
}

let mirrorFacts: MirrorFacts? = try? JSONDecoder().decode(
    MirrorFacts.self, from: Data(contentsOf: fixtures.appendingPathComponent("mirror_facts.json")))

/// FNV-1a 64 of the UTF-8 bytes, as 16 hex digits (the generator script computes the same).
func fnv1a64(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// The script's canonical form of a value: strings as is, ints in decimal, lists joined by U+001E.
func canonical(_ v: Value) -> String {
    switch v {
    case .null: return ""
    case .bool(let b): return b ? "True" : "False"
    case .int(let n): return String(n)
    case .float(let x): return String(x)
    case .string(let s): return s
    case .list(let items): return items.map(canonical).joined(separator: "\u{1E}")
    }
}

/// The digest of a row: `key=value` pairs in column order joined by U+001F.
func rowDigest(_ row: Row) -> String {
    fnv1a64(row.map { "\($0)=\(canonical($1))" }.joined(separator: "\u{1F}"))
}

/// Row `index` of `ds` has the digest the Python parse computed.
func rowMatches(_ ds: Dataset, _ index: String, _ expected: String) -> Bool {
    guard let i = Int(index), let row = try? ds[i] else { return false }
    return rowDigest(row) == expected
}
