import Foundation

// A dataset's Parquet files, found as `datasets.load_dataset` finds them on the Hub today: the
// repository a name now lives under (`conll2003` → `eriktks/conll2003`), its own Parquet files
// at the revision asked for, else the Hub's automatic conversion in `refs/convert/parquet`
// (repositories that hold only a loading script, like CoNLL-2003); then the files of one
// configuration, split by split (`DatasetLayout`). Sources, first that answers wins:
//   1. a local directory of Parquet files (the name is a path);
//   2. the hub cache, from the record an earlier download left (no network at all), or, offline,
//      a complete snapshot huggingface_hub left there (DatasetCacheSnapshot.swift);
//   3. a mirror directory, laid out as the Hub (`<mirror>/datasets/<repo id>/<path in repo>`);
//   4. the Hub ($HF_ENDPOINT): its API for the id, commit and file list; the files themselves
//      through `resolve`, so they get the model files' verification, resume and cache layout.
// An HTTP mirror cannot list files: it serves a dataset's files (checked against the Hub's listing)
// only in step 4, once the Hub has listed them. HF_HUB_OFFLINE=1 stops at 3.

/// The Parquet files of one configuration of a dataset, split by split, on local disk.
public struct DatasetParquetFiles: Sendable {
    /// The repository id the files came from (or the local directory).
    public var repo: String
    /// The configuration the files belong to (`mrpc`, `conll2003`).
    public var config: String
    /// The revision the files are in (`main`, or `refs/convert/parquet`).
    public var revision: String
    /// Each split's name and its files on disk, in split order and shard order.
    public var splits: [(name: String, files: [URL])]
    /// Where they were found, for messages.
    public var source: String
}

/// Where the Hub moved the datasets the course uses (the short names redirect there). Used when
/// the Hub cannot be asked: on a mirror, offline, or from the cache.
public let knownDatasetRenames = [
    "conll2003": "eriktks/conll2003",
    "glue": "nyu-mll/glue",
    "imdb": "stanfordnlp/imdb",
]

/// The record of one resolution, kept in the repository's cache folder so that the next run
/// needs no network: `<cache>/datasets--owner--name/parquet-files/<revision>/<name>/<config>.json`.
struct DatasetRecord: Codable {
    var revision: String
    var config: String
    var splits: [[String: [String]]]          // [{split: [paths]}] in split order
    /// Path → size in bytes as downloaded (absent in records of older versions): a cached file
    /// of another size is damaged and not used.
    var sizes: [String: Int64]?
}

extension Hub {
    /// The Parquet files of `config` (nil: the only or `default` one) of dataset `name`.
    public func datasetParquetFiles(_ name: String, config: String? = nil, revision: String = "main") throws -> DatasetParquetFiles {
        if let directory = try localDirectory(name) {
            let layout = DatasetLayout(paths: Self.listFiles(in: directory))
            guard !layout.configs.isEmpty else {
                throw HubError("the directory \(directory.path) holds no .parquet files; pass dataFiles: for other formats")
            }
            let (chosen, splits) = try layout.choose(config, dataset: name)
            return DatasetParquetFiles(repo: directory.path, config: chosen, revision: revision,
                                       splits: splits.map { ($0.name, $0.paths.map { directory.appendingPathComponent($0) }) },
                                       source: "the directory \(directory.path)")
        }
        try Self.validate(repo: name, type: .dataset)
        let canonical = knownDatasetRenames[name] ?? name
        var tried: [String] = []

        // 2. The cache: the record of an earlier download, else a snapshot huggingface_hub left.
        var notes: [String] = []
        if let found = fromDatasetRecord(name, candidates: [canonical, name], config: config, revision: revision,
                                         notes: &notes) {
            return found
        }
        // (A recorded download found damaged is not second-guessed by reading its snapshot.)
        if offline, notes.isEmpty, let found = try fromCachedSnapshot(name, repos: [canonical, name], config: config,
                                                             revision: revision, notes: &notes) {
            return found
        }
        tried.append("the hub cache at \(cacheDirectory.path): no complete download of '\(name)'"
            + (config.map { " configuration '\($0)'" } ?? "") + notes.map { "; " + $0 }.joined())

        // 3. A mirror directory in the Hub's layout.
        if let root = mirrorDirectory {
            let directory = root.appendingPathComponent("datasets/\(canonical)", isDirectory: true)
            let layout = DatasetLayout(paths: Self.listFiles(in: directory))
            if !layout.configs.isEmpty {
                let (chosen, splits) = try layout.choose(config, dataset: name)
                return DatasetParquetFiles(repo: canonical, config: chosen, revision: revision,
                                           splits: splits.map { ($0.name, $0.paths.map { directory.appendingPathComponent($0) }) },
                                           source: "the mirror directory \(directory.path)")
            }
            tried.append("the mirror directory \(directory.path) (COURSE_MIRROR): no .parquet files")
        } else if let mirror, !mirror.isEmpty {
            tried.append("the mirror \(mirror) (COURSE_MIRROR): "
                + (mirror.lowercased().hasPrefix("http") ? "an HTTP mirror cannot list a dataset's files" : "not a directory"))
        }

        // 4. The Hub.
        if offline {
            tried.append("no download: HF_HUB_OFFLINE is set, so the network was not used")
            throw datasetFailure(name, tried: tried, advice: "unset HF_HUB_OFFLINE to download, or set COURSE_MIRROR to a "
                + "mirror directory (e.g. COURSE_MIRROR=../shared/mirror).")
        }
        do {
            return try fromHub(name, config: config, revision: revision)
        } catch let error as HubError {
            tried.append("the Hugging Face Hub at \(endpoint) (HF_ENDPOINT): \(error.description)")
        }
        throw datasetFailure(name, tried: tried, advice: "check the name and your network, or set COURSE_MIRROR to a "
            + "mirror directory (e.g. COURSE_MIRROR=../shared/mirror).")
    }

    private func fromHub(_ name: String, config: String?, revision: String) throws -> DatasetParquetFiles {
        let api = HubAPI(endpoint: endpoint, token: token, timeout: timeout)
        let info = try api.datasetInfo(name, revision: revision)
        var entries = try api.tree(info.id, commit: info.commit)
        var used = revision
        var commit = info.commit
        var layout = DatasetLayout(paths: entries.map(\.path))
        if layout.configs.isEmpty {
            // No Parquet files of its own (a loading script): the Hub's conversion.
            used = "refs/convert/parquet"
            let converted = try api.datasetInfo(info.id, revision: used)
            commit = converted.commit
            entries = try api.tree(info.id, commit: commit)
            layout = DatasetLayout(paths: entries.map(\.path))
            guard !layout.configs.isEmpty else {
                throw HubError("dataset '\(info.id)' has no Parquet files, neither in \(revision) nor in refs/convert/parquet")
            }
        }
        let (chosen, splits) = try layout.choose(config, dataset: name)
        // Each file must be the one listed: its size and (LFS files) sha256 are checked before
        // it enters the cache, whichever server sends it (a mirror may hold another file there).
        let listed = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var files: [HubFile] = []
        for split in splits {
            for path in split.paths {
                var file = HubFile(path, sha256: listed[path]?.sha256, size: listed[path]?.size)
                file.origin = "the Hub's file listing of \(info.id) at \(used)"
                files.append(file)
            }
        }
        // The files by the repository's id, into the cache like model files, in the snapshot of
        // the commit the listing is of.
        let directory = try resolve(repo: info.id, type: .dataset, revision: used, files: files, commit: commit).directory
        var sizes: [String: Int64] = [:]
        for file in files { sizes[file.path] = Downloader.fileSize(directory.appendingPathComponent(file.path)) }
        let record = DatasetRecord(revision: used, config: chosen, splits: splits.map { [$0.name: $0.paths] }, sizes: sizes)
        writeRecords(record, repo: info.id, asked: name, config: config, revision: revision)
        return DatasetParquetFiles(repo: info.id, config: chosen, revision: used,
                                   splits: splits.map { ($0.name, $0.paths.map { directory.appendingPathComponent($0) }) },
                                   source: "the Hugging Face Hub at \(endpoint)")
    }

    /// The files of a recorded resolution, if the record and every file are in the cache. A file
    /// of the wrong size is noted (with the blob to delete) and the record not used.
    private func fromDatasetRecord(_ name: String, candidates: [String], config: String?, revision: String,
                                   notes: inout [String]) -> DatasetParquetFiles? {
        var repos = candidates
        // A name the Hub redirected: its record sits in whichever folder the files went to.
        if let folders = try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory.path) {
            for folder in folders.sorted() where folder.hasPrefix("datasets--") {
                repos.append(folder.dropFirst("datasets--".count).replacingOccurrences(of: "--", with: "/"))
            }
        }
        for repo in repos {
            let cache = RepoCache(cache: cacheDirectory, repo: repo, type: .dataset)
            let url = recordURL(cache, revision: revision, name: name, config: config ?? "_default")
            guard let data = FileManager.default.contents(atPath: url.path),
                  let record = try? JSONDecoder().decode(DatasetRecord.self, from: data) else { continue }
            var splits: [(name: String, files: [URL])] = []
            for entry in record.splits {
                guard let (split, paths) = entry.first else { return nil }
                var files: [URL] = []
                for path in paths {
                    guard (try? Self.validate(path: path)) != nil,
                          let file = cache.cachedFile(path, revision: record.revision) else { return nil }
                    if let size = record.sizes?[path], Downloader.fileSize(file) != size {
                        notes.append("\(file.path) has \(Downloader.fileSize(file)) bytes but \(size) were downloaded; "
                            + (Self.cacheAdvice(for: file) ?? "delete it"))
                        return nil
                    }
                    files.append(file)
                }
                splits.append((split, files))
            }
            return DatasetParquetFiles(repo: repo, config: record.config, revision: record.revision, splits: splits,
                                       source: "the hub cache at \(cache.root.path)")
        }
        return nil
    }

    /// Keyed by the name asked and by the id, with and without the configuration named, so any
    /// of those finds it next time. Best effort: a cache that cannot be written costs a lookup.
    func writeRecords(_ record: DatasetRecord, repo: String, asked name: String, config: String?, revision: String) {
        let cache = RepoCache(cache: cacheDirectory, repo: repo, type: .dataset)
        for asked in Set([name, repo]) {
            for key in Set([record.config, config ?? "_default"]) {
                try? writeRecord(record, to: recordURL(cache, revision: revision, name: asked, config: key))
            }
        }
    }

    private func recordURL(_ cache: RepoCache, revision: String, name: String, config: String) -> URL {
        func safe(_ text: String) -> String { HubAPI.escape(text) }
        return cache.root.appendingPathComponent("parquet-files/\(safe(revision))/\(safe(name))/\(safe(config)).json")
    }

    private func writeRecord(_ record: DatasetRecord, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(record).write(to: url, options: .atomic)
    }

    private func datasetFailure(_ name: String, tried: [String], advice: String) -> HubError {
        HubError("cannot find the Parquet files of dataset '\(name)'. Tried:\n"
            + tried.map { "  - " + $0 }.joined(separator: "\n") + "\nWhat to do: " + advice)
    }

    /// Every regular file below `directory`, as relative paths (empty if it does not exist).
    static func listFiles(in directory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent(relative).path, isDirectory: &isDirectory),
               !isDirectory.boolValue { paths.append(relative) }
        }
        return paths.sorted()
    }
}
