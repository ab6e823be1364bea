import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Where the fixtures and the data mirror are.
enum Fixtures {
    static let directory = TestPaths.fixtures()

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name)))
    }

    /// The data mirror (TestSupport: `COURSE_MIRROR`, else `<package root>/../shared/mirror`); nil if absent.
    static let mirror: URL? = TestPaths.mirror

    static var hasMirror: Bool { mirror != nil }

    static var miniLM: URL? { mirror?.appendingPathComponent("models/sentence-transformers/all-MiniLM-L6-v2") }
}

/// One recorded Python call and what it returned.
struct ParityCase {
    var name: String
    var config: String
    var call: [String: Any]
    var expected: [[String: Any]]?
    var error: String?

    static func load(_ file: String) throws -> [ParityCase] {
        guard let list = try Fixtures.json(file) as? [[String: Any]] else { throw TokenizerError("\(file): not a list") }
        return list.map {
            ParityCase(name: $0["name"] as? String ?? "?", config: $0["config"] as? String ?? "?",
                       call: $0["call"] as? [String: Any] ?? [:], expected: $0["encodings"] as? [[String: Any]],
                       error: $0["error"] as? String)
        }
    }

    /// Runs the call with `tokenizer` the way the Python script called the Python tokenizer.
    func run(_ tokenizer: Tokenizer) throws -> [Encoding] {
        var tok = tokenizer
        if let side = call["padding_side"] as? String { tok.paddingSide = PaddingSide(rawValue: side) ?? .right }
        if let side = call["truncation_side"] as? String { tok.truncationSide = PaddingSide(rawValue: side) ?? .right }
        let truncation: Truncation = switch call["truncation"] as? String {
        case "longest_first": .longestFirst
        case "only_first": .onlyFirst
        case "only_second": .onlySecond
        default: .doNotTruncate
        }
        let padding: Padding = switch call["padding"] as? String {
        case "longest": .longest
        case "max_length": .maxLength
        default: .doNotPad
        }
        let maxLength = call["max_length"] as? Int
        let multiple = call["pad_to_multiple_of"] as? Int
        if call["is_split_into_words"] as? Bool == true {
            let words = call["text"] as? [[String]] ?? []
            let pairs = call["text_pair"] as? [[String]]
            return try tok(words, pairs, isSplitIntoWords: true, truncation: truncation, maxLength: maxLength,
                           padding: padding, padToMultipleOf: multiple).encodings
        }
        let texts = call["text"] as? [String] ?? []
        let pairs = call["text_pair"] as? [String]
        return try tok(texts, pairs, truncation: truncation, maxLength: maxLength, padding: padding,
                       padToMultipleOf: multiple).encodings
    }
}

/// Compares every field of `actual` with a Python encoding; returns the mismatches.
func mismatches(_ actual: Encoding, _ expected: [String: Any], tokenizer: Tokenizer) -> [String] {
    var bad: [String] = []
    func check<T: Equatable>(_ field: String, _ a: T, _ e: T?) {
        if e == nil || a != e! { bad.append("\(field): swift \(a) python \(String(describing: expected[field] ?? "missing"))") }
    }
    check("ids", actual.ids, expected["ids"] as? [Int])
    check("tokens", actual.tokens, expected["tokens"] as? [String])
    check("typeIds", actual.typeIds, expected["typeIds"] as? [Int])
    check("attentionMask", actual.attentionMask, expected["attentionMask"] as? [Int])
    check("specialTokensMask", actual.specialTokensMask, expected["specialTokensMask"] as? [Int])
    check("offsets", actual.offsets, (expected["offsets"] as? [[Int]])?.map { Offset($0[0], $0[1]) })
    check("wordIds", actual.wordIds(), (expected["wordIds"] as? [Any])?.map { $0 as? Int })
    check("sequenceIds", actual.sequenceIds(), (expected["sequenceIds"] as? [Any])?.map { $0 as? Int })
    check("decoded", tokenizer.decode(actual.ids), expected["decoded"] as? String)
    check("decodedSkip", tokenizer.decode(actual.ids, skipSpecialTokens: true), expected["decodedSkip"] as? String)
    return bad
}

/// Runs every case of `cases` for `config` and records each difference as a test issue.
/// Returns the number of encodings compared.
@discardableResult
func checkParity(_ cases: [ParityCase], config: String, tokenizer: Tokenizer) -> Int {
    var compared = 0
    for c in cases where c.config == config {
        let result = Result { try c.run(tokenizer) }
        switch (result, c.expected, c.error) {
        case (.success(let encs), .some(let expected), _):
            #expect(encs.count == expected.count, "\(c.name): batch size")
            for (i, (a, e)) in zip(encs, expected).enumerated() {
                let bad = mismatches(a, e, tokenizer: tokenizer)
                #expect(bad.isEmpty, "\(config) \(c.name)[\(i)] \(c.call["text"].map { "\($0)".prefix(80) } ?? ""): \(bad.joined(separator: "; "))")
                compared += 1
            }
        case (.failure, .none, .some):
            compared += 1  // both refuse the input
        case (.success, .none, let error?):
            Issue.record("\(config) \(c.name): Python failed (\(error)) but Swift encoded it")
        case (.failure(let error), _, _):
            Issue.record("\(config) \(c.name): Swift failed: \(error)")
        default:
            Issue.record("\(config) \(c.name): malformed fixture")
        }
    }
    return compared
}
