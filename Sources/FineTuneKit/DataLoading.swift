import Datasets
import Foundation
import Hub

// Where the rows come from, as run_glue / run_ner find them: a GLUE task by name, a Hub dataset,
// or local files (csv, json/jsonl, parquet; all of one kind). Nothing is tokenised here.

/// The raw splits and, for errors, what each split was read from.
public struct RawData: Sendable {
    /// train / validation / test (and GLUE's mnli matched/mismatched splits).
    public let splits: DatasetDict
    /// Each split's source: a file path, or "nyu-mll/glue/mrpc (validation)".
    public let sources: [String: String]
    /// How a row index reads in that source's terms (a CSV line, a JSON line, a row).
    let rowStyle: [String: RowStyle]

    /// A position in `split` for an error message: "data/train.csv, line 7 (row 5)".
    public func locate(_ split: String, row: Int) -> String {
        let source = sources[split] ?? split
        switch rowStyle[split] ?? .row {
        case .csvLine: return "\(source), line \(row + 2) (row \(row))"
        case .jsonLine: return "\(source), line \(row + 1) (row \(row))"
        case .row: return "\(source), row \(row)"
        }
    }

    /// The split `name`, or nil.
    public func split(_ name: String) -> Dataset? { splits.keys.contains(name) ? try? splits[name] : nil }
}

/// How row numbers are shown for a source.
enum RowStyle: Sendable { case csvLine, jsonLine, row }

/// Loads the data the options name. Throws a `FineTuneError` for mixed extensions, unreadable
/// or empty files, or no data source at all.
public func loadRawData(_ options: FineTuneOptions, hub: Hub = .shared) throws -> RawData {
    if let task = options.taskName, options.task == .textClassification {
        guard GlueTasks.names.contains(task) else {
            throw FineTuneError("unknown --task_name '\(task)': use one of \(GlueTasks.names.joined(separator: ", ")) "
                + "(or --train_file / --dataset_name for your own data)")
        }
        // The canonical id, as run_glue.py loads it: a short "glue" would also name a local
        // folder `glue/` (evaluate's metric script folder is one) before the Hub's dataset.
        return try loadHub("nyu-mll/glue", task, hub: hub)
    }
    if let name = options.datasetName {
        return try loadHub(name, options.datasetConfigName, hub: hub)
    }
    var files: [(String, String)] = []
    if let f = options.trainFile { files.append(("train", f)) }
    if let f = options.validationFile { files.append(("validation", f)) }
    if let f = options.testFile { files.append(("test", f)) }
    guard !files.isEmpty else {
        throw FineTuneError("no data: give --task_name (a GLUE task), --dataset_name, or --train_file / "
            + "--validation_file / --test_file (csv, json, jsonl or parquet)")
    }
    let kinds = try files.map { try fileKind($0.1) }
    if Set(kinds.map(\.format)).count > 1 {
        let listing = zip(files, kinds).map { "--\($0.0.0 == "validation" ? "validation" : $0.0.0)_file \($0.0.1) (\($0.1.format))" }
        throw FineTuneError("the data files must all have one extension, got " + listing.joined(separator: ", ")
            + ": convert them to one format")
    }
    var dict = DatasetDict([])
    var sources: [String: String] = [:], styles: [String: RowStyle] = [:]
    for ((split, path), kind) in zip(files, kinds) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw FineTuneError("--\(split)_file \(path) does not exist")
        }
        let dataset: Dataset
        do {
            switch kind.format {
            case "json": dataset = try readJSONLines(URL(fileURLWithPath: path))
            case "parquet": dataset = try Dataset.readParquet([URL(fileURLWithPath: path)])
            default: dataset = try readDelimited(URL(fileURLWithPath: path), options: kind.format == "tsv" ? .tsv : .csv)
            }
        } catch let error as DatasetError {
            throw FineTuneError("cannot read --\(split)_file \(path): \(error.description)")
        }
        guard dataset.count > 0 else {
            throw FineTuneError("--\(split)_file \(path) has no rows: it must hold a header (csv) and at least one example")
        }
        dict.set(split, to: dataset)
        sources[split] = path
        styles[split] = kind.style
    }
    return RawData(splits: dict, sources: sources, rowStyle: styles)
}

/// The reader for a data file by its extension.
func fileKind(_ path: String) throws -> (format: String, style: RowStyle) {
    switch (path as NSString).pathExtension.lowercased() {
    case "csv": return ("csv", .csvLine)
    case "tsv": return ("tsv", .csvLine)
    case "json", "jsonl": return ("json", .jsonLine)
    case "parquet": return ("parquet", .row)
    default:
        throw FineTuneError("\(path): data files must end in .csv, .tsv, .json, .jsonl or .parquet (JSON as one object per line)")
    }
}

/// A Hub dataset (or GLUE task) through the Parquet path of `loadDataset`.
func loadHub(_ name: String, _ config: String?, hub: Hub) throws -> RawData {
    let dict: DatasetDict
    do { dict = try loadDataset(name, config, hub: hub) } catch let error as DatasetError {
        throw FineTuneError("cannot load the dataset \(name)\(config.map { "/\($0)" } ?? ""): \(error.description)")
    }
    let label = name + (config.map { "/\($0)" } ?? "")
    return RawData(splits: dict, sources: Dictionary(uniqueKeysWithValues: dict.keys.map { ($0, "\(label) (\($0))") }),
                   rowStyle: [:])
}
