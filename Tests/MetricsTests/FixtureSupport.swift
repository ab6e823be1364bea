import Foundation
import TestSupport
import Testing

// Shared helpers: fixture loading and the location of the real data mirror.

let fixtures = TestPaths.fixtures()

/// Decodes a fixture. JSONDecoder, not JSONSerialization: the latter rounds some doubles on
/// Linux in the last digit, which would hide (or fake) parity failures.
func loadFixture<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: fixtures.appendingPathComponent(name)))
}

/// `evaluate`'s seqeval result as the generator script writes it.
struct PythonSeqeval: Decodable {
    struct Scores: Decodable { var precision, recall, f1: Double; var number: Int }
    struct TypeEntry: Decodable {
        var name: String
        var scores: Scores
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            name = try c.decode(String.self)
            scores = try c.decode(Scores.self)
        }
    }
    var types: [TypeEntry]
    var overall_precision, overall_recall, overall_f1, overall_accuracy: Double
}

struct SeqevalFixtureCase: Decodable {
    var name: String
    var references, predictions: [[String]]
    var `default`: PythonSeqeval
    var default_report: [String: String?]
    var strict: PythonSeqeval?
    var strict_report: [String: String?]?
    var strict_error: String?
}

struct SeqevalValidationFixture: Decodable {
    struct Edit: Decodable {
        var sentence, token: Int
        var tag: String
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            sentence = try c.decode(Int.self); token = try c.decode(Int.self); tag = try c.decode(String.self)
        }
    }
    var edits: [Edit]
    var sentences: Int
    var `default`, strict: PythonSeqeval
    var report, strict_report: String
}

struct ClassificationFixtureCase: Decodable {
    var name: String
    var references, predictions: [Int]
    var accuracy: Double
    var micro, macro, weighted: [Double]
    var binary: [Double]?
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The mirror of the real data (TestSupport: `COURSE_MIRROR`, else `<package root>/../shared/mirror`).
let mirrorRoot: URL? = TestPaths.mirror

/// The tags (4th column) of a CoNLL file, one array per sentence.
func conllTags(_ url: URL) throws -> [[String]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var sentences: [[String]] = [], current: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.isEmpty || line.hasPrefix("-DOCSTART-") {
            if !current.isEmpty { sentences.append(current); current = [] }
            continue
        }
        current.append(String(line.split(separator: " ")[3]))
    }
    if !current.isEmpty { sentences.append(current) }
    return sentences
}
