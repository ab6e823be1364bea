import Files
import Foundation

extension Tokenizer {
    /// Writes the tokenizer in the Hugging Face layout, so Python `AutoTokenizer.from_pretrained`
    /// and `Tokenizer.fromPretrained` load it back: `vocab.txt`, `tokenizer_config.json`,
    /// `special_tokens_map.json`, and `tokenizer.json` when this tokenizer was loaded from one
    /// (written back unchanged).
    public func savePretrained(_ directory: String) throws { try savePretrained(URL(fileURLWithPath: directory)) }

    /// Same, into a `URL`.
    public func savePretrained(_ directory: URL) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TokenizerError("cannot create \(directory.path): \(FileProblem.describe(error))")
        }
        func write(_ data: Data, _ name: String) throws {
            do { try data.write(to: directory.appendingPathComponent(name), options: .atomic) } catch {
                throw TokenizerError("cannot write \(name) in \(directory.path): \(FileProblem.describe(error))")
            }
        }
        // vocab.txt: one token per id. A gap (possible in a tokenizer.json) cannot be written as
        // a line-numbered vocabulary, so it is an error rather than a silently shifted vocab.
        var model = vocabulary.tokens
        while let last = model.last, last.isEmpty { model.removeLast() }
        if let gap = model.firstIndex(of: "") {
            throw TokenizerError("id \(gap) has no token, so vocab.txt cannot be written; save from a dense vocabulary")
        }
        try write(Data((model.joined(separator: "\n") + "\n").utf8), "vocab.txt")
        if let tokenizerJSONData { try write(tokenizerJSONData, "tokenizer.json") }

        var config: [String: Any] = [
            "tokenizer_class": tokenizerClass ?? "BertTokenizer",
            "do_lower_case": normalizer?.lowercase ?? false,
            "tokenize_chinese_chars": normalizer?.handleChineseChars ?? false,
            "strip_accents": normalizer?.stripAccents.map { $0 as Any } ?? NSNull(),
            "padding_side": paddingSide.rawValue,
            "truncation_side": truncationSide.rawValue,
            "clean_up_tokenization_spaces": cleanUpTokenizationSpaces,
        ]
        if let modelMaxLength { config["model_max_length"] = modelMaxLength }
        if modelInputNames != Tokenizer.bertInputNames { config["model_input_names"] = modelInputNames }
        for (role, token) in specialTokensMap { config[role] = token }
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys]
        try write(try JSONSerialization.data(withJSONObject: config, options: options), "tokenizer_config.json")
        try write(try JSONSerialization.data(withJSONObject: specialTokensMap, options: options), "special_tokens_map.json")
    }
}
