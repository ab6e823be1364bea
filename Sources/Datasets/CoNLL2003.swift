import Files
import Foundation
import Hub

// CoNLL-2003 English NER in its original text layout (`word POS chunk NER` per line, a blank
// line between sentences, `-DOCSTART-` lines between documents), read into the columns and
// label ids of the Hugging Face `conll2003` dataset.

/// Label names and id orders of the Hugging Face `conll2003` features.
public enum CoNLL2003 {
    /// The `ner_tags` class names by id: O, then B-/I- for PER, ORG, LOC and MISC.
    public static let nerNames = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
    /// The `pos_tags` class names by id (Penn Treebank tags, in the Hugging Face order).
    public static let posNames = [
        "\"", "''", "#", "$", "(", ")", ",", ".", ":", "``", "CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR",
        "JJS", "LS", "MD", "NN", "NNP", "NNPS", "NNS", "NN|SYM", "PDT", "POS", "PRP", "PRP$", "RB", "RBR", "RBS",
        "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB",
    ]
    /// The `chunk_tags` class names by id (O, then B-/I- per phrase type).
    public static let chunkNames = [
        "O", "B-ADJP", "I-ADJP", "B-ADVP", "I-ADVP", "B-CONJP", "I-CONJP", "B-INTJ", "I-INTJ", "B-LST", "I-LST",
        "B-NP", "I-NP", "B-PP", "I-PP", "B-PRT", "I-PRT", "B-SBAR", "I-SBAR", "B-UCP", "I-UCP", "B-VP", "I-VP",
    ]

    /// `id`, `tokens`, `pos_tags`, `chunk_tags`, `ner_tags` as in Hugging Face.
    public static let features: Features = [
        "id": .string,
        "tokens": .sequence(.string),
        "pos_tags": .sequence(.classLabel(ClassLabel(names: posNames))),
        "chunk_tags": .sequence(.classLabel(ClassLabel(names: chunkNames))),
        "ner_tags": .sequence(.classLabel(ClassLabel(names: nerNames))),
    ]

    /// The splits from `train.txt`, `valid.txt` (as `validation`) and `test.txt` in `repo`
    /// (a dataset name resolved by `Hub`, or a local directory).
    public static func load(repo: String = "conll2003", hub: Hub = .shared) throws -> DatasetDict {
        let files = [("train", "train.txt"), ("validation", "valid.txt"), ("test", "test.txt")]
        // A local folder in this layout must have all three files: say which is missing, in the
        // layout's own terms, before reading any.
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: repo, isDirectory: &isDirectory), isDirectory.boolValue {
            let missing = files.map(\.1).filter {
                !FileManager.default.fileExists(atPath: (repo as NSString).appendingPathComponent($0))
            }
            if !missing.isEmpty {
                throw DatasetError("\(repo) is read as a CoNLL-2003 text folder, but it has no \(missing.joined(separator: " or ")): "
                    + "such a folder holds train.txt, valid.txt (the validation split) and test.txt. Add the missing "
                    + "file(s), or read one file with CoNLL2003.read(URL(fileURLWithPath: \"...\")).")
            }
        }
        var dict = DatasetDict([])
        for (split, file) in files {
            dict.set(split, to: try read(hub.file(file, in: repo, type: .dataset)))
        }
        return dict
    }

    /// One split from a file in the CoNLL-2003 layout. A malformed line is an error naming
    /// the file and line.
    public static func read(_ url: URL) throws -> Dataset {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetError("cannot read \(url.path): \(FileProblem.describe(error))")
        }
        return try parse(data, name: url.path)
    }

    /// Parses CoNLL-2003 text. Works on bytes: splitting a 3 MB file into Strings line by line
    /// costs several times more than the parse itself.
    public static func parse(_ data: Data, name: String = "<data>") throws -> Dataset {
        // Tags are looked up by their bytes packed into an integer: no String per tag.
        func table(_ names: [String]) -> [UInt64: Int] {
            Dictionary(uniqueKeysWithValues: names.enumerated().compactMap { i, n in packTag(Array(n.utf8)[...]).map { ($0, i) } })
        }
        let pos = table(posNames), chunk = table(chunkNames), ner = table(nerNames)
        var fields = [Range<Int>](repeating: 0..<0, count: 5)
        var ids: [Value] = [], tokens: [Value] = [], posTags: [Value] = [], chunkTags: [Value] = [], nerTags: [Value] = []
        var sTokens: [Value] = [], sPos: [Value] = [], sChunk: [Value] = [], sNer: [Value] = []

        func endSentence() {
            guard !sTokens.isEmpty else { return }
            ids.append(.string(String(ids.count)))
            tokens.append(.list(sTokens)); posTags.append(.list(sPos))
            chunkTags.append(.list(sChunk)); nerTags.append(.list(sNer))
            sTokens.removeAll(keepingCapacity: true); sPos.removeAll(keepingCapacity: true)
            sChunk.removeAll(keepingCapacity: true); sNer.removeAll(keepingCapacity: true)
        }

        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            var lineStart = 0
            var lineNumber = 0
            while lineStart < n {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < n && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                var end = lineEnd
                while end > lineStart && (bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20) { end -= 1 }
                defer { lineStart = lineEnd + 1 }
                if end == lineStart { endSentence(); continue }
                // Space-separated fields (a fifth one only shows the line is malformed).
                var count = 0
                var f = lineStart
                for i in lineStart...end where i == end || bytes[i] == 0x20 {
                    if i > f {
                        if count < 5 { fields[count] = f..<i }
                        count += 1
                    }
                    f = i + 1
                }
                func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
                guard count == 4 else {
                    throw DatasetError("\(name):\(lineNumber): expected 4 space-separated columns (word POS chunk NER), "
                        + "found \(count): '\(text(lineStart..<end))'")
                }
                let word = text(fields[0])
                if word == "-DOCSTART-" { endSentence(); continue }
                func id(_ r: Range<Int>, _ table: [UInt64: Int], _ what: String) throws -> Value {
                    guard let key = packTag(bytes[r]), let v = table[key] else {
                        throw DatasetError("\(name):\(lineNumber): unknown \(what) tag '\(text(r))'; "
                            + "expected one of the Hugging Face conll2003 names (CoNLL2003.\(what)Names)")
                    }
                    return .int(v)
                }
                sTokens.append(.string(word))
                sPos.append(try id(fields[1], pos, "pos"))
                sChunk.append(try id(fields[2], chunk, "chunk"))
                sNer.append(try id(fields[3], ner, "ner"))
            }
        }
        endSentence()
        // An empty split is almost always a wrong or truncated file, not a wish for 0 rows.
        guard !ids.isEmpty else {
            throw DatasetError("\(name) holds no sentences (\(data.count) bytes): a CoNLL-2003 file has lines "
                + "'word POS chunk NER' with a blank line between sentences; check the file or re-download it")
        }
        return Dataset(checkedColumns: ["id": ids, "tokens": tokens, "pos_tags": posTags,
                                        "chunk_tags": chunkTags, "ner_tags": nerTags],
                       features: features, numRows: ids.count)
    }
}

/// Up to 8 bytes of a tag packed into one integer (nil for longer tags, which are never valid).
private func packTag<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
    guard bytes.count <= 8 else { return nil }
    var key: UInt64 = 0
    for b in bytes { key = key << 8 | UInt64(b) }
    return key
}
