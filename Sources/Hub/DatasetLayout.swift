// Which Parquet files of a dataset repository make which configuration and split, from their
// paths alone, the way `datasets` reads the layouts the Hub serves:
//
//     mrpc/train-00000-of-00001.parquet        config mrpc, split train   (a repository's own files)
//     conll2003/validation/0000.parquet        config conll2003, split validation (refs/convert/parquet)
//     en/partial-train/0000.parquet            config en, split train (a partial conversion)
//     data/test-00000-of-00002.parquet         config default, split test
//     train.parquet                            config default, split train
//
// Splits come in the order `datasets` gives them: train, validation…, test…, then the rest by
// name (IMDb: train, test, unsupervised). Files within a split are in path order.

/// Configurations → splits → file paths, from a repository listing.
public struct DatasetLayout: Sendable, Equatable {
    public struct Split: Sendable, Equatable {
        public var name: String
        public var paths: [String]
    }
    /// Configuration name → its splits, in split order.
    public private(set) var configs: [String: [Split]] = [:]

    public var configNames: [String] { configs.keys.sorted() }

    public init(paths: [String]) {
        var grouped: [String: [String: [String]]] = [:]
        for path in paths where path.hasSuffix(".parquet") {
            let parts = path.split(separator: "/").map(String.init)
            guard let file = parts.last, !parts.contains(where: { $0.hasPrefix(".") }) else { continue }
            let config = parts.count == 1 || parts[0] == "data" ? "default" : parts[0]
            let split: String
            if parts.count >= 3 {
                let folder = parts[parts.count - 2]
                split = folder.hasPrefix("partial-") ? String(folder.dropFirst(8)) : folder
            } else {
                split = Self.split(fromFileName: String(file.dropLast(".parquet".count)))
            }
            grouped[config, default: [:]][split, default: []].append(path)
        }
        for (config, splits) in grouped {
            configs[config] = splits.map { Split(name: $0.key, paths: $0.value.sorted()) }
                .sorted { (Self.rank($0.name), $0.name) < (Self.rank($1.name), $1.name) }
        }
    }

    /// The configuration to load: the one asked for, else the only one, else `default`.
    public func choose(_ config: String?, dataset: String) throws -> (name: String, splits: [Split]) {
        if let config {
            guard let splits = configs[config] else {
                throw HubError("dataset '\(dataset)' has no configuration '\(config)'; it has \(configNames.joined(separator: ", "))")
            }
            return (config, splits)
        }
        if configs.count == 1, let only = configs.first { return (only.key, only.value) }
        if let splits = configs["default"] { return ("default", splits) }
        throw HubError("dataset '\(dataset)' has several configurations; name one, e.g. loadDataset(\"\(dataset)\", "
            + "\"\(configNames.first ?? "")\"). They are: \(configNames.joined(separator: ", "))")
    }

    /// `train-00000-of-00003` → `train`; `dev` → `validation` (the names `datasets` accepts for
    /// its three standard splits); any other name without a shard suffix → `train`.
    static func split(fromFileName name: String) -> String {
        var base = name
        // Strip `-NNNNN-of-NNNNN` (and a bare trailing `-NNNNN`).
        let pieces = base.split(separator: "-", omittingEmptySubsequences: false)
        if pieces.count >= 4, pieces[pieces.count - 2] == "of",
           pieces[pieces.count - 1].allSatisfy(\.isNumber), pieces[pieces.count - 3].allSatisfy(\.isNumber) {
            return pieces.dropLast(3).joined(separator: "-")
        }
        if pieces.count >= 2, pieces[pieces.count - 1].allSatisfy(\.isNumber) {
            base = pieces.dropLast().joined(separator: "-")
        }
        let synonyms = ["train": "train", "training": "train", "validation": "validation", "valid": "validation",
                        "dev": "validation", "val": "validation", "test": "test", "testing": "test", "eval": "test",
                        "evaluation": "test"]
        return synonyms[base.lowercased()] ?? "train"
    }

    private static func rank(_ split: String) -> Int {
        if split == "train" { return 0 }
        if split.hasPrefix("validation") { return 1 }
        if split.hasPrefix("test") { return 2 }
        return 3
    }
}
