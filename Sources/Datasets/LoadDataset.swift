import Foundation
import Hub

// `load_dataset`: one entry point for the course's datasets and for local files.

/// Loads a dataset by name, like Python's `load_dataset`:
/// - `loadDataset("conll2003")`: train / validation / test with Hugging Face label ids;
/// - `loadDataset("glue", "mrpc")`, `loadDataset("glue", "sst2")` (and the other GLUE tasks);
/// - `loadDataset("imdb")` (train, test, and unsupervised where the source has it), or
///   `loadDataset("imdb", "small")` (the mirror's 2,000 / 1,000-row JSON Lines subsets);
/// - any other Hub dataset id, or a local directory of Parquet files;
/// - `loadDataset("csv" | "tsv" | "json" | "parquet", dataFiles: ["train": "a.csv", "test": "b.csv"])`.
/// Hub datasets are read from the Parquet files the Hub serves (`Hub.datasetParquetFiles`: a
/// local directory, the cache, a `COURSE_MIRROR` directory in the Hub's layout, or the Hub),
/// with the features their `huggingface` metadata declares.
public func loadDataset(_ name: String, _ config: String? = nil, dataFiles: [String: String] = [:],
                        splitOrder: [String]? = nil, revision: String = "main", hub: Hub = .shared) throws -> DatasetDict {
    switch name {
    case "csv", "tsv", "json", "parquet":
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
            case "parquet": dict.set(split, to: try Dataset.readParquet([url]))
            case "tsv": dict.set(split, to: try readDelimited(url, options: .tsv))
            default: dict.set(split, to: try readDelimited(url, options: .csv))
            }
        }
        return dict
    case "glue" where config == nil, "nyu-mll/glue" where config == nil:
        throw DatasetError("loadDataset(\"glue\") needs a task: loadDataset(\"glue\", \"mrpc\")")
    case "imdb" where config == "small", "stanfordnlp/imdb" where config == "small":
        // The course's CPU-sized subsets: mirror files, not a configuration the Hub has.
        return try Imdb.loadSmall(repo: "imdb", hub: hub)
    default:
        // A local directory in the CoNLL text layout keeps its text reader.
        if FileManager.default.fileExists(atPath: (name as NSString).appendingPathComponent("train.txt")) {
            return try CoNLL2003.load(repo: name, hub: hub)
        }
        return try loadParquetDataset(name, config, revision: revision, hub: hub)
    }
}

/// A Hub dataset (or a local directory) from its Parquet files, split by split.
func loadParquetDataset(_ name: String, _ config: String?, revision: String, hub: Hub) throws -> DatasetDict {
    let found: DatasetParquetFiles
    do { found = try hub.datasetParquetFiles(name, config: config, revision: revision) } catch let error as HubError {
        throw DatasetError(error.description)
    }
    var dict = DatasetDict([])
    for (split, files) in found.splits { dict.set(split, to: try Dataset.readParquet(files)) }
    return dict
}
