import Foundation
import Testing
@testable import Tokenizers

/// Parity with the Python fast tokenizer on hard strings, sentences, pairs, pre-split words,
/// truncation and padding, for a cut-down vocabulary committed with the tests (no mirror
/// needed). Fixtures: Scripts/fixtures/tokenizer_parity_fixtures.py.
@Suite struct ParityMiniTests {
    let cases: [ParityCase]
    init() throws { cases = try ParityCase.load("mini-parity.json") }

    @Test func uncasedTokenizerJSONMatchesPython() throws {
        let tok = try Tokenizer.fromPretrained(Fixtures.url("mini/uncased").path)
        let n = checkParity(cases, config: "uncased", tokenizer: tok)
        #expect(n > 100)
    }

    @Test func casedVocabTxtMatchesPython() throws {
        let tok = try Tokenizer.fromPretrained(Fixtures.url("mini/cased").path)
        #expect(tok.normalizer?.lowercase == false)
        let n = checkParity(cases, config: "cased", tokenizer: tok)
        #expect(n > 100)
    }
}
