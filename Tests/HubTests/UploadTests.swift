import Foundation
import Testing
import TestSupport
@testable import Hub

// Uploads against a local Hub (TestSupport/TestHub.swift): the calls huggingface_hub makes, in
// its order; LFS basic and multipart; faults that must leave the repository as it was; the token
// sent only where it belongs and never in a message.

let uploadToken = "hf_TestSecretToken0123456789abcdefXYZ"

func testUploader(_ hub: TestHub, token: String? = uploadToken, retries: Int = 2) -> HubUploader {
    var uploader = HubUploader(endpoint: hub.baseURL, token: token, environment: [:])
    uploader.retries = retries
    uploader.backoff = 0.01
    uploader.timeout = 5
    return uploader
}

/// A small model folder: two regular files, one LFS by name, one LFS by size, one in a subfolder.
func modelFolder(_ root: URL) throws -> [String: [UInt8]] {
    let files: [String: [UInt8]] = [
        "config.json": Array("{\"model_type\": \"bert\"}\n".utf8),
        "README.md": Array("---\nlicense: apache-2.0\n---\n# tiny\n".utf8),
        "model.safetensors": bytes(3_000, seed: 3),
        "big.txt": bytes(25_000, seed: 4),
        "sub/notes.txt": Array("hello\n".utf8),
    ]
    for (path, body) in files {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(body).write(to: url)
    }
    return files
}

func ndjson(_ request: TestHTTPServer.Request) -> [[String: Any]] {
    request.body.split(separator: UInt8(ascii: "\n")).compactMap {
        try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
    }
}

func bodyJSON(_ request: TestHTTPServer.Request) -> [String: Any] {
    ((try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]) ?? [:]
}

@Suite struct UploadTests {
    @Test func createAndUploadFolderMakesHuggingFaceHubsCallsThenDownloadsBack() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let folder = root.appendingPathComponent("out")
        let files = try modelFolder(folder)
        let uploader = testUploader(hub)

        let url = try uploader.createRepo("me/tiny", private: true)
        #expect(url == "\(hub.baseURL)/me/tiny")
        let info = try uploader.uploadFolder(folder, to: "me/tiny", commitMessage: "Upload model")
        #expect(info.files == ["README.md", "big.txt", "config.json", "model.safetensors", "sub/notes.txt"])
        #expect(info.lfsFiles == ["big.txt", "model.safetensors"])
        #expect(info.commitOID == hub.commitID(1))

        let log = hub.log
        #expect(log.map { "\($0.method) \($0.path)" } == [
            "POST /api/repos/create",
            "POST /api/validate-yaml",
            "POST /api/models/me/tiny/preupload/main",
            "POST /me/tiny.git/info/lfs/objects/batch",
            "PUT /lfs-upload/\(sha256(files["big.txt"]!))",
            "POST /lfs-verify/\(sha256(files["big.txt"]!))",
            "PUT /lfs-upload/\(sha256(files["model.safetensors"]!))",
            "POST /lfs-verify/\(sha256(files["model.safetensors"]!))",
            "POST /api/models/me/tiny/commit/main",
        ])
        // The token goes to the Hub's API and verify; never to the upload addresses.
        for request in log {
            #expect(request.authorization == (request.method == "PUT" ? nil : "Bearer \(uploadToken)"), "\(request.path)")
        }
        let create = bodyJSON(log[0])
        #expect(create["name"] as? String == "me/tiny".split(separator: "/").last.map(String.init))
        #expect(create["organization"] as? String == "me")
        #expect(create["visibility"] as? String == "private")
        #expect(create["type"] == nil)
        let preupload = bodyJSON(log[2])["files"] as? [[String: Any]] ?? []
        #expect(preupload.map { $0["path"] as? String } == info.files)
        #expect(preupload.first { $0["path"] as? String == "big.txt" }?["sample"] as? String
                == Data(files["big.txt"]!.prefix(512)).base64EncodedString())
        let batch = bodyJSON(log[3])
        #expect(batch["operation"] as? String == "upload")
        #expect(batch["transfers"] as? [String] == ["basic", "multipart"])
        #expect(batch["hash_algo"] as? String == "sha256")
        #expect((batch["ref"] as? [String: Any])?["name"] as? String == "main")
        #expect(log[3].headers["accept"] == "application/vnd.git-lfs+json")
        #expect(log[5].headers["x-verify"] == "yes")

        let lines = ndjson(log[8])
        #expect(log[8].headers["content-type"] == "application/x-ndjson")
        #expect(lines.count == 6)
        #expect(lines[0]["key"] as? String == "header")
        #expect((lines[0]["value"] as? [String: Any])?["summary"] as? String == "Upload model")
        let big = lines.first { ($0["value"] as? [String: Any])?["path"] as? String == "big.txt" }
        #expect(big?["key"] as? String == "lfsFile")
        #expect((big?["value"] as? [String: Any])?["oid"] as? String == sha256(files["big.txt"]!))
        #expect((big?["value"] as? [String: Any])?["size"] as? Int == 25_000)
        #expect((big?["value"] as? [String: Any])?["algo"] as? String == "sha256")
        let config = lines.first { ($0["value"] as? [String: Any])?["path"] as? String == "config.json" }
        #expect(config?["key"] as? String == "file")
        #expect((config?["value"] as? [String: Any])?["encoding"] as? String == "base64")
        #expect((config?["value"] as? [String: Any])?["content"] as? String == Data(files["config.json"]!).base64EncodedString())

        // What the Hub now holds is byte for byte what was pushed, and the toolkit's own
        // downloader reads it back into an empty cache.
        #expect(hub.repos["me/tiny"] == files)
        var download = testHub(cache: root.appendingPathComponent("cache"), endpoint: hub.baseURL)
        download.token = uploadToken
        let directory = try download.snapshot(of: "me/tiny", files: files.keys.sorted())
        for (path, body) in files {
            #expect(sha256(contents(directory.appendingPathComponent(path))) == sha256(body), "\(path)")
        }
    }

    @Test func existingRepositoryIsFineAndKnownObjectsAreNotUploadedAgain() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let files = try modelFolder(root)
        let uploader = testUploader(hub)
        try uploader.createRepo("me/tiny")
        try uploader.uploadFolder(root, to: "me/tiny", commitMessage: "first")
        let before = hub.log.count
        try uploader.createRepo("me/tiny")                    // 409: exists, fine
        #expect(throws: HubError.self) { try uploader.createRepo("me/tiny", existOk: false) }
        try uploader.uploadFolder(root, to: "me/tiny", commitMessage: "second")
        let again = hub.log[before...]
        #expect(!again.contains { $0.method == "PUT" }, "\(again.map(\.path))")
        #expect(hub.commits.map(\.summary) == ["first", "second"])
        #expect(hub.repos["me/tiny"] == files)
    }

    @Test func multipartUploadSendsPartsThenCompletion() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        hub.chunkSize = 10_000
        let uploader = testUploader(hub)
        let big = bytes(25_000, seed: 9)
        try uploader.createRepo("me/parts")
        let info = try uploader.createCommit("me/parts", files: [CommitFile(path: "weights.bin", contents: Data(big))],
                                             summary: "parts")
        #expect(info.lfsFiles == ["weights.bin"])
        let oid = sha256(big)
        #expect(hub.log.map { "\($0.method) \($0.path)" }.filter { $0.contains(oid) } == [
            "PUT /lfs-part/\(oid)/1", "PUT /lfs-part/\(oid)/2", "PUT /lfs-part/\(oid)/3",
            "POST /lfs-upload/\(oid)", "POST /lfs-verify/\(oid)",
        ])
        #expect(hub.log.filter { $0.path.hasPrefix("/lfs-part/") }.map(\.body.count) == [10_000, 10_000, 5_000])
        let completion = bodyJSON(hub.log.first { $0.method == "POST" && $0.path.hasPrefix("/lfs-upload/") }!)
        #expect(completion["oid"] as? String == oid)
        #expect((completion["parts"] as? [[String: Any]])?.map { $0["etag"] as? String } == ["\"etag-1\"", "\"etag-2\"", "\"etag-3\""])
        #expect(hub.repos["me/parts"]?["weights.bin"] == big)
    }

    @Test func droppedConnectionDuringLFSPutIsRetried() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        hub.droppedUploads = 1
        let uploader = testUploader(hub)
        let weights = bytes(4_000, seed: 5)
        try uploader.createRepo("me/flaky")
        try uploader.createCommit("me/flaky", files: [CommitFile(path: "model.safetensors", contents: Data(weights))],
                                  summary: "flaky")
        #expect(hub.log.filter { $0.method == "PUT" }.count == 2)
        #expect(hub.repos["me/flaky"]?["model.safetensors"] == weights)
    }

    @Test func droppedConnectionDuringAPartResendsOnlyThatPart() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        hub.chunkSize = 10_000
        hub.droppedUploads = 1
        let uploader = testUploader(hub)
        let big = bytes(25_000, seed: 10)
        try uploader.createRepo("me/parts")
        try uploader.createCommit("me/parts", files: [CommitFile(path: "weights.bin", contents: Data(big))], summary: "parts")
        // Part 1 is cut and sent again; parts 2 and 3 once each.
        #expect(hub.log.filter { $0.method == "PUT" }.map { $0.path.split(separator: "/").last.map(String.init) ?? "" }
                == ["1", "1", "2", "3"])
        #expect(hub.repos["me/parts"]?["weights.bin"] == big)
    }

    @Test func failuresBeforeTheCommitLeaveTheRepositoryUnchanged() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        let existing: [String: [UInt8]] = ["config.json": Array("{}".utf8)]
        hub.seed("me/safe", files: existing)
        let files = [CommitFile(path: "config.json", contents: Data("{\"a\": 1}".utf8)),
                     CommitFile(path: "model.safetensors", contents: Data(bytes(2_000, seed: 6)))]
        let uploader = testUploader(hub, retries: 1)

        // An LFS verify that fails.
        hub.verifyFails = true
        var error = #expect(throws: HubError.self) { try uploader.createCommit("me/safe", files: files, summary: "x") }
        #expect(error?.description.contains("model.safetensors") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("Nothing was committed") == true, "\(error?.description ?? "")")
        hub.verifyFails = false

        // Uploads that keep failing (5xx, retried then given up), and connections cut every time.
        hub.faults["upload"] = [500, 500]
        error = #expect(throws: HubError.self) { try uploader.createCommit("me/safe", files: files, summary: "x") }
        #expect(error?.description.contains("model.safetensors") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("after 2 attempts") == true, "\(error?.description ?? "")")
        hub.droppedUploads = 2
        error = #expect(throws: HubError.self) { try uploader.createCommit("me/safe", files: files, summary: "x") }
        #expect(error?.description.contains("the connection was lost") == true || error?.description.contains("cannot reach") == true,
                "\(error?.description ?? "")")

        #expect(!hub.log.contains { $0.path.contains("/commit/") })
        #expect(hub.commits.isEmpty)
        #expect(hub.repos["me/safe"] == existing)
    }

    @Test func answersAUserCanActOn() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        let files = [CommitFile(path: "config.json", contents: Data("{}".utf8))]

        // 401: no token, or a wrong one.
        var error = #expect(throws: HubError.self) { try testUploader(hub, token: nil).createRepo("me/a") }
        #expect(error?.description.contains("401") == true && error?.description.contains("HF_TOKEN") == true
                && error?.description.contains("huggingface-cli login") == true, "\(error?.description ?? "")")
        // 403 on creation names the repository.
        hub.faults["create"] = [403]
        error = #expect(throws: HubError.self) { try testUploader(hub).createRepo("other/b") }
        #expect(error?.description.contains("'other/b'") == true && error?.description.contains("write access") == true,
                "\(error?.description ?? "")")
        // 404: the repository creation could not make.
        error = #expect(throws: HubError.self) { try testUploader(hub).createCommit("me/missing", files: files, summary: "x") }
        #expect(error?.description.contains("404") == true && error?.description.contains("'me/missing'") == true,
                "\(error?.description ?? "")")
        // 413 on the commit.
        try testUploader(hub).createRepo("me/c")
        hub.faults["commit"] = [413]
        error = #expect(throws: HubError.self) { try testUploader(hub).createCommit("me/c", files: files, summary: "x") }
        #expect(error?.description.contains("413") == true && error?.description.contains("too large") == true,
                "\(error?.description ?? "")")
        // 429 and 503 are retried; given up, 429 says to wait.
        hub.faults["preupload"] = [429, 503]
        try testUploader(hub).createCommit("me/c", files: files, summary: "after retries")
        #expect(hub.commits.last?.summary == "after retries")
        hub.faults["preupload"] = [429, 429, 429]
        error = #expect(throws: HubError.self) { try testUploader(hub).createCommit("me/c", files: files, summary: "x") }
        #expect(error?.description.contains("429") == true && error?.description.contains("Wait") == true,
                "\(error?.description ?? "")")
        // A server that is not a Hub.
        let plain = try TestHTTPServer()
        defer { plain.stop() }
        plain.route("/api/models/me/c/preupload/main", TestHTTPServer.Route(body: Array("<html>".utf8)))
        var other = HubUploader(endpoint: plain.baseURL, token: uploadToken, environment: [:])
        other.retries = 0
        error = #expect(throws: HubError.self) { try other.createCommit("me/c", files: files, summary: "x") }
        #expect(error?.description.contains("Hugging Face Hub") == true, "\(error?.description ?? "")")
    }

    @Test func tokenComesFromArgumentThenEnvironmentThenLoginFile() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        try Data("hf_fromfile\n".utf8).write(to: root.appendingPathComponent("token"))
        let environment = ["HF_HOME": root.path, "HOME": "/nonexistent"]
        #expect(HubUploader.resolveToken("hf_given", environment: environment.merging(["HF_TOKEN": "hf_env"]) { a, _ in a }) == "hf_given")
        #expect(HubUploader.resolveToken(nil, environment: environment.merging(["HF_TOKEN": "hf_env"]) { a, _ in a }) == "hf_env")
        #expect(HubUploader.resolveToken(nil, environment: environment) == "hf_fromfile")
        #expect(HubUploader.resolveToken(nil, environment: ["HOME": root.path]) == nil)
        #expect(HubUploader(endpoint: "http://x", environment: environment).token == "hf_fromfile")
        #expect(HubUploader(environment: ["HF_ENDPOINT": "http://127.0.0.1:1/", "HOME": root.path]).endpoint == "http://127.0.0.1:1")
    }

    @Test func tokenNeverAppearsInErrorsOrFiles() throws {
        let hub = try TestHub(token: uploadToken)
        defer { hub.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        _ = try modelFolder(root.appendingPathComponent("out"))
        var produced: [String] = []
        // A server that echoes the token in its error message must not get it into ours.
        let echo = try TestHTTPServer()
        defer { echo.stop() }
        echo.route("/api/repos/create", TestHTTPServer.Route(status: 400, headers: ["X-Error-Message": "bad token \(uploadToken)"]))
        var echoing = HubUploader(endpoint: echo.baseURL, token: uploadToken, environment: [:])
        echoing.retries = 0
        do { try echoing.createRepo("me/x") } catch { produced.append("\(error)") }
        for status in [401, 403, 413, 429, 500] {
            hub.faults["create"] = [status, status, status]
            do { try testUploader(hub).createRepo("me/t") } catch { produced.append("\(error)") }
        }
        hub.faults["create"] = []
        try testUploader(hub).createRepo("me/t")
        hub.verifyFails = true
        do { try testUploader(hub).uploadFolder(root.appendingPathComponent("out"), to: "me/t", commitMessage: "x") }
        catch { produced.append("\(error)") }
        hub.verifyFails = false
        let info = try testUploader(hub).uploadFolder(root.appendingPathComponent("out"), to: "me/t", commitMessage: "x")
        produced.append("\(info)")
        #expect(produced.count == 8)
        for text in produced { #expect(!text.contains(uploadToken), "\(text)") }
        for path in tree(root) { #expect(!String(decoding: contents(root.appendingPathComponent(path)), as: UTF8.self).contains(uploadToken)) }
        // Nor in anything sent to the Hub except the Authorization header.
        for request in hub.log { #expect(!String(decoding: request.body, as: UTF8.self).contains(uploadToken)) }
    }
}

/// The Hub puts a repository named without an owner under the token's user, and answers with its
/// address, a 409 for one that exists too: `createRepoReturningId` gives the `owner/name` to push to.
@Test func aRepositoryWithoutOwnerIsTheTokensUsers() throws {
    let hub = try TestHub(token: uploadToken)
    defer { hub.stop() }
    hub.userNamespace = "me"
    let uploader = testUploader(hub)
    #expect(try uploader.createRepoReturningId("tiny") == "me/tiny")
    #expect(try uploader.createRepoReturningId("tiny") == "me/tiny", "a 409 answer names the repository too")
    #expect(try uploader.createRepoReturningId("org/other") == "org/other")
    #expect(uploader.repoId(fromURL: hub.baseURL + "/datasets/me/data", type: .dataset) == "me/data")
    #expect(uploader.repoId(fromURL: "https://huggingface.co/me/tiny") == "me/tiny")
    #expect(uploader.repoId(fromURL: "https://huggingface.co/a/b/c") == nil)
}
