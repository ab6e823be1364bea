import Foundation

// Where checkpoints and datasets come from. This is the contract the rest of the toolkit calls;
// resolution order: a local path, the local cache, a configured mirror, the Hugging Face Hub.

/// Which kind of Hub repository a name refers to (they live under different URL prefixes).
public enum RepoType: String, Sendable {
    case model
    case dataset
}

/// Failures a user can cause or fix: each message says what was tried and what to do.
public struct HubError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Resolves repository files to local files.
public struct Hub: Sendable {
    /// A mirror directory (or URL) laid out as `models/<repo>/<file>` and `datasets/<repo>/<file>`.
    /// Set with the `COURSE_MIRROR` environment variable.
    public var mirror: String?

    public init(mirror: String? = nil) { self.mirror = mirror }

    /// Settings from the environment (`COURSE_MIRROR`, and later `HF_HOME`, `HF_ENDPOINT`, `HF_HUB_OFFLINE`).
    public static var shared: Hub {
        Hub(mirror: ProcessInfo.processInfo.environment["COURSE_MIRROR"])
    }

    /// The local file for `path` inside repository `repo`. If `repo` is a local directory, the
    /// file is taken from there.
    public func file(_ path: String, in repo: String, type: RepoType = .model) throws -> URL {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: repo, isDirectory: &isDir), isDir.boolValue {
            let url = URL(fileURLWithPath: repo).appendingPathComponent(path)
            guard fm.fileExists(atPath: url.path) else {
                throw HubError("\(url.path) does not exist: the directory \(repo) has no \(path)")
            }
            return url
        }
        var tried: [String] = []
        if let mirror, !mirror.isEmpty {
            let root = mirror.hasPrefix("file://") ? String(mirror.dropFirst(7)) : mirror
            let url = URL(fileURLWithPath: root).appendingPathComponent("\(type.rawValue)s/\(repo)/\(path)")
            if fm.fileExists(atPath: url.path) { return url }
            tried.append("mirror \(url.path)")
        } else {
            tried.append("no mirror (COURSE_MIRROR is not set)")
        }
        throw HubError("cannot find \(path) of \(type.rawValue) '\(repo)'; tried: \(tried.joined(separator: ", ")). "
            + "Point COURSE_MIRROR at a mirror directory (see README.md) or pass a local directory.")
    }

    /// A local directory holding `files` of `repo` (all resolved; the directory of the first).
    public func snapshot(of repo: String, type: RepoType = .model, files: [String]) throws -> URL {
        var dir: URL?
        for f in files {
            let url = try file(f, in: repo, type: type)
            if dir == nil {
                dir = url.deletingLastPathComponent()
                for _ in f.split(separator: "/").dropLast() { dir = dir?.deletingLastPathComponent() }
            }
        }
        guard let dir else { throw HubError("snapshot of '\(repo)' asked for no files") }
        return dir
    }
}
