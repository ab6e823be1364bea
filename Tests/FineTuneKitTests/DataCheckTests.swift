import Foundation
import Testing
@testable import FineTuneKit

/// Column inference as run_glue / run_ner do it, and every bad input an error that names file,
/// column and row, raised before training and before anything is written.
@Suite struct DataCheckTests {
    func options(_ ws: TinyWorkspace, _ extra: [String], task: FineTuneTask = .textClassification) throws -> FineTuneOptions {
        try FineTuneOptions(try OptionParser.parse(["--model_name_or_path", ws.model, "--do_train", "--do_eval",
                                                    "--output_dir", ws.path("out")] + extra, task: task))
    }

    func columns(_ ws: TinyWorkspace, train: String, validation: String) throws -> TextColumns {
        let t = try ws.write("t.csv", train), v = try ws.write("v.csv", validation)
        let data = try loadRawData(try options(ws, ["--train_file", t, "--validation_file", v]))
        return try TextColumns.infer(data, taskName: nil, needLabels: ["train", "validation"])
    }

    @Test func columnsAreFoundAsRunGlueFindsThem() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        // sentence1 / sentence2 wherever they are.
        var c = try columns(ws, train: "label,x,sentence2,sentence1\nb,1,u,v\na,2,w,z\n", validation: "label,x,sentence2,sentence1\na,1,u,v\n")
        #expect(c.sentence1 == "sentence1" && c.sentence2 == "sentence2")
        #expect(c.labelNames == ["a", "b"] && c.id(of: "b") == 1)
        // Else the first two columns that are not the label.
        c = try columns(ws, train: "q,label,p\nx,1,y\nz,0,w\n", validation: "q,label,p\nx,0,y\n")
        #expect(c.sentence1 == "q" && c.sentence2 == "p" && c.labelNames == ["0", "1"])
        // Else one text column; integer labels sort numerically.
        c = try columns(ws, train: "text,label\nx,10\ny,9\nz,10\n", validation: "text,label\nx,9\n")
        #expect(c.sentence1 == "text" && c.sentence2 == nil && c.labelNames == ["9", "10"] && !c.isRegression)
        // Decimal labels (whole numbers mixed in, as pandas reads them): regression, no classes.
        c = try columns(ws, train: "text,label\nx,1\ny,2.5\n", validation: "text,label\nx,0.25\n")
        #expect(c.isRegression && c.labelNames.isEmpty)
    }

    @Test func tokenColumnsAndTagNames() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let train = try ws.nerJSONL("train.jsonl", rows: 3)
        let data = try loadRawData(try options(ws, ["--train_file", train, "--validation_file", train], task: .tokenClassification))
        let c = try TokenColumns.infer(data, textColumn: nil, labelColumn: nil, taskName: "ner", needLabels: ["train", "validation"])
        #expect(c.text == "tokens" && c.label == "ner_tags")
        #expect(c.labelNames == ["B-LOC", "B-ORG", "B-PER", "I-ORG", "I-PER", "O"])
        #expect(c.bToI == [0, 3, 4, 3, 4, 5])
        // First sub-token labelled, the rest -100 (or the I- tag with label_all_tokens).
        #expect(TokenClassificationRun.alignLabels(wordIds: [nil, 0, 0, 1, nil], tags: [2, 5], labelAllTokens: false, bToI: c.bToI)
            == [-100, 2, -100, 5, -100])
        #expect(TokenClassificationRun.alignLabels(wordIds: [nil, 0, 0, 1, nil], tags: [2, 5], labelAllTokens: true, bToI: c.bToI)
            == [-100, 2, 4, 5, -100])
    }

    /// The error of `finetune text-classification` with these files, and that nothing was written.
    func failure(_ ws: TinyWorkspace, _ arguments: [String], task: FineTuneTask = .textClassification) -> String {
        let r = TinyWorkspace.run([task.rawValue, "--model_name_or_path", ws.model, "--do_train", "--do_eval",
                                   "--output_dir", ws.path("out")] + arguments)
        #expect(r.status == 2)
        #expect(!FileManager.default.fileExists(atPath: ws.path("out")), "nothing may be written on bad input")
        return r.err.joined(separator: "\n")
    }

    @Test func badInputIsNamedBeforeAnyWork() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let good = try ws.sentimentCSV("train.csv", rows: 6)

        let noLabel = try ws.write("nolabel.csv", "sentence1,sentence2\na,b\n")
        var e = failure(ws, ["--train_file", good, "--validation_file", noLabel])
        #expect(e.contains("nolabel.csv") && e.contains("no column 'label'"))

        let noText = try ws.write("notext.csv", "sentence1,label\na,positive\n")
        e = failure(ws, ["--train_file", good, "--validation_file", noText])
        #expect(e.contains("notext.csv") && e.contains("no column 'sentence2'"))

        let unseen = try ws.write("unseen.csv", "sentence1,sentence2,label\na,b,positive\nc,d,neutral\n")
        e = failure(ws, ["--train_file", good, "--validation_file", unseen])
        #expect(e.contains("unseen.csv, line 3 (row 1)") && e.contains("'neutral'") && e.contains("'label'"))

        let empty = try ws.write("empty.csv", "sentence1,sentence2,label\n")
        e = failure(ws, ["--train_file", good, "--validation_file", empty])
        #expect(e.contains("empty.csv") && e.contains("no rows"))

        let json = try ws.write("v.jsonl", #"{"sentence1": "a", "sentence2": "b", "label": "positive"}"# + "\n")
        e = failure(ws, ["--train_file", good, "--validation_file", json])
        #expect(e.contains("one extension") && e.contains("train.csv (csv)") && e.contains("v.jsonl (json)"))

        let mixed = try ws.write("mixed.jsonl", [#"{"text": "a", "label": 1}"#, #"{"text": "b", "label": 0}"#,
                                                 #"{"text": "c", "label": "pos"}"#].joined(separator: "\n") + "\n")
        e = failure(ws, ["--train_file", mixed, "--validation_file", mixed])
        #expect(e.contains("mixed.jsonl, line 3 (row 2)") && e.contains("'label'") && e.contains("row 0"))

        // Decimal labels mean regression; a name among them in validation is an error naming its row.
        let regression = try ws.write("float.csv", "text,label\na,0.5\nb,1.25\n")
        let named = try ws.write("named.csv", "text,label\na,0.5\nb,high\n")
        e = failure(ws, ["--train_file", regression, "--validation_file", named])
        #expect(e.contains("named.csv") && e.contains("row 1") && e.contains("'label'"))

        let tags = try ws.write("tags.jsonl", #"{"tokens": ["john", "lives"], "ner_tags": ["B-PER"]}"# + "\n")
        e = failure(ws, ["--train_file", tags, "--validation_file", tags], task: .tokenClassification)
        #expect(e.contains("tags.jsonl, line 1 (row 0)") && e.contains("2 words but 'ner_tags' has 1 tags"))

    }

    @Test func theOutputFolderIsCheckedFirst() throws {
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let good = try ws.sentimentCSV("train.csv", rows: 6)
        // A file in the way.
        try ws.write("out", "not a folder")
        var r = TinyWorkspace.run(["text-classification", "--model_name_or_path", ws.model, "--do_train",
                                   "--train_file", good, "--output_dir", ws.path("out")])
        #expect(r.status == 2 && r.err.joined().contains("is a file"))
        // A non-empty folder without a checkpoint.
        try FileManager.default.removeItem(atPath: ws.path("out"))
        try FileManager.default.createDirectory(atPath: ws.path("out"), withIntermediateDirectories: true)
        try ws.write("out/notes.txt", "mine")
        r = TinyWorkspace.run(["text-classification", "--model_name_or_path", ws.model, "--do_train",
                               "--train_file", good, "--output_dir", ws.path("out")])
        #expect(r.status == 2 && r.err.joined().contains("--overwrite_output_dir") && r.err.joined().contains("notes.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path("out")) == ["notes.txt"])
    }
}
