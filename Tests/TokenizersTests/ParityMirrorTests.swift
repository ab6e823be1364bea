import Foundation
import Testing
@testable import Tokenizers

/// Parity with the Python fast tokenizer on the real all-MiniLM-L6-v2 vocabulary, uncased (its
/// tokenizer.json) and cased (its vocab.txt with do_lower_case false), on every CoNLL-2003
/// validation sentence, every MRPC dev pair with truncation, and the hard strings.
/// Needs the data mirror (COURSE_MIRROR or ../shared/mirror).
@Suite(.enabled(if: Fixtures.hasMirror, "needs the data mirror: set COURSE_MIRROR"))
struct ParityMirrorTests {
    static func uncased() throws -> Tokenizer {
        try Tokenizer.fromPretrained(Fixtures.miniLM?.path ?? "")
    }

    static func cased() throws -> Tokenizer {
        try Tokenizer(vocabFile: (Fixtures.miniLM ?? Fixtures.directory).appendingPathComponent("vocab.txt"), doLowerCase: false)
    }

    @Test func hardStringsMatchPython() throws {
        let cases = try ParityCase.load("full-hard.json")
        #expect(checkParity(cases, config: "uncased", tokenizer: try Self.uncased()) > 100)
        #expect(checkParity(cases, config: "cased", tokenizer: try Self.cased()) > 100)
    }

    /// CoNLL-2003 validation sentences (words as in the mirror's valid.txt).
    static func conllSentences() throws -> [[String]] {
        let url = (Fixtures.mirror ?? Fixtures.directory).appendingPathComponent("datasets/conll2003/valid.txt")
        var sentences: [[String]] = [], current: [String] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            let l = line.trimmingCharacters(in: .whitespaces)
            if l.isEmpty {
                if !current.isEmpty { sentences.append(current) }
                current = []
            } else if !l.hasPrefix("-DOCSTART-") {
                current.append(String(l.split(separator: " ")[0]))
            }
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }

    @Test(arguments: ["uncased", "cased"])
    func conllValidationMatchesPython(config: String) throws {
        let sentences = try Self.conllSentences()
        let fixture = try Fixtures.json("full-conll-valid-\(config).json") as? [String: Any] ?? [:]
        let ids = fixture["ids"] as? [[Int]] ?? []
        let wordIds = fixture["wordIds"] as? [[Int]] ?? []
        let offsets = fixture["offsets"] as? [[Int]] ?? []
        #expect(sentences.count == 3250)
        #expect(ids.count == sentences.count)
        let tok = config == "uncased" ? try Self.uncased() : try Self.cased()
        let batch = try tok(sentences, isSplitIntoWords: true)
        var wrong = 0
        for (i, enc) in batch.enumerated() where i < ids.count {
            let words = enc.wordIds().map { $0 ?? -1 }
            let flat = enc.offsets.flatMap { [$0.start, $0.end] }
            if enc.ids != ids[i] || words != wordIds[i] || flat != offsets[i]
                || enc.specialTokensMask != words.map({ $0 < 0 ? 1 : 0 }) || enc.typeIds.contains(where: { $0 != 0 }) {
                wrong += 1
                if wrong <= 3 { Issue.record("sentence \(i) \(sentences[i]): swift \(enc.tokens) python ids \(ids[i])") }
            }
        }
        #expect(wrong == 0, "\(wrong) of \(sentences.count) sentences differ")
    }

    @Test func mrpcPairsWithTruncationMatchPython() throws {
        let url = (Fixtures.mirror ?? Fixtures.directory).appendingPathComponent("datasets/glue/mrpc/dev.tsv")
        var text = try String(contentsOf: url, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let pairs = rows.filter { $0.count >= 5 }.map { (String($0[3]), String($0[4])) }
        #expect(pairs.count == 408)
        let fixture = try Fixtures.json("full-mrpc-dev.json") as? [String: Any] ?? [:]
        let tok = try Self.uncased()
        for setting in fixture["settings"] as? [[String: Any]] ?? [] {
            let strategy: Truncation = switch setting["truncation"] as? String {
            case "only_first": .onlyFirst
            case "only_second": .onlySecond
            default: .longestFirst
            }
            let maxLength = setting["maxLength"] as? Int ?? 0
            let ids = setting["ids"] as? [Any] ?? [], typeIds = setting["typeIds"] as? [Any] ?? []
            let wordIds = setting["wordIds"] as? [Any] ?? [], seqIds = setting["sequenceIds"] as? [Any] ?? []
            let offsets = setting["offsets"] as? [Any] ?? []
            var wrong = 0
            for (i, (a, b)) in pairs.enumerated() {
                let result = Result { try tok(a, b, truncation: strategy, maxLength: maxLength) }
                guard let expectedIds = ids[i] as? [Int] else {
                    if case .success = result { wrong += 1; Issue.record("pair \(i): Python refused, Swift encoded") }
                    continue
                }
                guard case .success(let enc) = result else { wrong += 1; continue }
                if enc.ids != expectedIds || enc.typeIds != typeIds[i] as? [Int]
                    || enc.wordIds().map({ $0 ?? -1 }) != wordIds[i] as? [Int]
                    || enc.sequenceIds().map({ $0 ?? -1 }) != seqIds[i] as? [Int]
                    || enc.offsets.flatMap({ [$0.start, $0.end] }) != offsets[i] as? [Int] {
                    wrong += 1
                    if wrong <= 3 { Issue.record("\(strategy) pair \(i): swift \(enc.tokens)") }
                }
            }
            #expect(wrong == 0, "\(strategy) \(maxLength): \(wrong) of \(pairs.count) pairs differ")
        }
    }
}
