import Digest
import Foundation

// One remote file into the hub cache, named so that huggingface_hub finds it too:
//   - from a source that names its commit and ETags (the Hub, or a proxy of it), the blob is
//     `blobs/<etag>`, exactly as huggingface_hub names it;
//   - from a source that does not (a static HTTP mirror: no X-Repo-Commit, no or a home-made
//     ETag), the blob is `blobs/<sha256 of the contents>`, which is the Hub's ETag for LFS files
//     (weights, Parquet), so an online huggingface_hub reuses it instead of downloading it again;
//     the snapshot folder is then a pseudo-commit that `refs/<revision>` points to.
// Either way the file is checked against everything known about it (a listing's size and
// sha256, the headers, the sha256 asked for) before it enters the cache.

extension Hub {
    func fetchIntoCache(_ file: HubFile, meta: RemoteMetadata, url: URL, cache: RepoCache, commit: String,
                        revision: String, downloader: Downloader) throws -> URL {
        let expected = try Self.expectation(for: file, meta: meta, url: url)
        // The Hub's own name for the blob, when the source speaks for the Hub; else the sha256
        // when it is known before the download.
        let hubLike = meta.commit != nil && meta.etag != nil
        let name = hubLike ? meta.etag.map(Self.blobName) : expected.sha256
        // Without a known name the partial file is named after the file (revision, path, size),
        // not the URL, so a download cut short resumes from another mirror too.
        let partialName = name
            ?? "file-" + String(SHA256.hex("\(revision)/\(file.path)/\(expected.size.map(String.init) ?? "?")").prefix(40))
        return try cache.withLock(partialName) {
            if let name, try existingBlobMatches(cache.blob(name), expected: expected, label: file.path) {
                return try cache.link(file.path, commit: commit, etag: name)
            }
            // Straight to where the HEAD was redirected (a CDN), as huggingface_hub does.
            let blob = try downloader.download(meta.location ?? url, origin: url, partial: cache.incomplete(partialName),
                                               blob: name.map(cache.blob), expected: expected, label: file.path)
            return try cache.link(file.path, commit: commit, etag: blob.lastPathComponent)
        }
    }

    /// Size and sha256 the download must have: the caller's (a dataset listing, a sha256 passed
    /// in) first, then the response headers. When both know and disagree, the source serves
    /// another file: refused before a byte is downloaded.
    static func expectation(for file: HubFile, meta: RemoteMetadata, url: URL) throws -> Expected {
        let given = file.origin ?? (file.sha256 != nil ? "the sha256 asked for" : "the size asked for")
        if let listed = file.size, let served = meta.size, listed != served {
            throw HubError("\(url.absoluteString) announces \(served) bytes for \(file.path), but \(given) says "
                + "\(listed): the server or mirror holds another or a damaged copy of \(file.path); nothing was "
                + "downloaded. Fix or remove that copy (or unset COURSE_MIRROR to use the Hub), then run again.")
        }
        if let wanted = file.sha256?.lowercased(), let served = meta.sha256, wanted != served {
            throw HubError("\(url.absoluteString) names the sha256 \(served) for \(file.path), but \(given) says "
                + "\(wanted): the server or mirror holds another copy of \(file.path); nothing was downloaded. Fix or "
                + "remove that copy (or unset COURSE_MIRROR to use the Hub), then run again.")
        }
        var sources: [String] = []
        if file.size != nil || file.sha256 != nil { sources.append(given) }
        if (file.size == nil && meta.size != nil) || (file.sha256 == nil && meta.sha256 != nil) {
            sources.append("the response headers")
        }
        return Expected(size: file.size ?? meta.size, sha256: file.sha256?.lowercased() ?? meta.sha256,
                        source: sources.isEmpty ? "nothing announced" : sources.joined(separator: " and "))
    }

    /// Whether a blob already in the cache may be linked instead of downloaded again: it must
    /// have the expected size, and the expected sha256 unless it is named by it (blobs are
    /// renamed into place only after their check). A blob that fails is deleted and refetched.
    private func existingBlobMatches(_ blob: URL, expected: Expected, label: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: blob.path) else { return false }
        var good = expected.size.map { Downloader.fileSize(blob) == $0 } ?? true
        if good, let sha256 = expected.sha256, blob.lastPathComponent != sha256 {
            good = try Downloader.sha256(of: blob) == sha256
        }
        if !good { try? FileManager.default.removeItem(at: blob) }
        return good
    }

    /// The snapshot folder for files from a source that names no commit: `revision` itself
    /// when it is a commit hash, else 40 hex digits derived from the repository and revision,
    /// the same on every run and machine (so later downloads join the same snapshot), shaped
    /// like a commit because huggingface_hub looks a revision up as refs/<revision> → <commit>.
    static func pseudoCommit(repo: String, type: RepoType, revision: String) -> String {
        if isCommitHash(revision) { return revision }
        return String(SHA256.hex("swift-fine-tuning-course mirror \(type.rawValue)s/\(repo)@\(revision)").prefix(40))
    }

    static func isCommitHash(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The ETag itself when it is a plain file name (always, for the Hub), else a hash of it.
    static func blobName(_ etag: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        let plain = !etag.isEmpty && etag.count <= 200 && etag.unicodeScalars.allSatisfy(safe.contains)
            && !etag.hasPrefix(".")
        return plain ? etag : "etag-" + String(SHA256.hex(etag).prefix(40))
    }
}
