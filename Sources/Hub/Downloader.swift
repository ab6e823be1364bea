import Digest
import Files
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// One file from an HTTP source into the cache: a HEAD for its metadata, then a GET into
// `<blob>.incomplete` (continued with `Range: bytes=N-` after a dropped connection, by a retry
// here or by a later run), then size and sha256 checks, then a rename onto the blob. The
// rename is what makes a download atomic: a blob either is complete and verified or absent.

/// What a HEAD request says about a remote file.
struct RemoteMetadata: Sendable {
    /// ETag with `W/` and quotes removed: the sha256 for LFS files (`X-Linked-Etag`), else the
    /// server's own tag. Names the blob in the cache.
    var etag: String?
    /// The commit the revision resolved to (`X-Repo-Commit`), if the server says.
    var commit: String?
    /// Size in bytes (`X-Linked-Size`, else `Content-Length`).
    var size: Int64?
    /// Known sha256 of the contents (from `X-Linked-Etag`, which the Hub sets for LFS files).
    var sha256: String?
    /// Where to GET the bytes: the CDN URL a redirect pointed to, else the URL asked for.
    var location: URL?
}

/// Outcome of a HEAD request.
enum Lookup: Sendable {
    case found(RemoteMetadata)
    case missing            // 404 for the file itself: an optional file may be absent
}

/// What a download must match, and where that knowledge came from (named in messages).
struct Expected: Sendable {
    var size: Int64?
    /// Lower-case hex sha256 of the contents.
    var sha256: String?
    /// "the Hub's file listing", "the response headers", "the sha256 asked for"…
    var source: String
}

struct Downloader: Sendable {
    var token: String?
    var timeout: TimeInterval
    /// Extra attempts after a network failure, each resuming from the bytes already on disk.
    var retries: Int
    var showProgress: Bool

    /// HEAD `url`, following redirects within its origin only; a redirect elsewhere (the CDN) is
    /// the answer itself. The Hub's headers are read from whichever response has them.
    func metadata(_ url: URL) throws -> Lookup {
        let heads: [HTTPHead]
        do {
            heads = try HTTPTransfer.run(HTTPTransfer.request(url, method: "HEAD", token: token, timeout: timeout),
                                         redirects: .sameOrigin)
        } catch let error as TransferError {
            throw HubError("cannot reach \(url.absoluteString): \(error.description)")
        }
        guard let last = heads.last else { throw HubError("no response from \(url.absoluteString)") }
        switch last.status {
        case 200..<400: break     // 3xx: a redirect to a CDN, whose headers describe the file
        case 404 where last["x-error-code"] == nil || last["x-error-code"] == "EntryNotFound":
            return .missing
        case 401, 403:
            throw HubError("\(url.absoluteString) answered \(last.status) (the repository is private, gated or "
                + "does not exist). Check the name, or set HF_TOKEN to a token that may read it.")
        default:
            let code = last["x-error-code"].map { " (\($0))" } ?? ""
            throw HubError("\(url.absoluteString) answered HTTP \(last.status)\(code). Check the repository name "
                + "and revision.")
        }
        func first(_ name: String) -> String? { heads.lazy.compactMap { $0[name] }.first }
        var meta = RemoteMetadata()
        meta.commit = first("x-repo-commit")
        if let linked = first("x-linked-etag") {
            meta.etag = Self.normalize(etag: linked)
            if let etag = meta.etag, Self.isSHA256(etag) { meta.sha256 = etag }
        } else if let etag = last["etag"] {
            meta.etag = Self.normalize(etag: etag)
        }
        // A redirect's Content-Length is the length of its own (empty) body, not the file's.
        let isRedirect = (300..<400).contains(last.status)
        meta.location = isRedirect ? last["location"].flatMap { URL(string: $0, relativeTo: url)?.absoluteURL } : last.url
        meta.size = (first("x-linked-size") ?? (isRedirect ? nil : last["content-length"])).flatMap { Int64($0) }
        return .found(meta)
    }

    /// Downloads `url` into `partial`, checks it against `expected` and renames it onto `blob`;
    /// with `blob` nil (a source that gave no ETag) onto `<blobs>/<its sha256>`, the name the Hub
    /// gives LFS blobs, so huggingface_hub reuses it. Returns the blob. On a mismatch nothing is
    /// left behind; after a dropped connection the partial file is kept for the next run.
    /// `origin` is the URL the file was asked for: the token is sent only if `url` shares its origin.
    func download(_ url: URL, origin: URL, partial: URL, blob: URL?, expected: Expected, label: String) throws -> URL {
        let credential = HTTPTransfer.sameOrigin(url, origin) ? token : nil
        let fm = FileManager.default
        try cacheStep("create the folder", partial.deletingLastPathComponent().path) {
            try fm.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        var failures: [String] = []
        var attempt = 0
        var announced = Announced()
        while true {
            do {
                announced = try fetch(url, into: partial, size: expected.size, label: label, token: credential) ?? announced
                break
            } catch let error as TransferError {
                failures.append(error.description)
                attempt += 1
                if showProgress && attempt <= retries {
                    let kept = ProgressBar.format(Self.fileSize(partial), .bytes)
                    let note = "\(label): \(error.description) after \(kept); resuming (attempt \(attempt + 1) of \(retries + 1))\n"
                    FileHandle.standardError.write(Data(note.utf8))
                }
                if attempt > retries {
                    let kept = Self.fileSize(partial)
                    throw HubError("downloading \(url.absoluteString) failed after \(attempt) attempt(s): "
                        + failures.joined(separator: "; ") + ". \(kept) bytes are kept in \(partial.path); "
                        + "run again to resume, or set COURSE_MIRROR to a mirror you can reach.")
                }
                Thread.sleep(forTimeInterval: min(0.05 * Double(attempt), 1))
            }
        }
        // Without a size from a listing or the HEAD, the GET's own Content-Length (or
        // Content-Range total) is the length to check: a body cut short must never be published.
        var check = expected
        if check.size == nil, let length = announced.length {
            check.size = length
            check.source = "the download's Content-Length"
        }
        let digest = try verify(partial, source: url, expected: check, framed: announced.chunked, label: label)
        let target = blob ?? partial.deletingLastPathComponent().appendingPathComponent(digest)
        if rename(partial.path, target.path) != 0 {
            throw HubError("cannot move \(partial.path) to \(target.path): \(String(cString: strerror(errno))). "
                + "Check that the cache directory is writable.")
        }
        return target
    }

    /// What a GET's final response said about the whole file.
    struct Announced {
        var length: Int64?
        /// `Transfer-Encoding: chunked`: the body carries its own end marker, which libcurl checks.
        var chunked = false
    }

    /// One GET, appending to `partial` from its current length. Returns what the response
    /// announced about the file (nil when no request was needed).
    private func fetch(_ url: URL, into partial: URL, size: Int64?, label: String, token: String?) throws -> Announced? {
        let fm = FileManager.default
        var offset = Self.fileSize(partial)
        if let size, offset > size { try? fm.removeItem(at: partial); offset = 0 }
        if let size, offset == size { return nil }   // an earlier run got every byte; verify it
        if !fm.fileExists(atPath: partial.path) { _ = fm.createFile(atPath: partial.path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: partial.path) else {
            throw HubError("cannot write \(partial.path); check that the cache directory is writable.")
        }
        defer { try? handle.close() }
        try cacheStep("seek to byte \(offset) of", partial.path) { try handle.seek(toOffset: UInt64(offset)) }

        var request = HTTPTransfer.request(url, method: "GET", token: token, timeout: timeout)
        if offset > 0 { request.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        // Long paths would push the bar past the terminal's width: keep their tail.
        let shown = label.count > 40 ? "…" + label.suffix(39) : label
        let bar = showProgress ? ProgressBar(total: size, description: shown, unit: .bytes, initial: offset) : nil
        var prepared = false
        var writeError: Error?
        var written = offset
        let heads: [HTTPHead]
        do {
            heads = try HTTPTransfer.run(request) { head, chunk in
                guard head.status == 200 || head.status == 206 else { return true }  // error body: skip
                if !prepared {
                    prepared = true
                    // A 200 to a Range request (or a 206 for other bytes) restarts from zero.
                    if head.status == 200 || Self.rangeStart(head["content-range"]) != offset {
                        handle.truncateFile(atOffset: 0)
                        written = 0
                    }
                }
                do { try handle.write(contentsOf: chunk) } catch { writeError = error; return false }
                written += Int64(chunk.count)
                bar?.update(to: written)
                return true
            }
        } catch let error as TransferError {
            if let writeError {
                throw HubError("cannot write \(partial.path): \(FileProblem.describe(writeError)). Check that the disk is "
                    + "not full and the cache directory is writable, or set HF_HUB_CACHE to another folder.")
            }
            throw error
        }
        bar?.finish()
        guard let last = heads.last else { throw TransferError(description: "no response") }
        switch last.status {
        case 200, 206:
            if last.status == 200 && !prepared { handle.truncateFile(atOffset: 0) }  // empty body
            let chunked = last["transfer-encoding"]?.lowercased().contains("chunked") ?? false
            return Announced(length: Self.announcedLength(last), chunked: chunked)
        case 416:
            // The server has fewer bytes than our partial file: it is stale, start over.
            try? fm.removeItem(at: partial)
            throw TransferError(description: "the server refused to resume at byte \(offset) (HTTP 416)")
        default:
            throw HubError("\(url.absoluteString) answered HTTP \(last.status) to the download request. "
                + "Check the repository name and revision, or try again later.")
        }
    }

    /// Size and sha256 checks; a mismatch deletes the file, since resuming it would not help.
    /// Returns the file's sha256 (computed only when it is expected or needed to name the blob).
    /// A file whose length nobody announced (no listing, no Content-Length, no chunked framing)
    /// and whose sha256 is unknown is refused: a connection closed early would look complete.
    private func verify(_ file: URL, source: URL, expected: Expected, framed: Bool, label: String) throws -> String {
        let actual = Self.fileSize(file)
        if let size = expected.size, actual != size {
            try? FileManager.default.removeItem(at: file)
            throw HubError("\(source.absoluteString) sent \(actual) bytes but \(size) were expected (\(expected.source)): "
                + "it is not the file \(label) or it was cut short; the file was deleted, nothing was cached. Run again; "
                + "if it keeps happening the server or mirror holds a wrong or damaged copy of \(label): fix that copy, "
                + "or unset COURSE_MIRROR to use the Hub.")
        }
        if expected.size == nil && expected.sha256 == nil && !framed {
            try? FileManager.default.removeItem(at: file)
            throw HubError("\(source.absoluteString) did not say how long \(label) is (no Content-Length, no size in a "
                + "listing), so a download cut short cannot be told from a complete one; the \(actual) bytes received "
                + "were deleted, nothing was cached. Serve the file with a Content-Length (any static file server does), "
                + "or ask for it with its sha256.")
        }
        let digest = try Self.sha256(of: file)
        if let sha256 = expected.sha256, digest != sha256.lowercased() {
            try? FileManager.default.removeItem(at: file)
            throw HubError("\(source.absoluteString) is corrupted: its sha256 is \(digest) but \(sha256) was "
                + "expected (\(expected.source)): it is not the file \(label) or it is damaged; the file was deleted, "
                + "nothing was cached. Run again; if it keeps happening the server or mirror holds a wrong or damaged "
                + "copy of \(label): fix that copy, or unset COURSE_MIRROR to use the Hub.")
        }
        return digest
    }

    // MARK: helpers

    /// `W/"abc"` → `abc`.
    static func normalize(etag: String) -> String {
        var tag = etag.trimmingCharacters(in: .whitespaces)
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        return tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The whole file's length a 200 (`Content-Length`) or 206 (`Content-Range: bytes a-b/N`) announces.
    static func announcedLength(_ head: HTTPHead) -> Int64? {
        if head.status == 206 {
            guard let total = head["content-range"]?.split(separator: "/").last else { return nil }
            return Int64(total)
        }
        return head["content-length"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// First byte of `Content-Range: bytes 100-199/200`.
    static func rangeStart(_ header: String?) -> Int64? {
        guard let header, let spec = header.split(separator: " ").last,
              let start = spec.split(separator: "-").first else { return nil }
        return Int64(start)
    }

    /// Size of the file `url` names, following symlinks (snapshot entries are links); 0 if absent.
    static func fileSize(_ url: URL) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Lower-case hex sha256 of a file, read in 1 MiB chunks.
    static func sha256(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw HubError("cannot read \(url.path) to check its sha256; check that it exists and is readable")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try cacheStep("read", url.path, { try handle.read(upToCount: 1 << 20) }), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update(buffer: $0) }
        }
        return SHA256.hexString(hasher.finalize())
    }
}
