import Foundation

// Where checkpoints and datasets come from. This is the contract the rest of the toolkit calls;
// resolution order, first that has the files wins:
//   1. a local directory (the repo name is a path),
//   2. the local Hugging Face hub cache ($HF_HUB_CACHE, default $HF_HOME/hub),
//   3. a mirror directory (COURSE_MIRROR as a path or file:// URL), used in place,
//   4. an HTTP mirror (COURSE_MIRROR as http(s)://), downloaded into the cache,
//   5. the Hugging Face Hub ($HF_ENDPOINT), downloaded into the cache.
// HF_HUB_OFFLINE=1 skips 4 and 5. A failure lists every place tried and what to do.
//
//     let hub = Hub.shared                      // COURSE_MIRROR, HF_HOME, HF_ENDPOINT, HF_HUB_OFFLINE, HF_TOKEN
//     let dir = try hub.snapshot(of: "sentence-transformers/all-MiniLM-L6-v2",
//                                files: ["config.json", "model.safetensors", "vocab.txt", .optional("tokenizer.json")])
//     let train = try hub.file("train.txt", in: "conll2003", type: .dataset)
//
// Mirrors are laid out as <mirror>/models/<repo>/<file> and <mirror>/datasets/<repo>/<file>; a
// plain static HTTP server over such a folder (e.g. `python3 -m http.server`) is a valid HTTP mirror.

/// Which kind of Hub repository a name refers to (they live under different URL prefixes).
public enum RepoType: String, Sendable {
    case model
    case dataset
}

/// Failures a user can cause or fix: each message says what was tried and what to do.
public struct HubError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// Resolves repository files to local files.
public struct Hub: Sendable {
    /// A mirror directory (or URL) laid out as `models/<repo>/<file>` and `datasets/<repo>/<file>`:
    /// a path, a `file://` URL, or an `http(s)://` URL. Set with the `COURSE_MIRROR` environment variable.
    public var mirror: String?
    /// The hub cache directory (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`).
    public var cacheDirectory: URL
    /// The Hub's base URL (`$HF_ENDPOINT`, default `https://huggingface.co`).
    public var endpoint: String
    /// Never touch the network (`HF_HUB_OFFLINE=1`).
    public var offline: Bool
    /// Sent as a Bearer token to the Hub (`HF_TOKEN`), for gated or private repositories.
    public var token: String?
    /// Progress bars on stderr while downloading (off with `HF_HUB_DISABLE_PROGRESS_BARS=1`).
    public var showProgress: Bool
    /// Extra attempts after a dropped connection; each resumes where the last one stopped.
    public var retries: Int = 3
    /// Seconds without progress before a request is abandoned.
    public var timeout: TimeInterval = 30

    /// Settings not passed take their value from `environment` (`HF_HOME`, `HF_HUB_CACHE`,
    /// `HF_ENDPOINT`, `HF_HUB_OFFLINE`, `HF_TOKEN`, `HF_HUB_DISABLE_PROGRESS_BARS`); `mirror` is
    /// taken as given (nil: none). Use `Hub.shared` to read `COURSE_MIRROR` too.
    public init(mirror: String? = nil, cacheDirectory: URL? = nil, endpoint: String? = nil, offline: Bool? = nil,
                token: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func flag(_ name: String) -> Bool {
            ["1", "on", "yes", "true"].contains(value(name)?.lowercased() ?? "")
        }
        self.mirror = mirror
        let home = value("HOME") ?? NSHomeDirectory()
        let hfHome = value("HF_HOME").map { Self.expandTilde($0, home: home) }
            ?? (value("XDG_CACHE_HOME").map { Self.expandTilde($0, home: home) } ?? home + "/.cache") + "/huggingface"
        let hubCache = (value("HF_HUB_CACHE") ?? value("HUGGINGFACE_HUB_CACHE")).map { Self.expandTilde($0, home: home) }
            ?? hfHome + "/hub"
        self.cacheDirectory = cacheDirectory ?? URL(fileURLWithPath: hubCache, isDirectory: true)
        var base = endpoint ?? value("HF_ENDPOINT") ?? "https://huggingface.co"
        while base.hasSuffix("/") { base.removeLast() }
        self.endpoint = base
        self.offline = offline ?? flag("HF_HUB_OFFLINE")
        self.token = token ?? value("HF_TOKEN")
        self.showProgress = !flag("HF_HUB_DISABLE_PROGRESS_BARS")
    }

    /// Settings from the process environment, including `COURSE_MIRROR`.
    public static var shared: Hub {
        let environment = ProcessInfo.processInfo.environment
        return Hub(mirror: environment["COURSE_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }, environment: environment)
    }

    /// The local file for `path` inside repository `repo` (downloading it if need be). If `repo`
    /// is a local directory, the file is taken from there. `sha256`, when given, is checked on download.
    public func file(_ path: String, in repo: String, type: RepoType = .model, revision: String = "main",
                     sha256: String? = nil) throws -> URL {
        let found = try resolve(repo: repo, type: type, revision: revision, files: [HubFile(path, sha256: sha256)])
        guard let url = found.files[path] else {
            throw HubError("\(path) of \(type.rawValue) '\(repo)' was not resolved")  // unreachable: required
        }
        return url
    }

    /// Like `file`, but nil when the repository definitely has no such file (a 404, a mirror or
    /// local directory without it). Still throws when no source could answer.
    public func fileIfPresent(_ path: String, in repo: String, type: RepoType = .model,
                              revision: String = "main") throws -> URL? {
        try resolve(repo: repo, type: type, revision: revision, files: [.optional(path)]).files[path]
    }

    /// A local directory holding `files` of `repo`, all from one source so they sit side by side.
    /// Optional files the repository lacks are absent from the directory.
    public func snapshot(of repo: String, type: RepoType = .model, revision: String = "main",
                         files: [HubFile]) throws -> URL {
        try resolve(repo: repo, type: type, revision: revision, files: files).directory
    }

    /// A local directory holding `files` of `repo`, all required.
    public func snapshot(of repo: String, type: RepoType = .model, files: [String]) throws -> URL {
        try snapshot(of: repo, type: type, revision: "main", files: files.map { HubFile($0) })
    }

    static func expandTilde(_ path: String, home: String) -> String {
        path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }
}
