import Files
import Foundation

// The Hugging Face hub cache layout, reused so that files downloaded by Python's
// `huggingface_hub` are found here and the other way round:
//
//     <cache>/models--owner--name/
//         blobs/<etag>                  file contents, named by ETag (sha256 for LFS files)
//         blobs/<etag>.incomplete       a download in progress (resumed with a Range request)
//         refs/<revision>               the commit hash a branch or tag pointed to
//         snapshots/<commit>/<path>     relative symlink to ../../blobs/<etag>
//         .no_exist/<commit>/<path>     empty marker: the Hub said this file does not exist
//
// When a source gives no commit hash (a plain HTTP mirror), the snapshot folder is a stable
// pseudo-commit that refs/<revision> names and the blobs are named by their sha256
// (CacheDownload.swift), so huggingface_hub finds them as it finds the Hub's.

/// Runs one file-system step on the cache. Foundation's errors name neither the step nor a
/// remedy ("The operation could not be completed"), so they become a sentence that does.
func cacheStep<T>(_ what: String, _ path: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as HubError { throw error } catch {
        throw HubError("cannot \(what) \(path): \(FileProblem.describe(error, path: path)). Check that the hub cache directory "
            + "is writable and not full, or set HF_HUB_CACHE (or HF_HOME) to a writable folder.")
    }
}

/// One repository's folder inside the hub cache.
struct RepoCache {
    let root: URL
    /// `<cache>/.locks/<repo folder>`: one lock file per blob, as huggingface_hub keeps them.
    let locks: URL

    /// `cache` is the hub cache directory (`$HF_HUB_CACHE`, default `$HF_HOME/hub`).
    init(cache: URL, repo: String, type: RepoType) {
        // `models--owner--name`: slashes in the repo id become `--`.
        let folder = "\(type.rawValue)s--" + repo.split(separator: "/").joined(separator: "--")
        root = cache.appendingPathComponent(folder, isDirectory: true)
        locks = cache.appendingPathComponent(".locks/\(folder)", isDirectory: true)
    }

    /// Runs `body` holding an exclusive `flock` on the blob's lock file, so two processes
    /// fetching the same file take turns instead of appending to one `.incomplete` file; the
    /// second then finds the blob complete. The lock is released when the file is closed.
    func withLock<T>(_ etag: String, _ body: () throws -> T) throws -> T {
        try cacheStep("create the folder", locks.path) {
            try FileManager.default.createDirectory(at: locks, withIntermediateDirectories: true)
        }
        let path = locks.appendingPathComponent(etag + ".lock").path
        let fd = open(path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            throw HubError("cannot open the lock file \(path): \(String(cString: strerror(errno))). "
                + "Check that the cache directory is writable, or set HF_HOME to a writable folder.")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { break }   // no locking on this filesystem: go on without
        }
        return try body()
    }

    var blobs: URL { root.appendingPathComponent("blobs", isDirectory: true) }

    func blob(_ etag: String) -> URL { blobs.appendingPathComponent(etag) }
    func incomplete(_ etag: String) -> URL { blobs.appendingPathComponent(etag + ".incomplete") }
    func snapshot(_ commit: String) -> URL { root.appendingPathComponent("snapshots/\(commit)", isDirectory: true) }
    func noExist(_ commit: String, _ path: String) -> URL { root.appendingPathComponent(".no_exist/\(commit)/\(path)") }
    func ref(_ revision: String) -> URL { root.appendingPathComponent("refs/\(revision)") }

    /// Marks the cache directory for backup tools (the Cache Directory Tagging Standard, whose
    /// first line is a fixed signature), as huggingface_hub does. Best effort.
    func tagCacheDirectory() {
        let tag = root.deletingLastPathComponent().appendingPathComponent("CACHEDIR.TAG")
        guard !FileManager.default.fileExists(atPath: tag.path) else { return }
        try? FileManager.default.createDirectory(at: tag.deletingLastPathComponent(), withIntermediateDirectories: true)
        let text = "Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# Hugging Face hub cache (written by the Swift fine-tuning course's Hub module).\n"
            + "# See https://bford.info/cachedir/\n"
        try? Data(text.utf8).write(to: tag, options: .atomic)
    }

    /// The snapshot folder name for `revision`: the commit `refs/<revision>` records, else the
    /// revision itself (a commit hash, or an older cache whose mirror downloads had no commit).
    func commit(for revision: String) -> String {
        if let data = FileManager.default.contents(atPath: ref(revision).path),
           let text = String(data: data, encoding: .utf8) {
            let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !commit.isEmpty { return commit }
        }
        return revision
    }

    /// The cached file for `path` at `revision`, if present (following the snapshot symlink).
    func cachedFile(_ path: String, revision: String) -> URL? {
        let url = snapshot(commit(for: revision)).appendingPathComponent(path)
        // `fileExists` follows symlinks, so a dangling link (blob deleted) counts as absent.
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Whether an earlier lookup recorded that `path` does not exist at `revision`.
    func knownMissing(_ path: String, revision: String) -> Bool {
        FileManager.default.fileExists(atPath: noExist(commit(for: revision), path).path)
    }

    func recordMissing(_ path: String, commit: String) throws {
        let url = noExist(commit, path)
        try cacheStep("record the missing file", url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
    }

    /// Records `revision → commit` (skipped when they are the same string).
    func recordRef(_ revision: String, commit: String) throws {
        guard revision != commit else { return }
        let url = ref(revision)
        try cacheStep("write the ref", url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: url, options: .atomic)
        }
    }

    /// Points `snapshots/<commit>/<path>` at `blobs/<etag>` with a relative symlink, replacing
    /// any older link atomically (a temporary link renamed over it).
    @discardableResult
    func link(_ path: String, commit: String, etag: String) throws -> URL {
        let fm = FileManager.default
        let target = snapshot(commit).appendingPathComponent(path)
        try cacheStep("create the folder", target.deletingLastPathComponent().path) {
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        // Depth of the link below the repo folder: snapshots/<commit>/<dirs...>/<file>.
        let depth = 2 + path.split(separator: "/").count - 1
        let relative = String(repeating: "../", count: depth) + "blobs/" + etag
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).link")
        try cacheStep("create the link", temporary.path) {
            try fm.createSymbolicLink(atPath: temporary.path, withDestinationPath: relative)
        }
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(at: temporary)
            throw HubError("cannot create \(target.path) in the hub cache: \(reason). "
                + "Check that the cache directory is writable, or set HF_HOME to a writable folder.")
        }
        return target
    }
}

extension Hub {
    /// What to do about a damaged file that `Hub` put in the cache: the blob and the snapshot
    /// link to delete so that the next run downloads (and verifies) it again. nil for a file
    /// outside a hub cache snapshot (a local directory or a mirror directory: fix it there).
    public static func cacheAdvice(for url: URL) -> String? {
        let parts = url.standardizedFileURL.pathComponents
        guard let s = parts.lastIndex(of: "snapshots"), s > 0, s + 2 < parts.count,
              parts[s - 1].hasPrefix("models--") || parts[s - 1].hasPrefix("datasets--") else { return nil }
        let blob = url.resolvingSymlinksInPath()
        let both = blob.path == url.path ? url.path : "\(blob.path) and \(url.path)"
        return "It is a cached download: delete \(both), then run again to download it afresh."
    }
}
