import Foundation
import Hub

// GLUE tasks from the original GLUE TSV files, with the Hugging Face `glue` column names.

/// GLUE tasks (MRPC, SST-2) from the original TSV files, with the Hugging Face `glue` columns and label names.
public enum GlueDataset {
    /// MRPC: `sentence1`, `sentence2`, `label` (not_equivalent / equivalent), `idx`.
    public static let mrpcFeatures: Features = [
        "sentence1": .string, "sentence2": .string,
        "label": .classLabel(ClassLabel(names: ["not_equivalent", "equivalent"])), "idx": .int32,
    ]
    /// SST-2: `sentence`, `label` (negative / positive), `idx`.
    public static let sst2Features: Features = [
        "sentence": .string, "label": .classLabel(ClassLabel(names: ["negative", "positive"])), "idx": .int32,
    ]

    /// `train`, `validation` and `test` of GLUE task `config` (`mrpc` or `sst2`) from `repo`
    /// (files under `<config>/`).
    public static func load(_ config: String, repo: String = "glue", hub: Hub = .shared) throws -> DatasetDict {
        func file(_ name: String) throws -> URL { try hub.file("\(config)/\(name)", in: repo, type: .dataset) }
        switch config {
        case "mrpc":
            // The GLUE test.tsv has no labels; the original corpus file does, keyed by the sentence ids.
            let testLabels = try mrpcLabels(file("msr_paraphrase_test.txt"))
            return DatasetDict([
                ("train", try readMRPC(file("train.tsv"))),
                ("validation", try readMRPC(file("dev.tsv"))),
                ("test", try readMRPC(file("test.tsv"), labels: testLabels)),
            ])
        case "sst2":
            return DatasetDict([
                ("train", try readSST2(file("train.tsv"))),
                ("validation", try readSST2(file("dev.tsv"))),
                ("test", try readSST2(file("test.tsv"))),
            ])
        default:
            throw DatasetError("GLUE task '\(config)' is not available here; use \"mrpc\" or \"sst2\"")
        }
    }

    /// An MRPC split. Labelled files have `Quality #1 ID #2 ID #1 String #2 String`; the GLUE
    /// test file has `index` instead of `Quality`, and takes its labels from `labels`.
    public static func readMRPC(_ url: URL, labels: [String: Int]? = nil) throws -> Dataset {
        let t = try DelimitedTable(try readFile(url), options: .tsv, name: url.path)
        guard t.header.count == 5, t.header[1] == "#1 ID", t.header[3] == "#1 String" else {
            throw DatasetError("\(url.path):1: expected the MRPC header 'Quality  #1 ID  #2 ID  #1 String  #2 String', "
                + "found \(t.header)")
        }
        var s1: [Value] = [], s2: [Value] = [], label: [Value] = [], idx: [Value] = []
        for (i, (row, line)) in zip(t.rows, t.lines).enumerated() {
            let y: Int
            if let labels {
                guard let l = labels["\(row[1])\t\(row[2])"] else {
                    throw DatasetError("\(url.path):\(line): no label for the pair \(row[1]), \(row[2]) in the test labels")
                }
                y = l
            } else {
                guard let l = Int(row[0]), l == 0 || l == 1 else {
                    throw DatasetError("\(url.path):\(line): the label (Quality) must be 0 or 1, found '\(row[0])'")
                }
                y = l
            }
            s1.append(.string(row[3])); s2.append(.string(row[4])); label.append(.int(y)); idx.append(.int(i))
        }
        return Dataset(checkedColumns: ["sentence1": s1, "sentence2": s2, "label": label, "idx": idx],
                       features: mrpcFeatures, numRows: idx.count)
    }

    /// Labels of an original MRPC file, keyed by "id1\tid2".
    static func mrpcLabels(_ url: URL) throws -> [String: Int] {
        let t = try DelimitedTable(try readFile(url), options: .tsv, name: url.path)
        var out: [String: Int] = [:]
        for (row, line) in zip(t.rows, t.lines) {
            guard let l = Int(row[0]) else {
                throw DatasetError("\(url.path):\(line): the label (Quality) must be 0 or 1, found '\(row[0])'")
            }
            out["\(row[1])\t\(row[2])"] = out["\(row[1])\t\(row[2])"] ?? l
        }
        return out
    }

    /// An SST-2 split: `sentence  label`, or `index  sentence` for the unlabelled test file
    /// (label -1, as Hugging Face stores it).
    public static func readSST2(_ url: URL) throws -> Dataset {
        let t = try DelimitedTable(try readFile(url), options: .tsv, name: url.path)
        let labelled = t.header == ["sentence", "label"]
        guard labelled || t.header == ["index", "sentence"] else {
            throw DatasetError("\(url.path):1: expected the SST-2 header 'sentence  label' or 'index  sentence', found \(t.header)")
        }
        var sentence: [Value] = [], label: [Value] = [], idx: [Value] = []
        for (i, (row, line)) in zip(t.rows, t.lines).enumerated() {
            if labelled {
                guard let l = Int(row[1]), l == 0 || l == 1 else {
                    throw DatasetError("\(url.path):\(line): the label must be 0 or 1, found '\(row[1])'")
                }
                sentence.append(.string(row[0])); label.append(.int(l))
            } else {
                sentence.append(.string(row[1])); label.append(.int(-1))
            }
            idx.append(.int(i))
        }
        return Dataset(checkedColumns: ["sentence": sentence, "label": label, "idx": idx],
                       features: sst2Features, numRows: idx.count)
    }
}
