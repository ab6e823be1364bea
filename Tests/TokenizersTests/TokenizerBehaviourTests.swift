import Foundation
import Testing
@testable import Tokenizers

/// API contracts beyond the Python parity fixtures: errors a user can cause, stored defaults
/// not applied, offsets helpers, word/token maps, decode. Uses the committed mini tokenizer.
@Suite struct TokenizerBehaviourTests {
    let tok: Tokenizer
    init() throws { tok = try Tokenizer.fromPretrained(Fixtures.url("mini/uncased").path) }

    @Test func storedPaddingAndTruncationAreNotApplied() throws {
        // mini/uncased/tokenizer.json stores truncation to 128 and padding to 128.
        let short = try tok("The cat sat on the mat.")
        #expect(short.tokens == ["[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "[SEP]"])
        #expect(!short.attentionMask.contains(0))
        let long = try tok(Array(repeating: "the cat", count: 100).joined(separator: " "))
        #expect(long.count == 202)
        let cut = try tok(Array(repeating: "the cat", count: 100).joined(separator: " "), truncation: true)
        #expect(cut.count == 202)  // no model_max_length beside this tokenizer.json: no limit
        #expect(try tok("the cat", truncation: true, maxLength: 3).tokens == ["[CLS]", "the", "[SEP]"])
    }

    @Test func offsetsAreScalarIndicesAndSliceTheText() throws {
        let text = "Héllo wörld 🥲 東京"
        let enc = try tok(text)
        let pieces = enc.offsets.map { String(text.slice($0)) }
        #expect(pieces == ["", "Héllo", "wörld", "🥲", "東", "京", ""])
        #expect(enc.offsets[3] == Offset(12, 13))  // one scalar, though two UTF-16 units
        #expect("abc".slice(Offset(5, 9)) == "")
    }

    @Test func wordAndTokenMaps() throws {
        let enc = try tok(["EU", "rejects", "German"], ["call"], isSplitIntoWords: true)
        #expect(enc.wordIds() == [nil, 0, 1, 2, nil, 0, nil])
        #expect(enc.sequenceIds() == [nil, 0, 0, 0, nil, 1, nil])
        #expect(enc.tokenToWord(2) == 1)
        #expect(enc.tokenToWord(0) == nil)
        #expect(enc.wordToTokens(0, sequenceIndex: 1) == 5..<6)
        #expect(enc.wordToTokens(7) == nil)
        #expect(enc.typeIds == [0, 0, 0, 0, 0, 1, 1])
        #expect(enc.inputIds == enc.ids && enc.tokenTypeIds == enc.typeIds && enc.offsetMapping == enc.offsets)
    }

    @Test func batchColumnsAndPadding() throws {
        let batch = try tok(["the cat", "the cat sat on the mat"], padding: true)
        #expect(batch.count == 2)
        #expect(batch.inputIds.map(\.count) == [8, 8])
        #expect(batch.attentionMask[0] == [1, 1, 1, 1, 0, 0, 0, 0])
        #expect(batch.specialTokensMask[0] == [1, 0, 0, 1, 1, 1, 1, 1])
        #expect(batch.wordIds(batchIndex: 0) == [nil, 0, 1, nil, nil, nil, nil, nil])
        #expect(batch.tokens(batchIndex: 0).last == "[PAD]")
        #expect(batch.sequenceIds(batchIndex: 1) == [nil, 0, 0, 0, 0, 0, 0, nil])
        var left = tok
        left.paddingSide = .left
        let l = try left(["the cat", "the cat sat"], padding: .longest)
        #expect(l.inputIds[0].prefix(1) == [tok.padTokenId])
        #expect(l.offsetMapping[0].first == Offset(0, 0))
    }

    @Test func padAfterEncodingEqualsPaddingInTheCall() throws {
        let texts = ["the cat", "the cat sat on the mat", "mat"]
        let separately = try texts.map { try tok($0) }
        #expect(try tok.pad(separately) == tok(texts, padding: true))
        #expect(try tok.pad(separately, padding: .maxLength, maxLength: 10) == tok(texts, maxLength: 10, padding: .maxLength))
        #expect(try tok.pad(separately, padToMultipleOf: 5).inputIds.map(\.count) == [10, 10, 10])
        #expect(try tok.pad(separately, padding: false) == BatchEncoding(separately))
    }

    @Test func truncationFromTheLeftKeepsTheEnd() throws {
        var t = tok
        t.truncationSide = .left
        let enc = try t("the cat sat on the mat", truncation: true, maxLength: 4)
        #expect(enc.tokens == ["[CLS]", "the", "mat", "[SEP]"])
    }

    @Test func withoutSpecialTokens() throws {
        let enc = try tok("the cat", "sat", addSpecialTokens: false)
        #expect(enc.tokens == ["the", "cat", "sat"])
        #expect(enc.typeIds == [0, 0, 1])
        #expect(try tok.tokenize("The CAT") == ["the", "cat"])
        #expect(try tok.encode("the cat") == tok.convertTokensToIds(["[CLS]", "the", "cat", "[SEP]"]))
    }

    @Test func decodeAndTokenIdConversions() throws {
        let enc = try tok("Hello, World! the cat's mat.")
        #expect(tok.decode(enc.ids, skipSpecialTokens: true) == "hello, world! the cat ' s mat.")
        #expect(tok.decode(enc.ids, cleanUpTokenizationSpaces: true) == "[CLS] hello, world! the cat's mat. [SEP]")
        #expect(tok.convertIdsToTokens(Array(enc.ids.prefix(2))) == ["[CLS]", "hello"])
        #expect(tok.convertIdsToTokens([-1, 1_000_000]) == [nil, nil])
        #expect(tok.convertTokensToIds(["hello", "no-such-token"]) == [enc.ids[1], tok.convertTokenToId("[UNK]")])
        #expect(tok.decode([-5] + enc.ids.prefix(2) + [99_999_999]) == "[CLS] hello")
        #expect(tok.batchDecode([enc.ids], skipSpecialTokens: true) == ["hello, world! the cat ' s mat."])
    }

    @Test func inputErrorsSayWhatToDo() throws {
        #expect(throws: TokenizerError.self) { try tok("only one", truncation: .onlySecond, maxLength: 3) }
        #expect(throws: TokenizerError.self) { try tok("the cat sat", "on", truncation: .onlySecond, maxLength: 5) }
        #expect(throws: TokenizerError.self) { try tok("the cat", truncation: true, maxLength: 1) }
        #expect(throws: TokenizerError.self) { try tok(["a", "b"], ["c"]) }
        #expect(throws: TokenizerError.self) { try tok(["a", "b"], isSplitIntoWords: false) }
        #expect(throws: TokenizerError.self) { try tok(["a"], padding: .maxLength) }
        do {
            _ = try tok("the cat sat", "on", truncation: .onlySecond, maxLength: 5)
        } catch let e as TokenizerError {
            #expect(e.description.contains("second sequence has 1 tokens"))
        }
    }

    @Test func maxLengthPaddingUsesModelMaxLength() throws {
        let cased = try Tokenizer.fromPretrained(Fixtures.url("mini/cased").path)
        #expect(cased.modelMaxLength == 512)
        #expect(try cased("the cat", padding: .maxLength).count == 512)
        #expect(try cased("the cat", maxLength: 6, padding: .maxLength).count == 6)
        #expect(try cased("the cat", padding: .longest, padToMultipleOf: 8).count == 8)
    }
}

/// Loading: component factories keyed on tokenizer.json "type", and clear errors.
@Suite struct TokenizerLoadingTests {
    func tempDir(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    func miniJSON(replacing key: String, with value: Any) throws -> String {
        var obj = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.url("mini/uncased/tokenizer.json"))) as? [String: Any] ?? [:]
        obj[key] = value
        return String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self)
    }

    @Test(arguments: [("normalizer", "NFKC"), ("pre_tokenizer", "Whitespace"), ("post_processor", "RobertaProcessing"),
                      ("decoder", "ByteLevel"), ("model", "BPE")])
    func unknownComponentTypeIsNamed(key: String, type: String) throws {
        let dir = try tempDir(["tokenizer.json": try miniJSON(replacing: key, with: ["type": type, "vocab": [String: Int]()])])
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try Tokenizer.fromPretrained(dir.path)
            Issue.record("loading a \(type) \(key) should fail")
        } catch let e as TokenizerError {
            #expect(e.description.contains("'\(type)'"), "\(e)")
            #expect(e.description.contains("not supported"))
        }
    }

    @Test func invalidIdsAreRejected() throws {
        let dir = try tempDir(["tokenizer.json": try miniJSON(replacing: "model", with: [
            "type": "WordPiece", "unk_token": "[UNK]", "vocab": ["[UNK]": 0, "a": -3]])])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: TokenizerError.self) { try Tokenizer.fromPretrained(dir.path) }
        let noUnk = try tempDir(["tokenizer.json": try miniJSON(replacing: "model", with: [
            "type": "WordPiece", "unk_token": "[UNK]", "vocab": ["a": 0]])])
        defer { try? FileManager.default.removeItem(at: noUnk) }
        #expect(throws: TokenizerError.self) { try Tokenizer.fromPretrained(noUnk.path) }
    }

    @Test func missingFilesAreExplained() throws {
        let dir = try tempDir([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try Tokenizer.fromPretrained(dir.path)
            Issue.record("an empty directory should not load")
        } catch let e as TokenizerError {
            #expect(e.description.contains("tokenizer.json") && e.description.contains("vocab.txt"))
        }
        let bad = try tempDir(["tokenizer.json": "{ not json"])
        defer { try? FileManager.default.removeItem(at: bad) }
        #expect(throws: TokenizerError.self) { try Tokenizer.fromPretrained(bad.path) }
    }

    @Test func vocabTxtOptions() throws {
        let dir = try tempDir(["vocab.txt": "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\ncafe\ncafé\n##s\né\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("vocab.txt")
        let keepAccents = try Tokenizer(vocabFile: url, doLowerCase: true, stripAccents: false)
        #expect(try keepAccents.tokenize("CAFÉS") == ["café", "##s"])
        let uncased = try Tokenizer(vocabFile: url)
        #expect(try uncased.tokenize("CAFÉS") == ["cafe", "##s"])
        let cased = try Tokenizer(vocabFile: url, doLowerCase: false)
        #expect(try cased.tokenize("Café é") == ["[UNK]", "é"])
        #expect(try cased("café").ids == [2, 6, 3])
        #expect(throws: TokenizerError.self) {
            try Tokenizer(vocabFile: url, specialTokens: ("[NOPE]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"))
        }
    }
}

/// The pipeline stages on their own.
@Suite struct StageTests {
    @Test func normalizerMapsEveryOutputScalarToItsSource() {
        let input: [UInt32] = "A\u{0}é\tİ東".unicodeScalars.map(\.value)
        var out: [UInt32] = [], origins: [Int32] = []
        input.withUnsafeBufferPointer { BertNormalizer().normalize($0, 0..<$0.count, into: &out, origins: &origins) }
        #expect(String(String.UnicodeScalarView(out.compactMap(Unicode.Scalar.init))) == "ae i 東 ")
        #expect(origins == [0, 2, 3, 4, 5, 5, 5])
    }

    @Test func preTokenizerSplitsWhitespaceAndPunctuation() {
        let text: [UInt32] = "a-b  c,d$".unicodeScalars.map(\.value)
        var words: [Range<Int>] = []
        text.withUnsafeBufferPointer { BertPreTokenizer().split($0, 0..<$0.count) { words.append($0) } }
        #expect(words == [0..<1, 1..<2, 2..<3, 5..<6, 6..<7, 7..<8, 8..<9])
    }

    @Test func vocabularyLooksUpBytesAndContinuations() {
        let v = Vocabulary(tokenToId: [("play", 0), ("##ing", 1), ("ing", 2), ("dup", 3), ("dup", 4)], continuationPrefix: "##")
        #expect(v.id(of: "play") == 0)
        #expect(v.id(of: "##ing") == 1)
        #expect(v.id(of: "dup") == 4)  // later line wins
        #expect(v.id(of: "pla") == nil)
        let bytes = Array("ing".utf8)
        bytes.withUnsafeBufferPointer { b in
            #expect(v.lookup(b.baseAddress!, 3, continued: true) == 1)
            #expect(v.lookup(b.baseAddress!, 3, continued: false) == 2)
            #expect(v.lookup(b.baseAddress!, 2, continued: true) == -1)
        }
    }

    @Test func decoderJoinsPiecesAndCleansUp() {
        let d = WordPieceDecoder()
        #expect(d.decode(["##a", "play", "##ing", ",", "it", "'", "s", "!"]) == "##a playing, it ' s!")
        #expect(cleanUpTokenization("it ' s do not", doNot: false) == "it's do not")
        #expect("a  b".replacingAll(" ", "_") == "a__b")
    }
}
