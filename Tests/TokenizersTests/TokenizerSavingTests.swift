import Foundation
import Testing
@testable import Tokenizers

/// savePretrained → fromPretrained gives the same tokenizer; stored defaults and printing.
@Suite struct TokenizerSavingTests {
    let texts = ["Héllo, World! [MASK] 東京", "The cat's mat.", "naïve CAFÉ ﬁne"]

    @Test(arguments: ["mini/uncased", "mini/cased"])
    func saveAndReloadEncodeTheSame(fixture: String) throws {
        let tok = try Tokenizer.fromPretrained(Fixtures.url(fixture).path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tok-save-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try tok.savePretrained(dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.contains("vocab.txt") && files.contains("tokenizer_config.json") && files.contains("special_tokens_map.json"))
        #expect(files.contains("tokenizer.json") == (fixture == "mini/uncased"))
        let back = try Tokenizer.fromPretrained(dir.path)
        #expect(try back(texts).encodings == tok(texts).encodings)
        #expect(back.modelMaxLength == tok.modelMaxLength)
        #expect(back.specialTokensMap == tok.specialTokensMap)
        // Without tokenizer.json, the vocab.txt + tokenizer_config.json written must agree too.
        if files.contains("tokenizer.json") {
            try FileManager.default.removeItem(at: dir.appendingPathComponent("tokenizer.json"))
            #expect(try Tokenizer.fromPretrained(dir.path)(texts).encodings == tok(texts).encodings)
        }
    }

    @Test func storedDefaultsAreReportedNotApplied() throws {
        let tok = try Tokenizer.fromPretrained(Fixtures.url("mini/uncased").path)
        #expect(tok.storedTruncation?.strategy == .longestFirst && tok.storedTruncation?.maxLength == 128)
        #expect(tok.storedPadding?.padding == .maxLength && tok.storedPadding?.maxLength == 128)
        let asked = try tok("the cat", truncation: tok.storedTruncation?.strategy ?? false,
                            maxLength: tok.storedPadding?.maxLength, padding: tok.storedPadding?.padding ?? false)
        #expect(asked.count == 128)
        #expect(try tok("the cat").count == 4)
    }

    @Test func printsLikePython() throws {
        let tok = try Tokenizer.fromPretrained(Fixtures.url("mini/cased").path)
        #expect(tok.isFast)
        #expect(tok.specialTokenId("cls_token") == tok.convertTokenToId("[CLS]"))
        #expect("\(tok)".hasPrefix("BertTokenizerFast(vocab_size=\(tok.vocabSize), model_max_length=512, is_fast=True"))
        let enc = try tok("the cat")
        #expect("\(enc)" == "{'input_ids': \(enc.ids), 'token_type_ids': [0, 0, 0, 0], 'attention_mask': [1, 1, 1, 1]}")
        let batch = try tok(["the", "the cat"], padding: true)
        #expect("\(batch)".hasPrefix("{'input_ids': [[\(enc.ids[0]), "))
        #expect("\(batch)".hasSuffix("'attention_mask': [[1, 1, 1, 0], [1, 1, 1, 1]]}"))
    }
}
