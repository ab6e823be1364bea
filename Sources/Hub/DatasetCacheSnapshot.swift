import Foundation

// A dataset's Parquet files from a snapshot in the hub cache that came without this module's
// record: the one huggingface_hub (under `datasets.load_dataset` or `snapshot_download`)
// leaves, `datasets--owner--name/refs/<revision>` → `snapshots/<commit>/<path>` → `blobs/<etag>`.
// It is read offline only (online, the Hub's listing is authoritative, and files already in
// that commit's snapshot are linked without a download), and only when it is complete for the
// configuration asked for. Which files make it: the commit's listing when huggingface_hub kept
// one (`trees/<commit>.json`, 2.x), else the snapshot's own files, checked against the splits
// and configurations the dataset card declares. Every one must link to a blob of the listed
// size and sha256 (a blob named by a sha256, the Hub's ETag for LFS files, must have that one).
// A record is then written, so the check runs once.

extension Hub {
    func fromCachedSnapshot(_ name: String, repos: [String], config: String?, revision: String,
                            notes: inout [String]) throws -> DatasetParquetFiles? {
        var seen = Set<String>()
        for repo in repos where seen.insert(repo).inserted && (try? Self.validate(repo: repo, type: .dataset)) != nil {
            let cache = RepoCache(cache: cacheDirectory, repo: repo, type: .dataset)
            for (used, snapshot) in Self.candidateSnapshots(cache, revision: revision, notes: &notes) {
                // huggingface_hub (2.x) keeps the commit's whole listing beside the snapshots: when
                // it is there, it says which files make each configuration and split.
                let listing = Self.treeListing(cache.root.appendingPathComponent("trees/\(snapshot.lastPathComponent).json"))
                let layout = DatasetLayout(paths: listing.map { Array($0.keys) } ?? Self.listEntries(in: snapshot))
                guard !layout.configs.isEmpty else { continue }
                // Only the configurations someone downloaded are in a snapshot; the dataset card
                // (README.md, which `datasets` fetches too) names the others, so that "the only
                // configuration" is not guessed from a partial download.
                var declared: [String: Set<String>] = [:]
                for folder in [snapshot, cache.snapshot(cache.commit(for: "main"))] {
                    declared.merge(Self.cardConfigs(folder.appendingPathComponent("README.md"))) { $0.union($1) }
                }
                let configs = Set(declared.keys).union(layout.configs.keys)
                if config == nil && layout.configs["default"] == nil && configs.count > 1 {
                    notes.append("\(snapshot.path) holds a dataset with several configurations "
                        + "(\(configs.sorted().joined(separator: ", "))); name one")
                    continue
                }
                guard let (chosen, splits) = try? layout.choose(config, dataset: name) else {
                    notes.append("\(snapshot.path) holds only " + layout.configNames.joined(separator: ", "))
                    continue
                }
                let absent = (declared[chosen] ?? []).subtracting(splits.map(\.name))
                if !absent.isEmpty {
                    notes.append("\(snapshot.path) lacks the split(s) \(absent.sorted().joined(separator: ", ")) "
                        + "that the dataset card declares for '\(chosen)'")
                    continue
                }
                var missing: [String] = []
                for split in splits {
                    for path in split.paths {
                        let link = snapshot.appendingPathComponent(path)
                        guard FileManager.default.fileExists(atPath: link.path) else { missing.append(link.path); continue }
                        try Self.checkBlob(of: link, listed: listing?[path])
                    }
                }
                if !missing.isEmpty {
                    notes.append("the snapshot \(snapshot.path) is incomplete: " + missing.joined(separator: ", ")
                        + " point(s) to no blob")
                    continue
                }
                var sizes: [String: Int64] = [:]
                for split in splits { for path in split.paths { sizes[path] = Downloader.fileSize(snapshot.appendingPathComponent(path)) } }
                writeRecords(DatasetRecord(revision: used, config: chosen, splits: splits.map { [$0.name: $0.paths] }, sizes: sizes),
                             repo: repo, asked: name, config: config, revision: revision)
                return DatasetParquetFiles(repo: repo, config: chosen, revision: used,
                                           splits: splits.map { ($0.name, $0.paths.map { snapshot.appendingPathComponent($0) }) },
                                           source: "the hub cache at \(cache.root.path)")
            }
        }
        return nil
    }

    /// The snapshots that may hold `revision`, with the revision each stands for: those the refs
    /// name (for main, the repository's own files first, then the Hub's conversion, as online).
    /// `datasets` downloads Parquet files by commit hash, which writes no ref: then, for main,
    /// when no named snapshot holds Parquet files (refs/main may name one with only the card),
    /// the one snapshot that does stands for it (several: ambiguous, none used).
    static func candidateSnapshots(_ cache: RepoCache, revision: String, notes: inout [String]) -> [(String, URL)] {
        func hasParquet(_ snapshot: URL) -> Bool { listEntries(in: snapshot).contains { $0.hasSuffix(".parquet") } }
        let revisions = revision == "main" ? [revision, "refs/convert/parquet"] : [revision]
        let named = revisions.filter { isCommitHash($0) || FileManager.default.fileExists(atPath: cache.ref($0).path) }
            .map { ($0, cache.snapshot(cache.commit(for: $0))) }
        if revision != "main" || named.contains(where: { hasParquet($0.1) }) { return named }
        let folder = cache.root.appendingPathComponent("snapshots", isDirectory: true)
        let commits = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().filter {
            isCommitHash($0) && hasParquet(folder.appendingPathComponent($0))
        }
        if commits.count > 1 {
            notes.append("\(folder.path) holds \(commits.count) snapshots with Parquet files and no refs/main to say which "
                + "is main; pass the commit as the revision")
            return []
        }
        return commits.map { ($0, folder.appendingPathComponent($0)) }
    }

    /// A blob must have the listed size and sha256, and a blob named by a sha256 that one; a
    /// damaged one is an error naming what to delete.
    static func checkBlob(of link: URL, listed: RepoEntry?) throws {
        let blob = link.resolvingSymlinksInPath()
        let advice = cacheAdvice(for: link) ?? "Delete it and download it again."
        if let size = listed?.size, Downloader.fileSize(blob) != size {
            throw HubError("the cached file \(link.path) is damaged: its blob \(blob.path) has \(Downloader.fileSize(blob)) "
                + "bytes, the listing huggingface_hub kept says \(size). " + advice)
        }
        let name = blob.lastPathComponent
        // A git ETag (a small file stored in git) names no sha256: size only, unless listed.
        guard let expected = listed?.sha256 ?? (Downloader.isSHA256(name) ? name : nil) else { return }
        let digest = try Downloader.sha256(of: blob)
        if digest != expected {
            throw HubError("the cached file \(link.path) is damaged: its blob \(blob.path) has the sha256 \(digest), "
                + "not \(expected). " + advice)
        }
    }

    /// `trees/<commit>.json` as huggingface_hub writes it: {"files": {path: {"size", "lfs_sha256"}}}.
    static func treeListing(_ url: URL) -> [String: RepoEntry]? {
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = object["files"] as? [String: [String: Any]] else { return nil }
        var listing: [String: RepoEntry] = [:]
        for (path, info) in files where (try? Hub.validate(path: path)) != nil {
            let sha = (info["lfs_sha256"] as? String).flatMap { Downloader.isSHA256($0) ? $0 : nil }
            listing[path] = RepoEntry(path: path, size: (info["size"] as? NSNumber)?.int64Value, sha256: sha)
        }
        return listing
    }

    /// Relative paths of every file and symlink below `directory`, dangling links included (a
    /// missing blob must make a split incomplete, not silently shorter).
    static func listEntries(in directory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            let full = directory.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            let isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) ? !isDirectory.boolValue : isLink {
                paths.append(relative)
            }
        }
        return paths.sorted()
    }

    /// Configurations a dataset card's YAML header names (`config_name:` under `configs:` and
    /// `dataset_info:`), each with the splits its `configs:` entry lists (`- split: train`).
    static func cardConfigs(_ card: URL) -> [String: Set<String>] {
        guard let data = FileManager.default.contents(atPath: card.path), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("---") else { return [:] }
        var configs: [String: Set<String>] = [:]
        var section = "", current: String?
        func value(_ item: Substring, after key: String) -> String {
            item.dropFirst(key.count).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line.trimmingCharacters(in: .whitespaces) == "---" { break }
            if let first = line.first, first != " ", first != "-" { section = String(line.prefix { $0 != ":" }); current = nil }
            var item = Substring(line.trimmingCharacters(in: .whitespaces))
            if item.hasPrefix("- ") { item = item.dropFirst(2) }
            if item.hasPrefix("config_name:") {
                let name = value(item, after: "config_name:")
                current = name.isEmpty ? nil : name
                if let current, configs[current] == nil { configs[current] = [] }
            } else if section == "configs", item.hasPrefix("split:"), let current {
                configs[current, default: []].insert(value(item, after: "split:"))
            }
        }
        return configs
    }
}
