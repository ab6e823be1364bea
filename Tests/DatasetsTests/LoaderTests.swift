import Foundation
import Testing
@testable import Datasets

// Loaders on small files written by the tests: formats, type inference, and errors that name
// the file and line.

@Test func conllParsesSentencesAndDocuments() throws {
    let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP B-PER\r\n"
        + "Blackburn NNP I-NP I-PER\n\n\n-DOCSTART- -X- -X- O\n\nOK UH B-INTJ O"
    let ds = try CoNLL2003.parse(Data(text.utf8))
    #expect(ds.numRows == 3)
    #expect(ds.columnNames == ["id", "tokens", "pos_tags", "chunk_tags", "ner_tags"])
    #expect(try ds[0].description == "{'id': '0', 'tokens': ['EU', 'rejects'], 'pos_tags': [22, 42], "
        + "'chunk_tags': [11, 21], 'ner_tags': [3, 0]}")
    #expect(try ds[1]["ner_tags"] == [1, 2])
    #expect(try ds[2]["tokens"] == ["OK"])
}

@Test func conllBadLinesNameFileAndLine() throws {
    let url = try temporaryFile("EU NNP B-NP B-ORG\nrejects VBZ B-VP\n")
    let error = #expect(throws: DatasetError.self) { try CoNLL2003.read(url) }
    #expect(error?.description.contains("\(url.path):2:") == true)
    let unknown = try temporaryFile("EU NNP B-NP B-ORG\n\nx NNP B-NP B-PERSON\n")
    let e2 = #expect(throws: DatasetError.self) { try CoNLL2003.read(unknown) }
    #expect(e2?.description.contains(":3: unknown ner tag 'B-PERSON'") == true)
}

@Test func emptyConllFileIsAnError() throws {
    let url = try temporaryFile("\n\n-DOCSTART- -X- -X- O\n\n")
    let error = #expect(throws: DatasetError.self) { try CoNLL2003.read(url) }
    #expect(error?.description.contains("\(url.path) holds no sentences") == true, "\(error?.description ?? "")")
}

@Test func conllFolderWithoutValidationFileSaysSo() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conll-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for name in ["train.txt", "test.txt"] {
        try Data("EU NNP B-NP B-ORG\n".utf8).write(to: dir.appendingPathComponent(name))
    }
    let error = #expect(throws: DatasetError.self) { try loadDataset(dir.path) }
    let text = error?.description ?? ""
    #expect(text.hasPrefix("\(dir.path) is read as a CoNLL-2003 text folder, but it has no valid.txt: "), "\(text)")
    #expect(!text.contains("checkpoint"), "no checkpoint advice for a dataset folder: \(text)")
}

@Test func csvWithQuotesAndTypeInference() throws {
    let url = try temporaryFile("\u{FEFF}text,label,score\n\"Hello, \"\"world\"\"\",1,0.5\n\"two\nlines\",0,\n", name: "a.csv")
    let ds = try readDelimited(url)
    #expect(ds.columnNames == ["text", "label", "score"])
    #expect(try ds[0]["text"] == "Hello, \"world\"")
    #expect(try ds[1]["text"] == "two\nlines")
    #expect(try ds.features["label"] == .int64)
    #expect(try ds.features["score"] == .float64)
    #expect(try ds[1]["score"] == .null)
}

@Test func csvBadRowNamesFileAndLine() throws {
    let url = try temporaryFile("a,b\n1,2\n\"x\ny\",3\n4,5,6\n", name: "bad.csv")
    let error = #expect(throws: DatasetError.self) { try readDelimited(url) }
    #expect(error?.description.contains("bad.csv:5: expected 2 fields") == true)
    let open = try temporaryFile("a,b\n\"unclosed,2\n", name: "open.csv")
    let e2 = #expect(throws: DatasetError.self) { try readDelimited(open) }
    #expect(e2?.description.contains("open.csv:2: a quoted field is never closed") == true)
}

@Test func tsvWithQuotingOffKeepsQuotes() throws {
    let url = try temporaryFile("sentence\tlabel\nhe said \"yes\tno\t1\n", name: "a.tsv")
    #expect(throws: DatasetError.self) { try readDelimited(url, options: .tsv) }  // 3 fields on line 2
    let ok = try temporaryFile("sentence\tlabel\nhe said \"yes\t1\n", name: "b.tsv")
    #expect(try readDelimited(ok, options: .tsv)[0]["sentence"] == "he said \"yes")
}

@Test func jsonLinesKeepKeyOrderAndExactNumbers() throws {
    let url = try temporaryFile(#"""
        {"text": "caf\u00e9 \"ok\"", "label": 1, "score": 0.9381058911260256, "tags": [1, 2], "ok": true, "x": null}

        {"text": "\ud83d\ude00", "label": 0, "score": -1e-3, "tags": [], "ok": false, "x": null}
        """#, name: "a.jsonl")
    let ds = try readJSONLines(url)
    #expect(ds.columnNames == ["text", "label", "score", "tags", "ok", "x"])
    #expect(try ds[0]["text"] == "café \"ok\"")
    #expect(try ds[1]["text"] == "😀")
    #expect(try ds[0]["score"] == .float(0.9381058911260256))
    #expect(try ds[1]["score"] == .float(-0.001))
    #expect(try ds.features["tags"] == .sequence(.int64))
    let bad = try temporaryFile("{\"a\": 1}\n{\"a\": 2,}\n", name: "bad.jsonl")
    let error = #expect(throws: DatasetError.self) { try readJSONLines(bad) }
    #expect(error?.description.contains("bad.jsonl:2: not a JSON object") == true)
    let keys = try temporaryFile("{\"a\": 1}\n{\"b\": 2}\n", name: "keys.jsonl")
    #expect(throws: DatasetError.self) { try readJSONLines(keys) }
}

@Test func loadDatasetFromLocalFiles() throws {
    let train = try temporaryFile("text,label\na,0\nb,1\n", name: "train.csv")
    let test = try temporaryFile("text,label\nc,1\n", name: "test.csv")
    let dict = try loadDataset("csv", dataFiles: ["test": test.path, "train": train.path])
    #expect(dict.keys == ["train", "test"])
    #expect(try dict["test"][0]["text"] == "c")
    #expect(throws: DatasetError.self) { try loadDataset("csv") }
    #expect(throws: DatasetError.self) { try loadDataset("squad") }
}

@Test func tarReaderReadsUstarEntries() throws {
    // A two-file archive built by hand: header (name, size in octal), data padded to 512 bytes.
    func entry(_ name: String, _ body: String) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        for (i, c) in name.utf8.enumerated() { h[i] = c }
        for (i, c) in String(format: "%011o", body.utf8.count).utf8.enumerated() { h[124 + i] = c }
        h[156] = UInt8(ascii: "0")
        var d = Array(body.utf8)
        d += [UInt8](repeating: 0, count: (512 - d.count % 512) % 512)
        return h + d
    }
    let tar = Data(entry("aclImdb/train/pos/0_9.txt", "Great film.") + entry("aclImdb/train/neg/1_2.txt", "Dull.")
        + [UInt8](repeating: 0, count: 1024))
    var seen: [String: String] = [:]
    try forEachTarFile(tar, name: "t.tar") { path, body in seen[path] = String(decoding: body, as: UTF8.self) }
    #expect(seen == ["aclImdb/train/pos/0_9.txt": "Great film.", "aclImdb/train/neg/1_2.txt": "Dull."])
}
