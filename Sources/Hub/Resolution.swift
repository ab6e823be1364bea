import Foundation

// The resolution order of `Hub`, one source at a time. A snapshot takes every file from the
// first source that has all its required files, so the files sit in one directory; that source
// also answers for the optional ones.

/// Where a request's files ended up: their common directory and each present file.
struct Resolved {
    var directory: URL
    var files: [String: URL]
}

/// An HTTP source of files: the HTTP mirror or the Hub.
private struct Remote {
    var name: String
    var url: (String) -> URL?       // file path → its URL
}

extension Hub {
    /// `commit`, when the caller knows what `revision` points to (a dataset listing), names the
    /// snapshot folder if the source does not say.
    func resolve(repo: String, type: RepoType, revision: String, files: [HubFile], commit: String? = nil) throws -> Resolved {
        guard !files.isEmpty else { throw HubError("a snapshot of '\(repo)' asked for no files; name at least one") }
        for file in files { try Self.validate(path: file.path) }
        if let directory = try localDirectory(repo) {
            return try fromDirectory(directory, files: files, type: type, strict: true)
                ?? Resolved(directory: directory, files: [:])   // strict throws instead of nil
        }
        try Self.validate(repo: repo, type: type)
        let cache = RepoCache(cache: cacheDirectory, repo: repo, type: type)
        var tried: [String] = []

        // 2. The cache, without the network. Optional files must be cached or known absent,
        // unless nothing else could say whether they exist.
        let mirrorRoot = mirrorDirectory
        let nobodyElse = offline && mirrorRoot == nil
        if let found = fromCache(cache, revision: revision, files: files, acceptUnknownOptional: nobodyElse) {
            return found
        }
        tried.append("the hub cache at \(cache.root.path): " + missingList(files) { cache.cachedFile($0, revision: revision) == nil })

        // 3. A mirror directory, used in place.
        if let mirrorRoot {
            let directory = mirrorRoot.appendingPathComponent("\(type.rawValue)s/\(repo)", isDirectory: true)
            if let found = try fromDirectory(directory, files: files, type: type, strict: false) { return found }
            tried.append("the mirror directory \(directory.path) (COURSE_MIRROR): "
                + missingList(files) { !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) })
        } else if let mirror, !isHTTP(mirror) {
            tried.append("no mirror: COURSE_MIRROR=\(mirror) is not a directory")
        }

        // 4–5. Downloads into the cache.
        if offline {
            tried.append("no download: HF_HUB_OFFLINE is set, so the network was not used")
            throw failure(repo: repo, type: type, revision: revision, files: files, tried: tried,
                          advice: "unset HF_HUB_OFFLINE to download, or set COURSE_MIRROR to a mirror directory "
                              + "(e.g. COURSE_MIRROR=../shared/mirror), or pass a local directory.")
        }
        for remote in remotes(repo: repo, type: type, revision: revision) {
            do {
                return try download(files, from: remote, cache: cache, repo: repo, type: type, revision: revision,
                                    commit: commit)
            } catch let error as HubError {
                tried.append("\(remote.name): \(error.description)")
            }
        }
        throw failure(repo: repo, type: type, revision: revision, files: files, tried: tried,
                      advice: "check the name and your network, set COURSE_MIRROR to a mirror directory or URL "
                          + "(e.g. COURSE_MIRROR=../shared/mirror), or pass a local directory.")
    }

    // MARK: sources

    /// nil when `repo` is a repository id; the directory when it is a local path. A path-like
    /// name that does not exist is an error rather than a Hub lookup.
    func localDirectory(_ repo: String) throws -> URL? {
        let path = Self.expandTilde(repo, home: NSHomeDirectory())
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw HubError("\(path) is a file; pass the directory that holds the checkpoint or dataset files")
            }
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        let pathLike = path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") || path == "."
            || path.split(separator: "/").count > 2
        if pathLike {
            throw HubError("the directory \(path) does not exist; check the path, or pass a Hub repository id "
                + "such as sentence-transformers/all-MiniLM-L6-v2")
        }
        return nil
    }

    /// Files from a directory. `strict` (a local path) throws for a missing required file;
    /// otherwise a missing required file gives nil so the next source is tried.
    private func fromDirectory(_ directory: URL, files: [HubFile], type: RepoType, strict: Bool) throws -> Resolved? {
        // A mirror without the repository cannot answer even for optional files.
        guard strict || FileManager.default.fileExists(atPath: directory.path) else { return nil }
        var found: [String: URL] = [:]
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            if FileManager.default.fileExists(atPath: url.path) {
                found[file.path] = url
            } else if !file.isOptional {
                guard strict else { return nil }
                throw HubError("\(url.path) does not exist: the directory \(directory.path) has no \(file.path). "
                    + (type == .dataset ? "Check the path, or add the file to the folder."
                                        : "Check the path, or save the checkpoint there first."))
            }
        }
        return Resolved(directory: directory, files: found)
    }

    private func fromCache(_ cache: RepoCache, revision: String, files: [HubFile],
                           acceptUnknownOptional: Bool) -> Resolved? {
        // Nothing cached for this revision: the cache cannot answer, even for optional files.
        let directory = cache.snapshot(cache.commit(for: revision))
        guard FileManager.default.fileExists(atPath: directory.path) else { return nil }
        var found: [String: URL] = [:]
        for file in files {
            if let url = cache.cachedFile(file.path, revision: revision) {
                // A cached copy of another size than the caller knows is damaged: download again
                // (the download path replaces the blob).
                if let size = file.size, Downloader.fileSize(url) != size { return nil }
                found[file.path] = url
            } else if !(file.isOptional && (acceptUnknownOptional || cache.knownMissing(file.path, revision: revision))) {
                return nil
            }
        }
        return Resolved(directory: directory, files: found)
    }

    /// Every file from one HTTP source into the cache, all linked into one snapshot folder.
    private func download(_ files: [HubFile], from remote: Remote, cache: RepoCache, repo: String, type: RepoType,
                          revision: String, commit knownCommit: String?) throws -> Resolved {
        let downloader = Downloader(token: token, timeout: timeout, retries: retries, showProgress: showProgress)
        cache.tagCacheDirectory()
        var folder: String?
        var found: [String: URL] = [:]
        var missing: [String] = []
        for file in files {
            guard let url = remote.url(file.path) else { throw HubError("cannot make a URL for \(file.path)") }
            switch try downloader.metadata(url) {
            case .missing:
                guard file.isOptional else { throw HubError("\(url.absoluteString) does not exist (HTTP 404)") }
                missing.append(file.path)
            case .found(let meta):
                // The first file fixes the snapshot folder: the commit the source names now, else
                // the one the caller knows (a dataset listing), else a pseudo-commit (a static
                // mirror), so that refs/<revision> → snapshots/<commit> is there for huggingface_hub.
                let commit = folder ?? meta.commit ?? knownCommit ?? Self.pseudoCommit(repo: repo, type: type, revision: revision)
                folder = commit
                try cache.recordRef(revision, commit: commit)
                found[file.path] = try fetchIntoCache(file, meta: meta, url: url, cache: cache, commit: commit,
                                                      revision: revision, downloader: downloader)
            }
        }
        let commit = folder ?? knownCommit ?? cache.commit(for: revision)
        for path in missing { try cache.recordMissing(path, commit: commit) }
        return Resolved(directory: cache.snapshot(commit), files: found)
    }

    private func remotes(repo: String, type: RepoType, revision: String) -> [Remote] {
        var list: [Remote] = []
        if let mirror, isHTTP(mirror) {
            var base = mirror
            while base.hasSuffix("/") { base.removeLast() }
            list.append(Remote(name: "the HTTP mirror \(base) (COURSE_MIRROR)") { path in
                URL(string: "\(base)/\(type.rawValue)s/\(repo)/\(Self.encode(path))")
            })
        }
        let prefix = type == .dataset ? "/datasets" : ""
        let rev = revision.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? revision
        list.append(Remote(name: "the Hugging Face Hub at \(endpoint) (HF_ENDPOINT)") { [endpoint] path in
            URL(string: "\(endpoint)\(prefix)/\(repo)/resolve/\(rev)/\(Self.encode(path))")
        })
        return list
    }

    // MARK: helpers

    /// The mirror as a directory, when it is a path or a `file://` URL that exists.
    var mirrorDirectory: URL? {
        guard let mirror, !mirror.isEmpty, !isHTTP(mirror) else { return nil }
        let path = mirror.hasPrefix("file://")
            ? (URL(string: mirror)?.path ?? String(mirror.dropFirst(7)))
            : Self.expandTilde(mirror, home: NSHomeDirectory())
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    private func isHTTP(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    private static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }

    private func missingList(_ files: [HubFile], isMissing: (String) -> Bool) -> String {
        let names = files.filter { isMissing($0.path) }.map(\.path)
        return names.isEmpty ? "optional files not known" : "no " + names.joined(separator: ", ")
    }

    private func failure(repo: String, type: RepoType, revision: String, files: [HubFile], tried: [String],
                         advice: String) -> HubError {
        let names = files.filter { !$0.isOptional }.map(\.path)
        let what = names.isEmpty ? files.map(\.path).joined(separator: ", ") : names.joined(separator: ", ")
        return HubError("cannot get \(what) of \(type.rawValue) '\(repo)' (revision \(revision)). Tried:\n"
            + tried.map { "  - " + $0 }.joined(separator: "\n") + "\nWhat to do: " + advice)
    }

    static func validate(path: String) throws {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty || path.hasPrefix("/") || parts.contains("..") || parts.contains("") {
            throw HubError("'\(path)' is not a file path inside a repository; use a relative path like config.json")
        }
    }

    static func validate(repo: String, type: RepoType) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        let ok = (1...2).contains(parts.count) && parts.allSatisfy {
            !$0.isEmpty && $0.unicodeScalars.allSatisfy(allowed.contains) && $0 != "." && $0 != ".."
        }
        if !ok {
            throw HubError("'\(repo)' is neither an existing directory nor a \(type.rawValue) repository id "
                + "(owner/name, e.g. sentence-transformers/all-MiniLM-L6-v2); check the spelling")
        }
    }
}
