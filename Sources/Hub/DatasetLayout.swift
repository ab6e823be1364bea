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
//
// A split whose files are numbered `-NNNNN-of-NNNNN` must have every shard 0..<N exactly once,
// all with the same N (checked when a configuration is chosen): with one shard missing from a
// download or a mirror, the split would load with part of its rows and nothing would say so.

/// Configurations → splits → file paths, from a repository listing.
public struct DatasetLayout: Sendable, Equatable {
    /// One split of a configuration and its Parquet files, in shard order.
    public struct Split: Sendable, Equatable {
        /// The split's name (`train`, `validation`, `test`).
        public var name: String
        /// Its files' paths in the repository, in shard order (`-00000-of-00002`, `-00001-of-00002`).
        public var paths: [String]
    }
    /// Configuration name → its splits, in split order.
    public private(set) var configs: [String: [Split]] = [:]

    /// Every configuration name, sorted.
    public var configNames: [String] { configs.keys.sorted() }

    /// Groups a repository's file paths into configurations and splits (non-Parquet paths are ignored).
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
    /// Throws if a split of the chosen configuration lacks a shard.
    public func choose(_ config: String?, dataset: String) throws -> (name: String, splits: [Split]) {
        let chosen = try chooseName(config, dataset: dataset)
        for split in chosen.splits { try Self.checkShards(split, config: chosen.name, dataset: dataset) }
        return chosen
    }

    private func chooseName(_ config: String?, dataset: String) throws -> (name: String, splits: [Split]) {
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
        if let shard = Shard(fileName: name) { return shard.prefix }
        let pieces = base.split(separator: "-", omittingEmptySubsequences: false)
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

/// The shard numbering in a file name: `train-00001-of-00003` (prefix train, index 1, count 3),
/// also with the fingerprint older `push_to_hub` added (`train-00000-of-00001-5c1f4e9a2b7d3e60`).
struct Shard {
    var prefix: String
    var index: Int
    var count: Int
    /// How the file name spells the numbers and what follows them, to spell a missing one.
    private var width: Int
    private var countText: String
    private var fingerprint: Bool

    init?(fileName: String) {
        let pieces = fileName.split(separator: "-", omittingEmptySubsequences: false)
        func numeric(_ i: Int) -> Bool { i >= 0 && !pieces[i].isEmpty && pieces[i].allSatisfy(\.isASCII) && pieces[i].allSatisfy(\.isNumber) }
        func isFingerprint(_ i: Int) -> Bool { pieces[i].count >= 8 && pieces[i].allSatisfy(\.isHexDigit) }
        var of = pieces.count - 2
        var suffixed = false
        if of >= 2, pieces.count >= 5, !(pieces[of] == "of" && numeric(of + 1)), pieces[of - 1] == "of", isFingerprint(pieces.count - 1) {
            of -= 1                             // the fingerprint form
            suffixed = true
        }
        guard of >= 2, pieces[of] == "of", numeric(of - 1), numeric(of + 1),
              let index = Int(pieces[of - 1]), let count = Int(pieces[of + 1]) else { return nil }
        prefix = pieces[..<(of - 1)].joined(separator: "-")
        self.index = index
        self.count = count
        width = pieces[of - 1].count
        countText = String(pieces[of + 1])
        fingerprint = suffixed
    }

    /// The file name shard `index` of the same set would have (a fingerprint shown as `*`).
    func fileName(ofShard index: Int) -> String {
        let digits = String(index)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return "\(prefix)-\(padded)-of-\(countText)" + (fingerprint ? "-*" : "") + ".parquet"
    }
}

extension DatasetLayout {
    /// Throws unless the split's shard-numbered files are shards 0..<N, once each, of one N.
    static func checkShards(_ split: Split, config: String, dataset: String) throws {
        var shards: [(shard: Shard, path: String)] = []
        for path in split.paths {
            let file = path.split(separator: "/").last.map(String.init) ?? path
            if let shard = Shard(fileName: String(file.dropLast(".parquet".count))) { shards.append((shard, path)) }
        }
        guard let first = shards.first else { return }
        let place = "dataset '\(dataset)', configuration '\(config)', split '\(split.name)'"
        let advice = "the files are incomplete (an interrupted download or copy, or a partial mirror): download the "
            + "dataset again, or complete the mirror or directory"
        if let other = shards.first(where: { $0.shard.count != first.shard.count }) {
            throw HubError("\(place): \(first.path) is one of \(first.shard.count) shards, \(other.path) one of "
                + "\(other.shard.count); the files come from different versions of the split. Remove the stale ones "
                + "or download the dataset again")
        }
        var byIndex: [Int: String] = [:]
        for (shard, path) in shards {
            guard shard.index < shard.count else {
                throw HubError("\(place): \(path) is numbered \(shard.index) of only \(shard.count) shards (0 to "
                    + "\(shard.count - 1)); \(advice)")
            }
            if let earlier = byIndex[shard.index] {
                throw HubError("\(place): shard \(shard.index) of \(shard.count) is there twice (\(earlier) and \(path)), "
                    + "so its rows would be read twice; remove one, or download the dataset again")
            }
            byIndex[shard.index] = path
        }
        let missing = (0..<first.shard.count).filter { byIndex[$0] == nil }
        guard !missing.isEmpty else { return }
        let folder = first.path.split(separator: "/").dropLast().map { $0 + "/" }.joined()
        let names = missing.prefix(5).map { folder + first.shard.fileName(ofShard: $0) }
        let more = missing.count > names.count ? " and \(missing.count - names.count) more" : ""
        throw HubError("\(place): \(missing.count) of its \(first.shard.count) shards "
            + "\(missing.count == 1 ? "is" : "are") missing (\(names.joined(separator: ", "))\(more)), so the split would "
            + "have only part of its rows; \(advice)")
    }
}
