import Datasets
import Foundation
import Models
import Testing
import Tokenizers
@testable import Training

/// The data collators against Python `transformers` (Fixtures/collators_parity.json, made by
/// Scripts/fixtures/collators_fixtures.py): made-up CoNLL-like rows and MRPC-like pairs, collated with
/// right and left padding, with and without padToMultipleOf and max-length padding.
@Suite struct CollatorTests {
    /// An int, a list of ints or a list of lists: what the fixture's columns hold.
    enum Ints: Decodable, Equatable {
        case scalar(Int), list([Int]), matrix([[Int]])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int.self) { self = .scalar(n) } else if let l = try? c.decode([Int].self) {
                self = .list(l)
            } else { self = .matrix(try c.decode([[Int]].self)) }
        }
        var value: Value {
            switch self {
            case .scalar(let n): return .int(n)
            case .list(let l): return .list(l.map(Value.int))
            case .matrix(let m): return .list(m.map { .list($0.map(Value.int)) })
            }
        }
        var flat: [Int] {
            switch self {
            case .scalar(let n): return [n]
            case .list(let l): return l
            case .matrix(let m): return m.flatMap { $0 }
            }
        }
    }
    struct Options: Decodable {
        let pad_to_multiple_of: Int?, label_pad_token_id: Int?, padding: String?, max_length: Int?
    }
    struct Case: Decodable {
        let name: String, collator: String, padding_side: String, options: Options
        let features: [[String: Ints]], expected: [String: Ints], keys: [String], printed: [String: String]
    }
    struct Sentence: Decodable { let words: [String], tags: [Int] }
    struct Pair: Decodable { let sentence1: String, sentence2: String, label: Int }
    struct Fixture: Decodable {
        let vocab: [String], sentences: [Sentence], pairs: [Pair]
        let token_features: [[String: Ints]], pair_features: [[String: Ints]], cases: [Case]
    }

    static let fixture: Fixture? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/collators_parity.json")
        return try? JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    func load() throws -> Fixture {
        try #require(Self.fixture, "Fixtures/collators_parity.json is missing or unreadable: run Scripts/fixtures/collators_fixtures.py")
    }

    /// The fixture's tiny uncased vocabulary as a tokenizer ([PAD] is id 4, not 0).
    func tokenizer(_ fx: Fixture, side: PaddingSide = .right) throws -> Tokenizer {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("collators-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let vocab = dir.appendingPathComponent("vocab.txt")
        try (fx.vocab.joined(separator: "\n") + "\n").write(to: vocab, atomically: true, encoding: .utf8)
        var tok = try Tokenizer(vocabFile: vocab)
        tok.paddingSide = side
        return tok
    }

    /// A fixture feature as a dataset row, columns in the order Python's tokenizer writes them.
    func row(_ feature: [String: Ints]) -> Row {
        let order = ["input_ids", "token_type_ids", "attention_mask", "labels", "label"]
        return Row(order.compactMap { key in feature[key].map { (key, $0.value) } })
    }

    func collate(_ c: Case, _ tok: Tokenizer, _ rows: [Row]) throws -> Batch {
        let padding: Padding = c.options.padding == "max_length" ? .maxLength : .longest
        if c.collator == "token_classification" {
            return try DataCollatorForTokenClassification(tokenizer: tok, padding: padding, maxLength: c.options.max_length,
                                                          padToMultipleOf: c.options.pad_to_multiple_of,
                                                          labelPadTokenId: c.options.label_pad_token_id ?? -100)(rows)
        }
        return try DataCollatorWithPadding(tokenizer: tok, padding: padding, maxLength: c.options.max_length,
                                           padToMultipleOf: c.options.pad_to_multiple_of)(rows)
    }

    @Test func everyCaseMatchesPython() throws {
        let fx = try load()
        #expect(fx.cases.count == 18)
        for c in fx.cases {
            let tok = try tokenizer(fx, side: c.padding_side == "left" ? .left : .right)
            let batch = try collate(c, tok, c.features.map(row))
            #expect(batch.keys == c.keys, "\(c.name)")
            for key in c.keys {
                let got = try batch[key]
                #expect(got.values == c.expected[key]?.flat, "\(c.name): \(key)")
                #expect(got.description == c.printed[key], "\(c.name): printed \(key)")
            }
            #expect(batch.description == c.printed["shapes"], "\(c.name): shapes")
            // The model input holds the same numbers.
            #expect(batch.input.inputIds.map(Int.init) == c.expected["input_ids"]?.flat, "\(c.name)")
            #expect(batch.input.attentionMask?.map { Int($0) } == c.expected["attention_mask"]?.flat, "\(c.name)")
            #expect(batch.labels?.map(Int.init) == c.expected["labels"]?.flat, "\(c.name)")
            if let types = c.expected["token_type_ids"] {
                #expect(batch.input.tokenTypeIds.map(Int.init) == types.flat, "\(c.name)")
            } else {
                #expect(batch.input.tokenTypeIds.allSatisfy { $0 == 0 }, "\(c.name)")
            }
        }
    }

    /// The chapter's path: tokenize with the Swift tokenizer in `dataset.map`, align labels
    /// with word ids, then collate; the features and the batch equal Python's.
    @Test func tokenizedDatasetCollatesLikePython() throws {
        let fx = try load()
        let tok = try tokenizer(fx)
        let raw = try Dataset([("tokens", fx.sentences.map { $0.words.value }), ("ner_tags", fx.sentences.map { $0.tags.value })])
        let tokenized = try raw.map(removeColumns: ["tokens", "ner_tags"]) { example in
            let enc = try tok(try example["tokens"].stringList, isSplitIntoWords: true, truncation: true)
            let tags = try example["ner_tags"].intList
            var labels: [Int] = [], previous: Int?
            for word in enc.wordIds() {
                if let w = word { labels.append(w == previous ? tags[w] + (tags[w] % 2) : tags[w]) } else { labels.append(-100) }
                previous = word
            }
            return ["input_ids": enc.inputIds.value, "token_type_ids": enc.tokenTypeIds.value,
                    "attention_mask": enc.attentionMask.value, "labels": labels.value]
        }
        let rows = try (0..<tokenized.count).map { try tokenized[$0] }
        #expect(rows == fx.token_features.map(row))
        let batch = try DataCollatorForTokenClassification(tokenizer: tok)(rows)
        let python = try #require(fx.cases.first { $0.name == "conll right" })
        #expect(try batch["labels"].values == python.expected["labels"]?.flat)
        #expect(try batch["input_ids"].values == python.expected["input_ids"]?.flat)
        #expect(batch.description == python.printed["shapes"])

        let pairs = try Dataset([("sentence1", fx.pairs.map { $0.sentence1.value }), ("sentence2", fx.pairs.map { $0.sentence2.value }),
                                 ("label", fx.pairs.map { $0.label.value })])
        let pairRows = try pairs.map(removeColumns: ["sentence1", "sentence2"]) { example in
            let enc = try tok(try example["sentence1"].stringValue, try example["sentence2"].stringValue, truncation: true)
            return ["input_ids": enc.inputIds.value, "token_type_ids": enc.tokenTypeIds.value,
                    "attention_mask": enc.attentionMask.value]
        }.rows.map { $0 }
        // `label` stays first (an old column), so compare column by column.
        for (got, want) in zip(pairRows, fx.pair_features.map(row)) {
            for key in want.keys { #expect(try got[key] == want[key], "\(key)") }
        }
        let pairBatch = try DataCollatorWithPadding(tokenizer: tok)(pairRows)
        let pythonPairs = try #require(fx.cases.first { $0.name == "mrpc right" })
        #expect(try pairBatch["token_type_ids"].values == pythonPairs.expected["token_type_ids"]?.flat)
        #expect(pairBatch.labels == [1, 0, 1])
    }

    @Test func padTypeIdAndShapes() throws {
        let fx = try load()
        var tok = try tokenizer(fx)
        tok.padTokenTypeId = 1
        let rows = fx.pair_features.map(row)
        let batch = try DataCollatorWithPadding(tokenizer: tok, padToMultipleOf: 8)(rows)
        #expect(batch.batchSize == 3 && batch.sequenceLength == 24)
        #expect(batch.labelsShape == [3])
        // Row 1 has 17 tokens: its 7 padding positions get type id 1 and id [PAD] = 4.
        let types = try batch["token_type_ids"].rows[1]
        #expect(types.suffix(7) == Array(repeating: 1, count: 7))
        #expect(try batch["input_ids"].rows[1].suffix(7) == Array(repeating: 4, count: 7))
        // Sequence labels [B] feed the model's flat label argument; token labels are [B·T].
        let tokenBatch = try DataCollatorForTokenClassification(tokenizer: tok)(fx.token_features.map(row))
        #expect(tokenBatch.labels?.count == tokenBatch.batchSize * tokenBatch.sequenceLength)
        #expect(tokenBatch.labelsShape == [4, 16])
        #expect(throws: CollatorError.self) { try tokenBatch["special_tokens_mask"] }
        // Columns the model does not take are left out, as the Trainer drops them.
        var extra = rows
        for i in extra.indices { extra[i].set("idx", to: i); extra[i].set("sentence1", to: "text") }
        #expect(try DataCollatorWithPadding(tokenizer: tok)(extra).keys == ["input_ids", "token_type_ids", "attention_mask", "labels"])
    }

    @Test func badInputThrowsClearErrors() throws {
        let fx = try load()
        let tok = try tokenizer(fx)
        let tokenCollator = DataCollatorForTokenClassification(tokenizer: tok)
        let pairCollator = DataCollatorWithPadding(tokenizer: tok)
        let rows = fx.token_features.map(row)
        func message(_ body: () throws -> Batch) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }

        #expect(message { try tokenCollator([]) }.contains("the batch is empty"))
        #expect(message { try pairCollator([]) }.contains("the batch is empty"))

        var noIds = rows
        noIds[1].remove("input_ids")
        #expect(message { try tokenCollator(noIds) }.contains("row 1 has no 'input_ids'"))
        var noIdsFirst = rows
        noIdsFirst[0].remove("input_ids")
        #expect(message { try pairCollator(noIdsFirst) }.contains("row 0 has no 'input_ids'"))

        var short = rows
        short[2].set("labels", to: [-100, 0, 0])
        let shortMessage = message { try tokenCollator(short) }
        #expect(shortMessage.contains("row 2: 'labels' has 3 labels but 'input_ids' has 16 tokens"))

        var floats = rows
        floats[0].set("labels", to: Value.list([.int(-100), .float(3.0)] + Array(repeating: .int(0), count: 8)))
        #expect(message { try tokenCollator(floats) }.contains("row 0: 'labels' holds 3.0 at position 1"))
        var stringLabel = fx.pair_features.map(row)
        stringLabel[1].set("label", to: "equivalent")
        #expect(message { try pairCollator(stringLabel) }.contains("row 1: 'label' is 'equivalent', not an int class id"))

        var badMask = rows
        badMask[3].set("attention_mask", to: [1, 1])
        #expect(message { try tokenCollator(badMask) }.contains("row 3: 'attention_mask' has 2 values"))
        #expect(message { try DataCollatorForTokenClassification(tokenizer: tok, padding: .maxLength, maxLength: 12)(rows) }
            .contains("row 2 has 16 tokens, more than the padded length 12"))
        #expect(message { try DataCollatorWithPadding(tokenizer: tok, padding: .doNotPad)(rows) }.contains(".doNotPad"))
        // User-given sizes are checked (this module builds -Ounchecked: no division or overflow traps).
        #expect(message { try DataCollatorForTokenClassification(tokenizer: tok, padToMultipleOf: 0)(rows) }
            .contains("padToMultipleOf must be positive, got 0"))
        #expect(message { try DataCollatorForTokenClassification(tokenizer: tok, padding: .maxLength, maxLength: Int.max)(rows) }
            .contains("is too large: lower maxLength"))
        #expect(message { try DataCollatorForTokenClassification(tokenizer: tok, padding: .maxLength, maxLength: -4)(rows) }
            .contains("maxLength must be positive"))
        #expect(message { try DataCollatorWithPadding(tokenizer: tok, padToMultipleOf: 0)(rows) }.contains("padToMultipleOf"))

        var textIds = rows
        textIds[0].set("input_ids", to: "EU rejects")
        #expect(message { try tokenCollator(textIds) }.contains("row 0: 'input_ids' is 'EU rejects', not a list of token ids"))
        var missingLabels = rows
        missingLabels[3].remove("labels")
        #expect(message { try tokenCollator(missingLabels) }.contains("row 3 has no 'labels' column"))
        #expect(tok.modelMaxLength == nil)
        #expect(message { try DataCollatorWithPadding(tokenizer: tok, padding: .maxLength)(rows) }.contains("needs maxLength"))

        // Per-token labels are not sequence labels.
        #expect(message { try pairCollator(rows) }.contains("not an int class id"))

        // Rows of one length need no padding.
        let same = try DataCollatorForTokenClassification(tokenizer: tok, padding: .doNotPad)([rows[0], rows[0]])
        #expect(same.sequenceLength == 10 && same.labels?.count == 20)
    }

    /// A collated batch drives a model: padding is masked out (a row's logits equal the row's
    /// logits alone) and -100 labels are ignored (the batch loss is the token-weighted mean of
    /// the rows' losses).
    @Test func batchFeedsTheModel() throws {
        let fx = try load()
        let tok = try tokenizer(fx)
        let config = BertConfig(vocabSize: 64, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64,
                                maxPositionEmbeddings: 32, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, numLabels: 9)
        let model = BertForTokenClassification(config: config, seed: 7)
        model.eval()
        let collator = DataCollatorForTokenClassification(tokenizer: tok)
        let rows = Array(fx.token_features.map(row).prefix(2))
        let batch = try collator(rows)
        #expect(batch.sequenceLength == 10)
        let both = try model.forward(batch.input, labels: batch.labels)
        let bothLogits = both.logits.scalars
        var weighted: Float = 0, counted = 0
        for (b, r) in rows.enumerated() {
            let alone = try collator([r])
            let out = try model.forward(alone.input, labels: alone.labels)
            let n = alone.sequenceLength, width = 9
            let inBatch = Array(bothLogits[(b * 10 * width)..<((b * 10 + n) * width)])
            let diff = zip(inBatch, out.logits.scalars).map { abs($0 - $1) }.max() ?? .infinity
            #expect(diff < 1e-5, "row \(b): logits differ by \(diff) when padded")
            let real = alone.labels?.filter { $0 != -100 }.count ?? 0
            weighted += try #require(out.loss) * Float(real)
            counted += real
        }
        let loss = try #require(both.loss)
        #expect(abs(loss - weighted / Float(counted)) < 1e-5 * max(1, abs(loss)))
    }

    @Test func tensorsPrintLikeTorch() {
        #expect(BatchTensor(shape: [2, 4], values: [-100, 3, 0, 7, -100, 1, 2, -100]).description
            == "tensor([[-100,    3,    0,    7],\n        [-100,    1,    2, -100]])")
        #expect(BatchTensor(shape: [3], values: [1, 0, 1]).description == "tensor([1, 0, 1])")
        #expect(BatchTensor(shape: [0], values: []).description == "tensor([], dtype=torch.int64)")
        // torch.arange(1200) - 5
        let long = BatchTensor(shape: [1200], values: (0..<1200).map { $0 - 5 })
        #expect(long.description == "tensor([  -5,   -4,   -3,  ..., 1192, 1193, 1194])")
        // torch.arange(2000).reshape(10, 200) - 100
        let matrix = BatchTensor(shape: [10, 200], values: (0..<2000).map { $0 - 100 }).description
        #expect(matrix.hasPrefix("tensor([[-100,  -99,  -98,  ...,   97,   98,   99],\n        [ 100,"))
        #expect(matrix.contains("\n        ...,\n        [1300, 1301, 1302,  ..., 1497, 1498, 1499],"))
        #expect(matrix.hasSuffix("[1700, 1701, 1702,  ..., 1897, 1898, 1899]])"))
    }
}
