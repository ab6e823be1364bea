import Foundation
import Hub

/// A BERT WordPiece tokenizer that produces what the Hugging Face fast tokenizer produces:
/// ids, tokens, type ids, attention and special-tokens masks, character offsets, word ids and
/// sequence ids, for texts, pairs, batches and pre-split words.
///
///     let tokenizer = try Tokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2")
///     let enc = try tokenizer(["EU", "rejects", "German"], isSplitIntoWords: true)
///     enc.tokens      // ["[CLS]", "eu", "rejects", "german", "[SEP]"]
///     enc.wordIds()   // [nil, 0, 1, 2, nil]
///
/// Pipeline (one file each): `AddedTokenMatcher` → `BertNormalizer` → `BertPreTokenizer` →
/// `WordPiece` → truncation → `TemplateProcessing` → padding; `WordPieceDecoder` decodes.
/// The padding/truncation stored in a tokenizer.json are not applied: ask for them per call,
/// as the Python course does.
public struct Tokenizer: Sendable, CustomStringConvertible {
    /// Cleans and lowercases text before it is split (nil: text used as it is).
    public let normalizer: BertNormalizer?
    /// Splits normalized text into words (nil: the whole text is one word).
    public let preTokenizer: BertPreTokenizer?
    /// The WordPiece model: words into vocabulary pieces and ids.
    public let model: WordPiece
    /// Adds the special tokens and type ids (nil: none added).
    public let postProcessor: TemplateProcessing?
    /// Joins tokens back into text in `decode` (nil: tokens joined with spaces).
    public let decoder: WordPieceDecoder?
    /// Literal special tokens found in input text, and every added token's id by content.
    let addedTokens: AddedTokenMatcher
    let addedTokenIds: [String: Int]
    /// Ids skipped by `decode(_:skipSpecialTokens: true)`.
    public let allSpecialIds: Set<Int>

    /// Length used when truncation or max-length padding is asked for without `maxLength`
    /// (tokenizer_config.json `model_max_length`); nil: no limit.
    public var modelMaxLength: Int?
    /// Side padding goes to (Python `tokenizer.padding_side`).
    public var paddingSide: PaddingSide = .right
    /// Side truncation cuts (Python `tokenizer.truncation_side`).
    public var truncationSide: PaddingSide = .right
    /// The padding token and its id (tokenizer_config.json `pad_token`, default `[PAD]`).
    public internal(set) var padToken: String
    /// The id of `padToken`, which padding writes into `input_ids`.
    public internal(set) var padTokenId: Int
    /// The type id padding writes into `token_type_ids` (0).
    public var padTokenTypeId: Int = 0
    /// The inputs the model takes (Python `model_input_names`): BERT's tokenizer returns
    /// `token_type_ids`, DistilBERT's (`tokenizer_class` DistilBertTokenizer) does not, so its
    /// encodings print without them. From tokenizer_config.json's `model_input_names`, else its
    /// `tokenizer_class`.
    public var modelInputNames: [String] = Tokenizer.bertInputNames
    /// tokenizer_config.json's `tokenizer_class` when one was read (written back on save).
    public internal(set) var tokenizerClass: String?
    /// What a BERT tokenizer returns for the model (DistilBERT's leave out `token_type_ids`).
    public static let bertInputNames = ["input_ids", "token_type_ids", "attention_mask"]
    /// Whether encodings carry `token_type_ids` as a model input.
    public var returnsTokenTypeIds: Bool { modelInputNames.contains("token_type_ids") }
    /// Apply the English clean-up (no space before punctuation, contractions) in `decode`.
    public var cleanUpTokenizationSpaces: Bool = false
    /// Special tokens by role, with Python's keys (`"cls_token": "[CLS]"`, `"unk_token"`, ...).
    public internal(set) var specialTokensMap: [String: String] = [:]
    /// Truncation and padding a tokenizer.json stores. They are not applied by default (the
    /// Python course never relies on them); pass them explicitly to use them.
    public internal(set) var storedTruncation: (strategy: Truncation, maxLength: Int)?
    /// The padding a tokenizer.json stores (not applied by default either).
    public internal(set) var storedPadding: (padding: Padding, maxLength: Int?)?
    /// The tokenizer.json this tokenizer was loaded from, kept so `savePretrained` writes it back.
    var tokenizerJSONData: Data?

    /// Always true: this is the counterpart of the Python "fast" (Rust-backed) tokenizer.
    public var isFast: Bool { true }

    /// Token ⇄ id table of the model.
    public var vocabulary: Vocabulary { model.vocabulary }
    /// Vocabulary size V (including added tokens).
    public var vocabSize: Int { vocabulary.count }

    init(normalizer: BertNormalizer?, preTokenizer: BertPreTokenizer?, model: WordPiece,
         postProcessor: TemplateProcessing?, decoder: WordPieceDecoder?,
         addedTokens: [(content: String, id: Int, special: Bool)], padToken: String?) throws {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.addedTokens = AddedTokenMatcher(addedTokens.map { ($0.content, $0.id) })
        var ids: [String: Int] = [:]
        for t in addedTokens { ids[t.content] = t.id }
        addedTokenIds = ids
        allSpecialIds = Set(addedTokens.filter(\.special).map(\.id))
        let pad = padToken ?? "[PAD]"
        self.padToken = pad
        padTokenId = ids[pad] ?? model.vocabulary.id(of: pad) ?? 0
    }

    /// A summary like Python's `repr` of a tokenizer.
    public var description: String {
        let specials = specialTokensMap.sorted { $0.key < $1.key }.map { "'\($0.key)': '\($0.value)'" }.joined(separator: ", ")
        return "BertTokenizerFast(vocab_size=\(vocabSize), model_max_length=\(modelMaxLength.map(String.init) ?? "None"), "
            + "is_fast=True, padding_side='\(paddingSide.rawValue)', truncation_side='\(truncationSide.rawValue)', "
            + "special_tokens={\(specials)})"
    }

    /// The id of `token` (added tokens first, then the model vocabulary); nil if unknown.
    public func convertTokenToId(_ token: String) -> Int? {
        addedTokenIds[token] ?? vocabulary.id(of: token)
    }

    /// Ids of `tokens`; unknown tokens get the unknown token's id, as in Python.
    public func convertTokensToIds(_ tokens: [String]) -> [Int] {
        tokens.map { convertTokenToId($0) ?? Int(model.unkId) }
    }

    /// Token strings of `ids`; ids outside the vocabulary give nil.
    public func convertIdsToTokens(_ ids: [Int]) -> [String?] {
        ids.map { vocabulary.token(of: $0) }
    }

    /// Text of `ids`: tokens joined by the decoder. Ids outside the vocabulary are skipped (as
    /// in Python); `skipSpecialTokens` drops [CLS], [SEP], [PAD] and the other special tokens.
    /// `cleanUpTokenizationSpaces` defaults to the tokenizer's setting.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false, cleanUpTokenizationSpaces: Bool? = nil) -> String {
        let tokens = ids.compactMap { id -> String? in
            if skipSpecialTokens && allSpecialIds.contains(id) { return nil }
            return vocabulary.token(of: id)
        }
        var text = decoder?.decode(tokens) ?? tokens.joined(separator: " ")
        if cleanUpTokenizationSpaces ?? self.cleanUpTokenizationSpaces {
            text = cleanUpTokenization(text, doNot: false)
        }
        return text
    }

    /// The id of the special token with Python role `key` (`"cls_token"`, `"mask_token"`, ...).
    public func specialTokenId(_ key: String) -> Int? {
        specialTokensMap[key].flatMap(convertTokenToId)
    }

    /// `decode` of each row.
    public func batchDecode(_ batch: [[Int]], skipSpecialTokens: Bool = false) -> [String] {
        batch.map { decode($0, skipSpecialTokens: skipSpecialTokens) }
    }
}
