import Foundation
import Hub

// `load_dataset`: one entry point for the course's datasets and for local files.

/// Loads a dataset by name, like Python's `load_dataset`:
/// - `loadDataset("conll2003")`: train / validation / test with Hugging Face label ids;
/// - `loadDataset("glue", "mrpc")`, `loadDataset("glue", "sst2")`;
/// - `loadDataset("imdb")` (the full archive) or `loadDataset("imdb", "small")` (2,000 / 1,000 rows);
/// - `loadDataset("csv" | "tsv" | "json", dataFiles: ["train": "a.csv", "test": "b.csv"])`.
/// Names are resolved by `Hub` (a local directory, the cache, or the `COURSE_MIRROR` mirror).
public func loadDataset(_ name: String, _ config: String? = nil, dataFiles: [String: String] = [:],
                        splitOrder: [String]? = nil, hub: Hub = .shared) throws -> DatasetDict {
    switch name {
    case "csv", "tsv", "json":
        guard !dataFiles.isEmpty else {
            throw DatasetError("loadDataset(\"\(name)\") needs dataFiles, e.g. [\"train\": \"train.\(name)\"]")
        }
        let order = splitOrder ?? ["train", "validation", "test"].filter { dataFiles[$0] != nil }
            + dataFiles.keys.sorted().filter { !["train", "validation", "test"].contains($0) }
        var dict = DatasetDict([])
        for split in order {
            guard let path = dataFiles[split] else { throw DatasetError("splitOrder names '\(split)', which dataFiles lacks") }
            let url = URL(fileURLWithPath: path)
            switch name {
            case "json": dict.set(split, to: try readJSONLines(url))
            case "tsv": dict.set(split, to: try readDelimited(url, options: .tsv))
            default: dict.set(split, to: try readDelimited(url, options: .csv))
            }
        }
        return dict
    case "conll2003", "eriktks/conll2003":
        return try CoNLL2003.load(repo: "conll2003", hub: hub)
    case "glue", "nyu-mll/glue":
        guard let config else { throw DatasetError("loadDataset(\"glue\") needs a task: loadDataset(\"glue\", \"mrpc\")") }
        return try GlueDataset.load(config, repo: "glue", hub: hub)
    case "imdb", "stanfordnlp/imdb":
        switch config {
        case nil, "plain_text": return try Imdb.load(repo: "imdb", hub: hub)
        case "small": return try Imdb.loadSmall(repo: "imdb", hub: hub)
        default: throw DatasetError("unknown imdb configuration '\(config ?? "")'; use nil (full) or \"small\"")
        }
    default:
        // A local directory in the CoNLL layout.
        if FileManager.default.fileExists(atPath: (name as NSString).appendingPathComponent("train.txt")) {
            return try CoNLL2003.load(repo: name, hub: hub)
        }
        throw DatasetError("unknown dataset '\(name)'; available: conll2003, glue (mrpc, sst2), imdb, "
            + "and csv / tsv / json with dataFiles")
    }
}
