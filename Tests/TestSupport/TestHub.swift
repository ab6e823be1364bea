import Digest
import Foundation

// A Hub that accepts uploads, on top of TestHTTPServer: repository creation, preupload, the LFS
// batch with basic or multipart transfers and verify, the NDJSON commit, and serving committed
// files back at /{repo}/resolve/main/{path} (with ETag, X-Repo-Commit and, for LFS files, the
// sha256 as X-Linked-Etag, as the real Hub does) so the downloader can read what was pushed.
// Faults can be planned per endpoint; the repository changes only when a commit is accepted.

public final class TestHub: @unchecked Sendable {
    public let server: TestHTTPServer
    private let lock = NSLock()

    /// The token a request must carry (`Authorization: Bearer …`); nil accepts any.
    public var token: String?
    /// Files at least this large, or named *.safetensors / *.bin, go through LFS.
    public var lfsThreshold = 10_000
    /// Multipart LFS transfers with this chunk size; nil: one PUT.
    public var chunkSize: Int?
    /// Answer each LFS upload with a verify action.
    public var verifies = true
    /// Statuses to answer instead of serving, per endpoint ("create", "preupload", "batch",
    /// "upload", "verify", "commit"), consumed one per request.
    public var faults: [String: [Int]] = [:]
    /// LFS PUTs to cut (read the body, then close without an answer).
    public var droppedUploads = 0
    /// The verify step says the object is wrong.
    public var verifyFails = false
    /// The token's user, as the real Hub knows it: a repository created without an owner goes
    /// under it (`name` → `user/name`). nil: the name is kept as given.
    public var userNamespace: String?

    /// Repositories and their files at the last commit.
    public private(set) var repos: [String: [String: [UInt8]]] = [:]
    public private(set) var commits: [(repo: String, summary: String, files: [String])] = []
    /// LFS objects uploaded (by sha256), and those verified.
    public private(set) var objects: [String: [UInt8]] = [:]
    /// Objects the Hub counts as stored: verified, or uploaded when there is no verify step.
    public private(set) var confirmed: Set<String> = []
    private var parts: [String: [Int: [UInt8]]] = [:]

    public var baseURL: String { server.baseURL }
    public var log: [TestHTTPServer.Request] { server.log }

    public init(token: String? = nil, lifetime: TimeInterval = 60) throws {
        server = try TestHTTPServer(lifetime: lifetime)
        self.token = token
        server.handle { [unowned self] request in self.answer(request) }
    }

    public func stop() { server.stop() }

    /// A repository that exists already, with files.
    public func seed(_ repo: String, files: [String: [UInt8]] = [:]) {
        lock.lock(); repos[repo] = files; lock.unlock()
    }

    public func commitID(_ count: Int) -> String {
        let hex = String(count, radix: 16)
        return String(repeating: "0", count: 40 - hex.count) + hex
    }

    private func fault(_ endpoint: String) -> TestHTTPServer.Response? {
        guard var planned = faults[endpoint], !planned.isEmpty else { return nil }
        let status = planned.removeFirst()
        faults[endpoint] = planned
        var headers: [String: String] = ["X-Error-Message": "planned \(status)"]
        if status == 429 { headers["Retry-After"] = "0" }
        return TestHTTPServer.Response(status: status, headers: headers, body: Array("{\"error\":\"planned \(status)\"}".utf8))
    }

    private func authorized(_ request: TestHTTPServer.Request) -> Bool {
        guard let token else { return true }
        return request.authorization == "Bearer \(token)"
    }

    private func json(_ request: TestHTTPServer.Request) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]) ?? [:]
    }

    private func isLFS(_ path: String, size: Int) -> Bool {
        size >= lfsThreshold || path.hasSuffix(".safetensors") || path.hasSuffix(".bin")
    }

    private func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Response? {
        lock.lock(); defer { lock.unlock() }
        let path = request.path.split(separator: "?").first.map(String.init) ?? request.path
        let unauthorized = TestHTTPServer.Response.json(["error": "Invalid credentials"], status: 401)
        if request.method == "POST", path == "/api/repos/create" {
            if let fault = fault("create") { return fault }
            guard authorized(request) else { return unauthorized }
            let body = json(request)
            let name = body["name"] as? String ?? ""
            let owner = (body["organization"] as? String) ?? userNamespace
            let repo = owner.map { "\($0)/\(name)" } ?? name
            if repos[repo] != nil { return .json(["error": "You already created this model repo", "url": "\(baseURL)/\(repo)"], status: 409) }
            repos[repo] = [:]
            return .json(["url": "\(baseURL)/\(repo)"])
        }
        if request.method == "POST", path == "/api/validate-yaml" {
            guard authorized(request) else { return unauthorized }
            let content = json(request)["content"] as? String ?? ""
            if content.hasPrefix("---\n"), !content.dropFirst(4).contains("\n---") {
                return .json(["errors": [["message": "metadata block is not closed"]], "warnings": []], status: 400)
            }
            return .json(["errors": [], "warnings": []])
        }
        if request.method == "POST", let repo = between(path, "/api/models/", "/preupload/") {
            if let fault = fault("preupload") { return fault }
            guard authorized(request) else { return unauthorized }
            guard repos[repo] != nil else { return .json(["error": "Repository not found"], status: 404) }
            let files = json(request)["files"] as? [[String: Any]] ?? []
            return .json(["files": files.map { file -> [String: Any] in
                let name = file["path"] as? String ?? ""
                return ["path": name, "uploadMode": isLFS(name, size: file["size"] as? Int ?? 0) ? "lfs" : "regular",
                        "shouldIgnore": false]
            }])
        }
        if request.method == "POST", path.hasSuffix(".git/info/lfs/objects/batch") {
            if let fault = fault("batch") { return fault }
            guard authorized(request) else { return unauthorized }
            let objectsAsked = json(request)["objects"] as? [[String: Any]] ?? []
            var answers: [[String: Any]] = []
            for object in objectsAsked {
                let oid = object["oid"] as? String ?? "", size = object["size"] as? Int ?? 0
                if confirmed.contains(oid) { answers.append(["oid": oid, "size": size]); continue }
                var upload: [String: Any] = ["href": "\(baseURL)/lfs-upload/\(oid)"]
                if let chunkSize {
                    var header: [String: Any] = ["chunk_size": "\(chunkSize)"]
                    for part in 0..<((size + chunkSize - 1) / chunkSize) { header["\(part + 1)"] = "\(baseURL)/lfs-part/\(oid)/\(part + 1)" }
                    upload["header"] = header
                }
                var actions: [String: Any] = ["upload": upload]
                if verifies { actions["verify"] = ["href": "\(baseURL)/lfs-verify/\(oid)", "header": ["X-Verify": "yes"]] }
                answers.append(["oid": oid, "size": size, "actions": actions])
            }
            return .json(["transfer": chunkSize == nil ? "basic" : "multipart", "objects": answers])
        }
        if request.method == "PUT", path.hasPrefix("/lfs-upload/") || path.hasPrefix("/lfs-part/") {
            if let fault = fault("upload") { return fault }
            if droppedUploads > 0 { droppedUploads -= 1; return TestHTTPServer.Response(dropConnection: true) }
            let fields = path.split(separator: "/").map(String.init)
            if fields[0] == "lfs-upload" {
                objects[fields[1]] = request.body
                if !verifies { confirmed.insert(fields[1]) }
                return TestHTTPServer.Response()
            }
            parts[fields[1], default: [:]][Int(fields[2]) ?? 0] = request.body
            return TestHTTPServer.Response(headers: ["ETag": "\"etag-\(fields[2])\""])
        }
        if request.method == "POST", path.hasPrefix("/lfs-upload/") {       // multipart completion
            let oid = String(path.dropFirst("/lfs-upload/".count))
            let listed = json(request)["parts"] as? [[String: Any]] ?? []
            let stored = parts[oid] ?? [:]
            var whole: [UInt8] = []
            for part in listed {
                guard let number = part["partNumber"] as? Int, part["etag"] as? String == "\"etag-\(number)\"",
                      let bytes = stored[number] else { return .json(["error": "bad part"], status: 400) }
                whole += bytes
            }
            objects[oid] = whole
            if !verifies { confirmed.insert(oid) }
            return TestHTTPServer.Response()
        }
        if request.method == "POST", path.hasPrefix("/lfs-verify/") {
            if let fault = fault("verify") { return fault }
            guard authorized(request) else { return unauthorized }
            let oid = String(path.dropFirst("/lfs-verify/".count))
            if verifyFails { return .json(["error": "object \(oid) is corrupt"], status: 422) }
            guard let bytes = objects[oid], bytes.count == json(request)["size"] as? Int else {
                return .json(["error": "object \(oid) not found"], status: 404)
            }
            confirmed.insert(oid)
            return TestHTTPServer.Response()
        }
        if request.method == "POST", let repo = between(path, "/api/models/", "/commit/") {
            if let fault = fault("commit") { return fault }
            guard authorized(request) else { return unauthorized }
            guard var files = repos[repo] else { return .json(["error": "Repository not found"], status: 404) }
            guard request.headers["content-type"] == "application/x-ndjson" else { return .json(["error": "not ndjson"], status: 400) }
            var summary = ""
            var changed: [String] = []
            var staged = files
            for line in request.body.split(separator: UInt8(ascii: "\n")) {
                guard let item = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let key = item["key"] as? String, let value = item["value"] as? [String: Any] else {
                    return .json(["error": "bad line"], status: 400)
                }
                switch key {
                case "header": summary = value["summary"] as? String ?? ""
                case "file":
                    guard let name = value["path"] as? String, let content = value["content"] as? String,
                          let bytes = Data(base64Encoded: content) else { return .json(["error": "bad file"], status: 400) }
                    staged[name] = Array(bytes); changed.append(name)
                case "lfsFile":
                    guard let name = value["path"] as? String, let oid = value["oid"] as? String, confirmed.contains(oid), let bytes = objects[oid] else {
                        return .json(["error": "LFS object missing"], status: 400)
                    }
                    staged[name] = bytes; changed.append(name)
                default: return .json(["error": "unknown key \(key)"], status: 400)
                }
            }
            files = staged
            repos[repo] = files
            commits.append((repo, summary, changed))
            let commit = commitID(commits.count)
            return .json(["commitUrl": "\(baseURL)/\(repo)/commit/\(commit)", "commitOid": commit])
        }
        if request.method == "GET" || request.method == "HEAD", let range = path.range(of: "/resolve/main/") {
            let repo = String(path[path.index(after: path.startIndex)..<range.lowerBound])
            let name = String(path[range.upperBound...]).removingPercentEncoding ?? ""
            guard let bytes = repos[repo]?[name] else {
                return TestHTTPServer.Response(status: 404, headers: ["X-Error-Code": "EntryNotFound"])
            }
            var headers = ["X-Repo-Commit": commitID(max(commits.count, 1)), "ETag": "\"git-\(name.hashValue & 0xffffff)\""]
            if isLFS(name, size: bytes.count) { headers["X-Linked-Etag"] = "\"\(TestHub.sha256(bytes))\"" }
            if request.range != nil { return nil }   // not needed by these tests
            return TestHTTPServer.Response(headers: headers, body: bytes)
        }
        return nil
    }

    private func between(_ path: String, _ start: String, _ end: String) -> String? {
        guard path.hasPrefix(start), let range = path.range(of: end) else { return nil }
        return String(path[path.index(path.startIndex, offsetBy: start.count)..<range.lowerBound])
    }

    public static func sha256(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}
