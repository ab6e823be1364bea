import Foundation
import Models
import Pipelines
import Testing
import Tokenizers

/// The token-classification pipeline against transformers' on a tiny random model
/// (Scripts/fixtures/pipelines_fixtures.py): same entities, words and offsets, scores within 1e-5.
@Suite struct TokenClassificationPipelineTests {
    let reference: PipelinesReference
    let model: BertForTokenClassification
    let tokenizer: Tokenizer

    init() throws {
        reference = try PipelinesReference.load()
        let dir = try checkpointURL("tiny-ner").path
        model = try BertForTokenClassification.fromPretrained(dir)
        tokenizer = try Tokenizer.fromPretrained(dir)
    }

    @Test func fixtureTokenizationMatchesPython() throws {
        for (sentence, tokens) in zip(reference.sentences, reference.tokens) {
            #expect(try tokenizer(sentence).tokens == tokens, "\(sentence)")
        }
    }

    @Test(arguments: AggregationStrategy.allCases)
    func matchesPythonPipeline(strategy: AggregationStrategy) throws {
        let ner = pipeline(.tokenClassification, model: model, tokenizer: tokenizer, aggregationStrategy: strategy)
        let expected = try #require(reference.tokenClassification[strategy.rawValue])
        #expect(expected.count == reference.sentences.count)
        var worst: Double = 0
        for (sentence, want) in zip(reference.sentences, expected) {
            let got = try ner(sentence)
            #expect(got.count == want.count, "\(strategy) \(sentence): \(got.count) entities, Python \(want.count)")
            for (g, w) in zip(got, want) {
                #expect(g.entity == w.entity && g.entityGroup == w.entity_group && g.index == w.index,
                        "\(strategy) \(sentence): \(g) vs \(w)")
                #expect(g.word == w.word && g.start == w.start && g.end == w.end, "\(strategy) \(sentence): \(g) vs \(w)")
                worst = Swift.max(worst, abs(Double(g.score) - w.score))
            }
        }
        print("pipeline \(strategy): max score difference vs Python \(worst)")
        #expect(worst <= 1e-5, "\(strategy): max score difference \(worst)")
    }

    @Test func fixtureCoversTheInterestingCases() throws {
        // The parity above only means something if the reference has groups of several
        // tokens, subword words, B- tags and dropped "O" tokens.
        let simple = try #require(reference.tokenClassification["simple"]).flatMap { $0 }
        let none = try #require(reference.tokenClassification["none"]).flatMap { $0 }
        #expect(Set(simple.compactMap(\.entity_group)).count >= 3)
        #expect(none.contains { $0.entity?.hasPrefix("B-") == true })
        #expect(none.contains { $0.word.hasPrefix("##") })
        #expect(none.contains { $0.word == "xyz" })  // an [UNK] token shows its original text
        let tokenCount = reference.tokens.reduce(0) { $0 + $1.count - 2 }
        #expect(none.count < tokenCount)  // some tokens were "O" and are ignored
        // The word strategies disagree somewhere, so each one's rule is really exercised.
        let words = { (s: String) in reference.tokenClassification[s]?.map { $0.map { "\($0.entity_group ?? "") \($0.word) \($0.score)" } } }
        #expect(words("first") != words("average") && words("first") != words("max") && words("average") != words("max"))
        #expect(words("simple") != words("first"))
    }

    @Test func emptyTextHasNoEntities() throws {
        for strategy in AggregationStrategy.allCases {
            let ner = pipeline(.tokenClassification, model: model, tokenizer: tokenizer, aggregationStrategy: strategy,
                               ignoreLabels: [])
            #expect(try ner("").isEmpty)
            #expect(try ner("   ").isEmpty)
        }
    }

    @Test func ignoreLabelsAndPrinting() throws {
        let all = pipeline(.ner, model: model, tokenizer: tokenizer, ignoreLabels: [])
        let text = "My name is Sarah and I live in London"
        let tokens = try all(text)
        // With nothing ignored, every non-special token is an entity, in order.
        #expect(tokens.map(\.index) == Array(1...10))
        #expect(tokens.map(\.word) == ["my", "name", "is", "sa", "##rah", "and", "i", "live", "in", "london"])
        #expect(tokens[4].start == 13 && tokens[4].end == 16)
        let simple = pipeline(.tokenClassification, model: model, tokenizer: tokenizer, aggregationStrategy: .simple)
        let first = try #require(try simple(text).first)
        #expect(first.description.hasPrefix("{'entity_group': '\(first.label)', 'score': 0."))
        #expect(first.description.hasSuffix("'start': \(first.start), 'end': \(first.end)}"))
        #expect(tokens[0].description.hasPrefix("{'entity': '\(tokens[0].label)', 'score': "))
        #expect(tokens[0].description.contains(", 'index': 1, 'word': 'my', 'start': 0, 'end': 2}"))
    }

    @Test func batchEqualsOneByOneAndModelModeIsRestored() throws {
        let ner = pipeline(.tokenClassification, model: model, tokenizer: tokenizer, aggregationStrategy: .first)
        model.train()
        let batch = try ner(Array(reference.sentences.prefix(3)))
        #expect(model.training)  // the pipeline ran in eval mode and put training back
        model.eval()
        for (s, entities) in zip(reference.sentences.prefix(3), batch) { #expect(try ner(s) == entities) }
    }

    @Test func loadsFromADirectory() throws {
        let ner = try pipeline(.tokenClassification, model: try checkpointURL("tiny-ner").path, aggregationStrategy: .average)
        let want = try #require(reference.tokenClassification["average"]?.first)
        #expect(try ner(reference.sentences[0]).map(\.word) == want.map(\.word))
    }

    @Test func textLongerThanTheModelThrows() throws {
        let ner = pipeline(.tokenClassification, model: model, tokenizer: tokenizer)
        let long = Array(repeating: "london", count: 100).joined(separator: " ")
        #expect(throws: PipelineError.self) { try ner(long) }
    }

    @Test(.enabled(if: miniLMDirectory != nil, "needs the course mirror (COURSE_MIRROR or ../shared/mirror)"))
    func runsWithRealMiniLM() throws {
        let dir = try #require(miniLMDirectory).path
        let labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
        let model = try BertForTokenClassification.fromPretrained(
            dir, id2label: Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.offset, $0.element) }))
        let ner = pipeline(.tokenClassification, model: model, tokenizer: try Tokenizer.fromPretrained(dir),
                           aggregationStrategy: .simple, ignoreLabels: [])
        let text = "My name is Sylvain and I work at Hugging Face in Brooklyn."
        let entities = try ner(text)
        // An untrained head predicts noise, but the groups must tile the text's words in order.
        #expect(!entities.isEmpty)
        #expect(entities.allSatisfy { $0.score > 0 && $0.score <= 1 && $0.start < $0.end && $0.end <= text.count })
        #expect(zip(entities, entities.dropFirst()).allSatisfy { $0.end <= $1.start })
    }
}
