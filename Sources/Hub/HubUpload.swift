import Digest
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// Uploading to the Hub through its commit API, the calls huggingface_hub's `create_repo` and
// `upload_folder` make, in the same order:
//   1. POST /api/repos/create {name, organization, visibility, type}: 409 means it exists (fine);
//      (with a README.md in the commit, POST /api/validate-yaml checks its metadata first);
//   2. POST /api/{type}s/{id}/preupload/{revision} {files: [{path, size, sample}]} → each file's
//      uploadMode, "lfs" or "regular" (the server decides, from size and .gitattributes);
//   3. for the LFS files, POST {endpoint}/[datasets/]{id}.git/info/lfs/objects/batch → for each
//      object the server lacks, an upload action (one PUT, or parts + a completion POST when the
//      action's header has a chunk_size) and maybe a verify action; objects it has have none;
//   4. POST /api/{type}s/{id}/commit/{revision}, NDJSON: a header line, regular files inline in
//      base64, LFS files by sha256 and size.
// The commit is the only call that changes what the repository shows, and it is sent only when
// every LFS object is uploaded and verified: a failure before it leaves the repository as it was.
// The token goes to the Hub only (never to upload hrefs on other hosts) and is never in a message.

/// One file of a commit: where it goes in the repository and its bytes.
public struct CommitFile: Sendable, Equatable {
    /// The path in the repository, with `/` between folders (`checkpoint-8/config.json`).
    public var path: String
    /// The file's bytes, held in memory while the commit is made.
    public var contents: Data
    /// A file to commit at `path`.
    public init(path: String, contents: Data) { self.path = path; self.contents = contents }

    /// Lower-case hex sha256 of the contents (the LFS object id).
    public var sha256: String { SHA256.hex([UInt8](contents)) }
}

/// What a commit made.
public struct CommitInfo: Sendable {
    /// The commit's page on the Hub, when the Hub says it.
    public var commitURL: String?
    /// The new commit's id (40 hex digits), when the Hub says it.
    public var commitOID: String?
    /// The files sent, and which of them went through LFS.
    public var files: [String]
    /// The paths among `files` that went through LFS (the Hub's preupload answer decides).
    public var lfsFiles: [String]
}

/// Uploads files to Hub repositories. Settings not passed come from the environment like downloads:
/// `HF_ENDPOINT`; the token from `token`, else `HF_TOKEN`, else the file `huggingface-cli login`
/// writes (`$HF_TOKEN_PATH`, else `$HF_HOME/token`, default `~/.cache/huggingface/token`).
public struct HubUploader: Sendable {
    /// The Hub's address (`HF_ENDPOINT`, default https://huggingface.co), without a trailing `/`.
    public var endpoint: String
    /// The access token sent to the Hub as `Authorization: Bearer`; never printed.
    public var token: String?
    /// Extra attempts after a dropped connection, a 5xx or a 429.
    public var retries: Int = 3
    /// Seconds before the first retry; doubled for each further one (a 429's Retry-After wins, capped).
    public var backoff: TimeInterval = 1
    /// Seconds without progress before a request is abandoned.
    public var timeout: TimeInterval = 60

    /// An uploader for `endpoint` (else `HF_ENDPOINT`) with `token` (else `HF_TOKEN`, else the login file).
    public init(endpoint: String? = nil, token: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        let hub = Hub(endpoint: endpoint, environment: environment)
        self.endpoint = hub.endpoint
        self.token = Self.resolveToken(token, environment: environment)
    }

    /// The token to send: the one given, else `HF_TOKEN`, else the login file.
    public static func resolveToken(_ given: String?, environment: [String: String]) -> String? {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        if let given = given?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty { return given }
        if let token = value("HF_TOKEN") ?? value("HUGGING_FACE_HUB_TOKEN") { return token }
        let home = value("HOME") ?? NSHomeDirectory()
        let hfHome = value("HF_HOME").map { Hub.expandTilde($0, home: home) }
            ?? (value("XDG_CACHE_HOME").map { Hub.expandTilde($0, home: home) } ?? home + "/.cache") + "/huggingface"
        let path = value("HF_TOKEN_PATH").map { Hub.expandTilde($0, home: home) } ?? hfHome + "/token"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    // MARK: The public calls

    /// Creates repository `id` (`owner/name`); one that exists already is fine when `existOk`.
    /// Returns the repository's URL.
    @discardableResult
    public func createRepo(_ id: String, type: RepoType = .model, private isPrivate: Bool? = nil,
                           existOk: Bool = true) throws -> String {
        try Hub.validate(repo: id, type: type)
        let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
        var body: [String: Any] = ["name": parts.count == 2 ? parts[1] : parts[0],
                                   "organization": parts.count == 2 ? parts[0] as Any : NSNull()]
        if let isPrivate { body["visibility"] = isPrivate ? "private" : "public" }
        if type != .model { body["type"] = type.rawValue }
        let url = try makeURL("/api/repos/create")
        let (head, data) = try send("POST", url, json: body, what: "creating \(type.rawValue) '\(id)'", repo: id,
                                    accept: [200, 201, 409])
        if head.status == 409 && !existOk {
            throw HubError("\(type.rawValue) '\(id)' exists already on \(endpoint) (409). Push to it with existOk, or choose another name.")
        }
        // The Hub answers with the repository's address, a 409 too ("You already created this
        // model repo", url): a name without an owner lives under the token's user there.
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let address = object["url"] as? String {
            return address
        }
        return endpoint + Self.prefix(type) + "/" + id
    }

    /// Creates repository `id` like `createRepo` and returns its full id, `owner/name`: the Hub
    /// puts a name without an owner under the token's user (Python takes `create_repo(...).repo_id`
    /// the same way), and every later call must name it so.
    public func createRepoReturningId(_ id: String, type: RepoType = .model, private isPrivate: Bool? = nil,
                                      existOk: Bool = true) throws -> String {
        let address = try createRepo(id, type: type, private: isPrivate, existOk: existOk)
        return repoId(fromURL: address, type: type) ?? id
    }

    /// The `owner/name` of a repository address this Hub gave (`{endpoint}[/datasets]/owner/name`),
    /// or nil when the address is not one.
    public func repoId(fromURL address: String, type: RepoType = .model) -> String? {
        var rest = address.hasPrefix(endpoint + "/") ? String(address.dropFirst(endpoint.count + 1))
            : (URL(string: address)?.path ?? address).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let typePrefix = Self.prefix(type).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !typePrefix.isEmpty, rest.hasPrefix(typePrefix + "/") { rest.removeFirst(typePrefix.count + 1) }
        let parts = rest.split(separator: "/").map(String.init)
        guard !parts.isEmpty, parts.count <= 2 else { return nil }
        let id = parts.joined(separator: "/")
        return (try? Hub.validate(repo: id, type: type)) == nil ? nil : id
    }

    /// How the server wants each file sent: true = through LFS.
    public func preupload(_ id: String, type: RepoType = .model, revision: String = "main",
                          files: [CommitFile]) throws -> [String: Bool] {
        var modes: [String: Bool] = [:]
        // huggingface_hub asks about 256 files at a time.
        for start in stride(from: 0, to: files.count, by: 256) {
            let chunk = files[start..<min(files.count, start + 256)]
            let body: [String: Any] = ["files": chunk.map { file -> [String: Any] in
                ["path": file.path, "size": file.contents.count,
                 "sample": file.contents.prefix(512).base64EncodedString()]
            }]
            let url = try makeURL("/api/\(type.rawValue)s/\(id)/preupload/\(HubAPI.escape(revision))")
            let (_, data) = try send("POST", url, json: body, what: "preparing the upload to \(type.rawValue) '\(id)'", repo: id)
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let answers = object["files"] as? [[String: Any]] else {
                throw HubError("\(url.absoluteString) did not answer with the files' upload modes; is HF_ENDPOINT (\(endpoint)) a Hugging Face Hub?")
            }
            for answer in answers {
                guard let path = answer["path"] as? String, let mode = answer["uploadMode"] as? String,
                      mode == "lfs" || mode == "regular" else {
                    throw HubError("\(url.absoluteString) answered a file without a valid uploadMode; is HF_ENDPOINT a Hugging Face Hub?")
                }
                modes[path] = mode == "lfs"
            }
        }
        for file in files where modes[file.path] == nil {
            throw HubError("the Hub did not say how to upload \(file.path) to '\(id)'; nothing was committed, try again")
        }
        return modes
    }

    /// Uploads `files` to `id` at `revision` in one commit: preupload, LFS uploads (all verified),
    /// then the commit. Nothing is committed unless every LFS upload succeeded.
    @discardableResult
    public func createCommit(_ id: String, type: RepoType = .model, revision: String = "main", files: [CommitFile],
                             summary: String, description: String = "") throws -> CommitInfo {
        try Hub.validate(repo: id, type: type)
        var seen = Set<String>()
        for file in files where !seen.insert(file.path).inserted {
            throw HubError("\(file.path) is twice in one commit to '\(id)'")
        }
        if let readme = files.first(where: { $0.path == "README.md" }) {
            try validateCard(readme, repo: id, type: type)
        }
        let lfs = files.isEmpty ? [:] : try preupload(id, type: type, revision: revision, files: files)
        let lfsFiles = files.filter { lfs[$0.path] == true }
        try uploadLFS(id, type: type, revision: revision, files: lfsFiles)

        var lines: [[String: Any]] = [["key": "header", "value": ["summary": summary, "description": description]]]
        for file in files {
            if lfs[file.path] == true {
                lines.append(["key": "lfsFile", "value": ["path": file.path, "algo": "sha256", "oid": file.sha256,
                                                         "size": file.contents.count]])
            } else {
                lines.append(["key": "file", "value": ["content": file.contents.base64EncodedString(),
                                                      "path": file.path, "encoding": "base64"]])
            }
        }
        var payload = Data()
        for line in lines {
            payload += try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])
            payload += Data("\n".utf8)
        }
        let url = try makeURL("/api/\(type.rawValue)s/\(id)/commit/\(HubAPI.escape(revision))")
        let (_, data) = try send("POST", url, body: payload, contentType: "application/x-ndjson",
                                 what: "committing to \(type.rawValue) '\(id)'", repo: id)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return CommitInfo(commitURL: object?["commitUrl"] as? String, commitOID: object?["commitOid"] as? String,
                          files: files.map(\.path), lfsFiles: lfsFiles.map(\.path))
    }

    /// Every file below `folder` (relative paths, sorted), except those `exclude` names. Hidden
    /// `.git` folders and `.cache/huggingface` are always left out, as huggingface_hub does.
    public static func files(in folder: URL, exclude: (String) -> Bool = { _ in false }) throws -> [CommitFile] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: folder.path) else {
            throw HubError("cannot read the folder \(folder.path)")
        }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = folder.appendingPathComponent(relative).path
            guard fm.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let components = relative.split(separator: "/")
            if components.contains(".git") || relative.hasPrefix(".cache/huggingface") || exclude(relative) { continue }
            paths.append(relative)
        }
        return try paths.sorted().map { relative in
            do {
                return CommitFile(path: relative, contents: try Data(contentsOf: folder.appendingPathComponent(relative)))
            } catch {
                throw HubError("cannot read \(folder.appendingPathComponent(relative).path) to upload it")
            }
        }
    }

    /// Uploads a folder in one commit (huggingface_hub's `upload_folder`), creating the repository if need be.
    @discardableResult
    public func uploadFolder(_ folder: URL, to id: String, type: RepoType = .model, revision: String = "main",
                             pathInRepo: String = "", commitMessage: String, commitDescription: String = "",
                             exclude: (String) -> Bool = { _ in false }) throws -> CommitInfo {
        var files = try Self.files(in: folder, exclude: exclude)
        if !pathInRepo.isEmpty {
            let base = pathInRepo.hasSuffix("/") ? pathInRepo : pathInRepo + "/"
            files = files.map { CommitFile(path: base + $0.path, contents: $0.contents) }
        }
        return try createCommit(id, type: type, revision: revision, files: files, summary: commitMessage,
                                description: commitDescription)
    }

    /// The Hub's check of a model card's YAML metadata, made before anything is uploaded.
    private func validateCard(_ readme: CommitFile, repo: String, type: RepoType) throws {
        let url = try makeURL("/api/validate-yaml")
        let content = String(decoding: readme.contents, as: UTF8.self)
        let (head, data) = try send("POST", url, json: ["content": content, "repoType": type.rawValue],
                                    what: "checking README.md's metadata for '\(repo)'", repo: repo, accept: [200, 400])
        if head.status == 400 {
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let errors = (object?["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            throw HubError("README.md's metadata (the YAML block at its top) is not valid for the Hub: "
                + (errors.isEmpty ? "no reason given" : errors.joined(separator: "; "))
                + ". Fix the model card; nothing was uploaded to '\(repo)'.")
        }
    }

    // MARK: LFS

    private func uploadLFS(_ id: String, type: RepoType, revision: String, files: [CommitFile]) throws {
        guard !files.isEmpty else { return }
        // One object per distinct content; huggingface_hub batches 256 objects per request.
        var byOID: [String: CommitFile] = [:]
        var order: [String] = []
        for file in files where byOID[file.sha256] == nil { byOID[file.sha256] = file; order.append(file.sha256) }
        let prefix = type == .dataset ? "/datasets/" : "/"
        let url = try makeURL("\(prefix)\(id).git/info/lfs/objects/batch")
        for start in stride(from: 0, to: order.count, by: 256) {
            let oids = Array(order[start..<min(order.count, start + 256)])
            let body: [String: Any] = [
                "operation": "upload", "transfers": ["basic", "multipart"], "hash_algo": "sha256",
                "objects": oids.map { ["oid": $0, "size": byOID[$0]!.contents.count] },
                "ref": ["name": revision],
            ]
            let (_, data) = try send("POST", url, json: body, contentType: "application/vnd.git-lfs+json",
                                     extraHeaders: ["Accept": "application/vnd.git-lfs+json"],
                                     what: "the LFS batch for '\(id)'", repo: id)
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let answers = object["objects"] as? [[String: Any]] else {
                throw HubError("\(url.absoluteString) did not answer with LFS actions; is HF_ENDPOINT (\(endpoint)) a Hugging Face Hub? Nothing was committed.")
            }
            for answer in answers {
                guard let oid = answer["oid"] as? String, let file = byOID[oid] else { continue }
                if let error = answer["error"] as? [String: Any] {
                    throw HubError("the Hub refused the LFS upload of \(file.path) (\(error["code"] ?? "?"): \(error["message"] ?? "")); "
                        + "nothing was committed to '\(id)'")
                }
                guard let actions = answer["actions"] as? [String: Any] else { continue }   // the server has it
                try uploadObject(file, actions: actions, repo: id)
            }
        }
    }

    private func uploadObject(_ file: CommitFile, actions: [String: Any], repo: String) throws {
        let what = "uploading \(file.path) (\(file.contents.count) bytes) to '\(repo)'"
        if let upload = actions["upload"] as? [String: Any] {
            guard let href = upload["href"] as? String, let target = URL(string: href) else {
                throw HubError("the LFS batch answered no upload address for \(file.path); nothing was committed to '\(repo)'")
            }
            let header = upload["header"] as? [String: Any] ?? [:]
            if let chunk = header["chunk_size"], let chunkSize = Int("\(chunk)"), chunkSize > 0 {
                let parts = header.compactMap { key, value -> (Int, String)? in
                    guard let number = Int(key), key.allSatisfy(\.isNumber), let address = value as? String else { return nil }
                    return (number, address)
                }.sorted { $0.0 < $1.0 }
                let expected = (file.contents.count + chunkSize - 1) / chunkSize
                guard parts.count == expected else {
                    throw HubError("the LFS batch offered \(parts.count) parts for \(file.path) but \(expected) are needed; nothing was committed to '\(repo)'")
                }
                var etags: [[String: Any]] = []
                for (index, part) in parts.enumerated() {
                    guard let partURL = URL(string: part.1) else { throw HubError("the LFS batch gave a bad part address for \(file.path)") }
                    let start = index * chunkSize
                    let slice = file.contents.subdata(in: start..<min(file.contents.count, start + chunkSize))
                    let (head, _) = try send("PUT", partURL, body: slice, withToken: false,
                                             what: "\(what), part \(index + 1) of \(parts.count)", repo: repo)
                    guard let etag = head["etag"], !etag.isEmpty else {
                        throw HubError("part \(index + 1) of \(file.path) was stored without an ETag; nothing was committed to '\(repo)', try again")
                    }
                    etags.append(["partNumber": index + 1, "etag": etag])
                }
                _ = try send("POST", target, json: ["oid": file.sha256, "parts": etags], contentType: "application/vnd.git-lfs+json",
                             extraHeaders: ["Accept": "application/vnd.git-lfs+json"], withToken: false,
                             what: "completing the upload of \(file.path) to '\(repo)'", repo: repo)
            } else {
                _ = try send("PUT", target, body: file.contents, withToken: false, what: what, repo: repo)
            }
        }
        if let verify = actions["verify"] as? [String: Any] {
            guard let href = verify["href"] as? String, let target = URL(string: href) else {
                throw HubError("the LFS batch answered no verify address for \(file.path); nothing was committed to '\(repo)'")
            }
            var headers: [String: String] = [:]
            for (key, value) in verify["header"] as? [String: Any] ?? [:] { headers[key] = "\(value)" }
            _ = try send("POST", target, json: ["oid": file.sha256, "size": file.contents.count],
                         contentType: "application/vnd.git-lfs+json", extraHeaders: headers,
                         withToken: HTTPTransfer.sameOrigin(target, URL(string: endpoint)),
                         what: "verifying the upload of \(file.path) to '\(repo)'", repo: repo)
        }
    }

    // MARK: HTTP

    static func prefix(_ type: RepoType) -> String { type == .dataset ? "/datasets" : "" }

    private func makeURL(_ path: String) throws -> URL {
        guard let url = URL(string: endpoint + path) else { throw HubError("cannot make a URL from \(endpoint)\(path)") }
        return url
    }

    private func send(_ method: String, _ url: URL, json: Any, contentType: String = "application/json",
                      extraHeaders: [String: String] = [:], withToken: Bool = true, what: String, repo: String,
                      accept: Set<Int> = [200, 201]) throws -> (HTTPHead, Data) {
        let body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])
        return try send(method, url, body: body, contentType: contentType, extraHeaders: extraHeaders,
                        withToken: withToken, what: what, repo: repo, accept: accept)
    }

    /// One request with retries: a dropped connection, a 5xx or a 429 is tried again (at most
    /// `retries` more times, waiting `backoff`, doubled each time, or the 429's Retry-After up to a
    /// minute). Any other answer outside `accept` is an error that says what to do.
    private func send(_ method: String, _ url: URL, body: Data, contentType: String? = nil,
                      extraHeaders: [String: String] = [:], withToken: Bool = true, what: String, repo: String,
                      accept: Set<Int> = [200, 201]) throws -> (HTTPHead, Data) {
        var attempt = 0
        while true {
            var request = HTTPTransfer.request(url, method: method, token: withToken ? token : nil, timeout: timeout)
            request.httpBody = body
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
            for (key, value) in extraHeaders where key.lowercased() != "authorization" || withToken {
                request.setValue(value, forHTTPHeaderField: key)
            }
            var received = Data()
            var wait = backoff * pow(2, Double(attempt))
            do {
                let heads = try HTTPTransfer.run(request, redirects: .sameOrigin) { _, chunk in
                    received.append(chunk)
                    return received.count < 64 << 20
                }
                guard let head = heads.last else { throw TransferError(description: "no response") }
                if accept.contains(head.status) { return (head, received) }
                let retriable = head.status >= 500 || head.status == 429
                if !retriable || attempt >= retries { throw statusError(head, body: received, url: url, what: what, repo: repo) }
                if head.status == 429, let after = head["retry-after"].flatMap(TimeInterval.init) { wait = min(after, 60) }
            } catch let error as TransferError {
                guard attempt < retries else {
                    throw HubError(redact("\(what) failed: cannot reach \(url.host ?? "the server"): \(error.description), after \(attempt + 1) attempts. "
                        + (what.hasPrefix("committing") ? "The commit may not have been made; check the repository, then "
                            : "Nothing was committed; check the network and ") + "run the push again."))
                }
            }
            attempt += 1
            Thread.sleep(forTimeInterval: wait)
        }
    }

    private func statusError(_ head: HTTPHead, body: Data, url: URL, what: String, repo: String) -> HubError {
        let serverSays = Self.serverMessage(head, body).map { " The Hub says: \($0)." } ?? ""
        let text: String
        switch head.status {
        case 401:
            text = "\(what): the Hub answered 401, the token is missing or not valid.\(serverSays) Set HF_TOKEN, pass hubToken, "
                + "or run `huggingface-cli login` (it writes the token file under HF_HOME); the token needs write access."
        case 403:
            text = "\(what): the Hub answered 403, the token may not write to '\(repo)'.\(serverSays) Use a token with write access "
                + "to that namespace (a fine-grained token needs it granted), or push to your own namespace."
        case 404:
            text = "\(what): the Hub answered 404, it has no repository '\(repo)' (creating it did not make it).\(serverSays) "
                + "Check the name and that the token may create repositories there."
        case 409:
            text = "\(what): the Hub answered 409 (a conflict: the branch moved or the repository exists).\(serverSays) Run the push again."
        case 413:
            text = "\(what): the Hub answered 413, the request is too large.\(serverSays) Large files must go through LFS; "
                + "upload fewer or smaller files at once."
        case 429:
            let after = head["retry-after"].map { " (it asks to wait \($0) s)" } ?? ""
            text = "\(what): the Hub answered 429, too many requests\(after).\(serverSays) Wait and run the push again."
        case 500...:
            text = "\(what): the Hub answered HTTP \(head.status) after \(retries + 1) attempts.\(serverSays) Try again later."
        default:
            text = "\(what): \(url.host ?? "the server") answered HTTP \(head.status).\(serverSays) Is HF_ENDPOINT (\(endpoint)) a Hugging Face Hub?"
        }
        return HubError(redact(text + (what.hasPrefix("committing") ? "" : " Nothing was committed.")))
    }

    /// The server's own explanation: `X-Error-Message`, else a JSON body's `error`.
    static func serverMessage(_ head: HTTPHead, _ body: Data) -> String? {
        if let message = head["x-error-message"], !message.isEmpty { return String(message.prefix(300)) }
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let message = object["error"] as? String {
            return String(message.prefix(300))
        }
        return nil
    }

    /// Never lets the token into a message, whatever a server echoes.
    private func redact(_ text: String) -> String {
        guard let token, !token.isEmpty else { return text }
        return text.replacingOccurrences(of: token, with: "<token>")
    }
}
