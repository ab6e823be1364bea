import Files
import Foundation
import Hub

extension Tokenizer {
    /// Loads the tokenizer of a checkpoint: a local directory, or a model name resolved by
    /// `Hub` (mirror / cache). Reads `tokenizer.json` when present, else `vocab.txt` with
    /// `tokenizer_config.json` (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`).
    /// Only a file the source says is absent (a 404, a directory without it) falls back: a
    /// failed download is an error, since a fallback would silently change the tokens.
    public static func fromPretrained(_ nameOrPath: String, hub: Hub = .shared) throws -> Tokenizer {
        // One snapshot, so all three come from the same source and "absent" is that source's answer.
        let names = ["tokenizer.json", "tokenizer_config.json", "vocab.txt"]
        let directory: URL
        do { directory = try hub.snapshot(of: nameOrPath, files: names.map(HubFile.optional)) } catch let error as HubError {
            throw TokenizerError("cannot load the tokenizer of '\(nameOrPath)': \(error.description)")
        }
        func present(_ name: String) -> URL? {
            let url = directory.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        let config = present("tokenizer_config.json")
        if let json = present("tokenizer.json") {
            return try Tokenizer(tokenizerJSON: json, tokenizerConfig: config)
        }
        guard let vocab = present("vocab.txt") else {
            throw TokenizerError("'\(nameOrPath)' has neither tokenizer.json nor vocab.txt (looked in \(directory.path)); "
                + "pass a BERT checkpoint directory or a model name the mirror holds")
        }
        return try Tokenizer(vocabFile: vocab, tokenizerConfig: config)
    }

    /// A tokenizer from a `tokenizer.json` (and optionally the `tokenizer_config.json` beside
    /// it, for `model_max_length`, `padding_side`, `clean_up_tokenization_spaces`).
    public init(tokenizerJSON url: URL, tokenizerConfig: URL? = nil) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError("cannot read \(url.path): \(FileProblem.describe(error))")
        }
        try self.init(tokenizerJSONData: data, url: url, config: try tokenizerConfig.map(readJSONObject) ?? [:])
    }

    /// The bytes of a `tokenizer.json` (named `url` in errors) with a parsed tokenizer_config.json.
    init(tokenizerJSONData data: Data, url: URL, config cfg: [String: Any]) throws {
        let root = try parseJSONObject(data, url: url)
        let name = url.lastPathComponent
        guard let model = root["model"] as? [String: Any] else { throw TokenizerError("\(url.path) has no \"model\" object") }
        let modelType = model["type"] as? String ?? "WordPiece"
        guard modelType == "WordPiece" else {
            throw TokenizerError("\(name): model type '\(modelType)' is not supported (only WordPiece, BERT's model)")
        }
        guard let vocabDict = model["vocab"] as? [String: Any] else {
            throw TokenizerError("\(name): the WordPiece model has no \"vocab\" object")
        }
        var entries: [(String, Int)] = []
        entries.reserveCapacity(vocabDict.count)
        for (token, id) in vocabDict {
            guard let id = (id as? NSNumber)?.intValue, id >= 0, id <= 4 * vocabDict.count + 1024 else {
                throw TokenizerError("\(name): vocab entry '\(token)' has no valid id (a non-negative integer near the vocabulary size)")
            }
            entries.append((token, id))
        }
        var added: [(content: String, id: Int, special: Bool)] = []
        for t in root["added_tokens"] as? [[String: Any]] ?? [] {
            guard let content = t["content"] as? String, let id = (t["id"] as? NSNumber)?.intValue, id >= 0,
                  id <= 4 * vocabDict.count + 1024 else {
                throw TokenizerError("\(name): an added_tokens entry lacks content or a valid id")
            }
            added.append((content, id, t["special"] as? Bool ?? false))
        }
        let prefix = model["continuing_subword_prefix"] as? String ?? "##"
        let vocabulary = Vocabulary(tokenToId: entries, continuationPrefix: prefix, addedTokens: added.map { ($0.content, $0.id) })
        let wordPiece = try WordPiece(vocabulary: vocabulary, unkToken: model["unk_token"] as? String ?? "[UNK]",
                                      maxInputCharsPerWord: (model["max_input_chars_per_word"] as? NSNumber)?.intValue ?? 100)
        let normalizer = try parseNormalizer(root["normalizer"], file: name)
        let preTokenizer = try parsePreTokenizer(root["pre_tokenizer"], file: name)
        let post = try parsePostProcessor(root["post_processor"], file: name)
        let decoder = try parseDecoder(root["decoder"], file: name)
        // The pad token: tokenizer_config.json, else the one the stored padding names.
        let storedPad = (root["padding"] as? [String: Any])?["pad_token"] as? String
        try self.init(normalizer: normalizer, preTokenizer: preTokenizer, model: wordPiece, postProcessor: post,
                      decoder: decoder, addedTokens: added, padToken: tokenString(cfg["pad_token"]) ?? storedPad)
        tokenizerJSONData = data
        // Roles of special tokens: tokenizer_config.json, else BERT's names when present.
        let present = Set(added.map(\.content))
        for (role, name) in [("unk_token", "[UNK]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]"), ("cls_token", "[CLS]"),
                             ("mask_token", "[MASK]")] {
            if let t = tokenString(cfg[role]) { specialTokensMap[role] = t } else if present.contains(name) { specialTokensMap[role] = name }
        }
        if let t = root["truncation"] as? [String: Any], let m = (t["max_length"] as? NSNumber)?.intValue {
            let strategy: Truncation = switch t["strategy"] as? String {
            case "OnlyFirst": .onlyFirst
            case "OnlySecond": .onlySecond
            default: .longestFirst
            }
            storedTruncation = (strategy, m)
        }
        if let p = root["padding"] as? [String: Any] {
            if let fixed = (p["strategy"] as? [String: Any])?["Fixed"] as? NSNumber {
                storedPadding = (.maxLength, fixed.intValue)
            } else {
                storedPadding = (.longest, nil)
            }
        }
        applyConfig(cfg)
    }

    /// A BERT tokenizer from a `vocab.txt` (one token per line, id = line number) with the
    /// options of `tokenizer_config.json`, or given directly.
    public init(vocabFile: URL, tokenizerConfig: URL?) throws {
        let cfg = try tokenizerConfig.map(readJSONObject) ?? [:]
        try self.init(vocabFile: vocabFile, doLowerCase: cfg["do_lower_case"] as? Bool ?? true,
                      stripAccents: cfg["strip_accents"] as? Bool,
                      tokenizeChineseChars: cfg["tokenize_chinese_chars"] as? Bool ?? true,
                      specialTokens: (unk: tokenString(cfg["unk_token"]) ?? "[UNK]", sep: tokenString(cfg["sep_token"]) ?? "[SEP]",
                                      pad: tokenString(cfg["pad_token"]) ?? "[PAD]", cls: tokenString(cfg["cls_token"]) ?? "[CLS]",
                                      mask: tokenString(cfg["mask_token"]) ?? "[MASK]"))
        applyConfig(cfg)
    }

    /// A BERT tokenizer from a `vocab.txt` and explicit options (cased: `doLowerCase: false`).
    public init(vocabFile: URL, doLowerCase: Bool = true, stripAccents: Bool? = nil, tokenizeChineseChars: Bool = true,
                specialTokens: (unk: String, sep: String, pad: String, cls: String, mask: String)
                    = ("[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]")) throws {
        let text: String
        do { text = try String(contentsOf: vocabFile, encoding: .utf8) } catch {
            throw TokenizerError("cannot read \(vocabFile.path) as UTF-8 text: \(FileProblem.describe(error))")
        }
        try self.init(vocabText: text, vocabFile: vocabFile, doLowerCase: doLowerCase, stripAccents: stripAccents,
                      tokenizeChineseChars: tokenizeChineseChars, specialTokens: specialTokens)
    }

    /// A BERT tokenizer from the text of a `vocab.txt` (named `vocabFile` in errors).
    init(vocabText text: String, vocabFile: URL, doLowerCase: Bool, stripAccents: Bool?, tokenizeChineseChars: Bool,
         specialTokens: (unk: String, sep: String, pad: String, cls: String, mask: String)) throws {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else {
            throw TokenizerError("\(vocabFile.path) is empty: a vocab.txt holds one token per line (id = line number). "
                + (Hub.cacheAdvice(for: vocabFile) ?? "Re-download or re-save the checkpoint."))
        }
        // Only the newline is stripped, as in Python (a token may hold other whitespace).
        let entries = lines.enumerated().map { ($0.element, $0.offset) }
        let vocabulary = Vocabulary(tokenToId: entries, continuationPrefix: "##")
        func id(_ t: String) throws -> Int {
            guard let i = vocabulary.id(of: t) else {
                throw TokenizerError("special token '\(t)' is not in \(vocabFile.path) (\(lines.count) tokens): is it a BERT "
                    + "vocabulary? A checkpoint whose special tokens have other names lists them in tokenizer_config.json")
            }
            return i
        }
        let s = specialTokens
        let added = try [s.pad, s.unk, s.cls, s.sep, s.mask].map { (content: $0, id: try id($0), special: true) }
            .sorted { $0.id < $1.id }
        try self.init(normalizer: BertNormalizer(cleanText: true, handleChineseChars: tokenizeChineseChars,
                                                 stripAccents: stripAccents, lowercase: doLowerCase),
                      preTokenizer: BertPreTokenizer(),
                      model: WordPiece(vocabulary: vocabulary, unkToken: s.unk, maxInputCharsPerWord: 100),
                      postProcessor: .bert(cls: try id(s.cls), sep: try id(s.sep)),
                      decoder: WordPieceDecoder(), addedTokens: added, padToken: s.pad)
        specialTokensMap = ["unk_token": s.unk, "sep_token": s.sep, "pad_token": s.pad, "cls_token": s.cls, "mask_token": s.mask]
    }

    private mutating func applyConfig(_ cfg: [String: Any]) {
        if let m = (cfg["model_max_length"] as? NSNumber)?.intValue, m > 0, m < 1_000_000_000 { modelMaxLength = m }
        if let side = (cfg["padding_side"] as? String).flatMap(PaddingSide.init(rawValue:)) { paddingSide = side }
        if let side = (cfg["truncation_side"] as? String).flatMap(PaddingSide.init(rawValue:)) { truncationSide = side }
        if let c = cfg["clean_up_tokenization_spaces"] as? Bool { cleanUpTokenizationSpaces = c }
        if let names = cfg["model_input_names"] as? [String], names.contains("input_ids") {
            modelInputNames = names
        } else if (cfg["tokenizer_class"] as? String)?.hasPrefix("DistilBert") == true {
            modelInputNames = ["input_ids", "attention_mask"]
        }
        tokenizerClass = cfg["tokenizer_class"] as? String
    }
}

private func readJSONObject(_ url: URL) throws -> [String: Any] {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw TokenizerError("cannot read \(url.path): \(FileProblem.describe(error))")
    }
    return try parseJSONObject(data, url: url)
}

private func parseJSONObject(_ data: Data, url: URL) throws -> [String: Any] {
    guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TokenizerError("\(url.path) is not a JSON object: is the file complete? "
            + (Hub.cacheAdvice(for: url) ?? "Re-download or re-save the tokenizer."))
    }
    return obj
}

/// A special token in tokenizer_config.json: a string or an AddedToken object with "content".
private func tokenString(_ v: Any?) -> String? {
    if let s = v as? String { return s }
    return (v as? [String: Any])?["content"] as? String
}

private func typeName(_ v: Any?, _ what: String, _ file: String) throws -> (String, [String: Any])? {
    guard let v, !(v is NSNull) else { return nil }
    guard let o = v as? [String: Any], let t = o["type"] as? String else {
        throw TokenizerError("\(file): \(what) has no \"type\"")
    }
    return (t, o)
}

private func parseNormalizer(_ v: Any?, file: String) throws -> BertNormalizer? {
    guard let (type, o) = try typeName(v, "normalizer", file) else { return nil }
    guard type == "BertNormalizer" else {
        throw TokenizerError("\(file): normalizer type '\(type)' is not supported (only BertNormalizer)")
    }
    return BertNormalizer(cleanText: o["clean_text"] as? Bool ?? true, handleChineseChars: o["handle_chinese_chars"] as? Bool ?? true,
                          stripAccents: o["strip_accents"] as? Bool, lowercase: o["lowercase"] as? Bool ?? true)
}

private func parsePreTokenizer(_ v: Any?, file: String) throws -> BertPreTokenizer? {
    guard let (type, _) = try typeName(v, "pre_tokenizer", file) else { return nil }
    guard type == "BertPreTokenizer" else {
        throw TokenizerError("\(file): pre_tokenizer type '\(type)' is not supported (only BertPreTokenizer)")
    }
    return BertPreTokenizer()
}

private func parsePostProcessor(_ v: Any?, file: String) throws -> TemplateProcessing? {
    guard let (type, o) = try typeName(v, "post_processor", file) else { return nil }
    switch type {
    case "BertProcessing":
        guard let sep = o["sep"] as? [Any], let cls = o["cls"] as? [Any], sep.count == 2, cls.count == 2,
              let sepId = (sep[1] as? NSNumber)?.intValue, let clsId = (cls[1] as? NSNumber)?.intValue else {
            throw TokenizerError("\(file): BertProcessing needs \"sep\" and \"cls\" as [token, id]")
        }
        return .bert(cls: clsId, sep: sepId)
    case "TemplateProcessing":
        var specials: [String: [Int]] = [:]
        for (key, value) in o["special_tokens"] as? [String: Any] ?? [:] {
            specials[key] = ((value as? [String: Any])?["ids"] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue }
        }
        func pieces(_ key: String) throws -> [TemplateProcessing.Piece] {
            guard let list = o[key] as? [[String: Any]] else { throw TokenizerError("\(file): TemplateProcessing has no \"\(key)\" list") }
            return try list.map { item in
                if let s = item["SpecialToken"] as? [String: Any], let id = s["id"] as? String {
                    guard let ids = specials[id] else { throw TokenizerError("\(file): template token '\(id)' is not in special_tokens") }
                    return .special(ids: ids, typeId: (s["type_id"] as? NSNumber)?.intValue ?? 0)
                }
                if let s = item["Sequence"] as? [String: Any], let id = s["id"] as? String, id == "A" || id == "B" {
                    return .sequence(id == "A" ? 0 : 1, typeId: (s["type_id"] as? NSNumber)?.intValue ?? 0)
                }
                throw TokenizerError("\(file): unrecognised TemplateProcessing piece \(item.keys.sorted())")
            }
        }
        return TemplateProcessing(single: try pieces("single"), pair: try pieces("pair"))
    default:
        throw TokenizerError("\(file): post_processor type '\(type)' is not supported (only TemplateProcessing, BertProcessing)")
    }
}

private func parseDecoder(_ v: Any?, file: String) throws -> WordPieceDecoder? {
    guard let (type, o) = try typeName(v, "decoder", file) else { return nil }
    guard type == "WordPiece" else {
        throw TokenizerError("\(file): decoder type '\(type)' is not supported (only WordPiece)")
    }
    return WordPieceDecoder(prefix: o["prefix"] as? String ?? "##", cleanup: o["cleanup"] as? Bool ?? true)
}

/// `AutoTokenizer`: `AutoTokenizer.fromPretrained(name)` loads BERT's and DistilBERT's WordPiece
/// tokenizers alike; tokenizer_config.json's `tokenizer_class` / `model_input_names` decide
/// whether encodings carry `token_type_ids` as a model input.
public typealias AutoTokenizer = Tokenizer
