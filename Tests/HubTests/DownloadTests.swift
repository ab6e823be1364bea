import Foundation
import Testing
import TestSupport
@testable import Hub

// Downloads from a local HTTP server standing in for the Hub: cache layout, LFS redirects,
// resuming after a dropped connection, and rejection of corrupted or truncated files.

@Suite struct DownloadTests {
    @Test func plainDownloadFillsTheHubCacheLayout() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = Array(#"{"hidden_size": 384}"#.utf8)
        server.file("/owner/tiny/resolve/main/config.json", body,
                    headers: ["ETag": "\"f00d\"", "X-Repo-Commit": commitA])
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let url = try hub.file("config.json", in: "owner/tiny")

        #expect(contents(url) == body)
        #expect(url.path == root.path + "/models--owner--tiny/snapshots/\(commitA)/config.json")
        #expect(tree(root.appendingPathComponent("models--owner--tiny")) == [
            "blobs/f00d",
            "refs/main",
            "snapshots/\(commitA)/config.json -> ../../blobs/f00d",
        ])
        #expect(String(decoding: contents(root.appendingPathComponent("models--owner--tiny/refs/main")), as: UTF8.self) == commitA)
        #expect(server.log.map(\.method) == ["HEAD", "GET"])
        #expect(server.log.allSatisfy { $0.range == nil })
    }

    @Test func lfsRedirectToACdnGivesSha256AndSizeAndKeepsTheTokenOnTheHub() throws {
        let hubServer = try TestHTTPServer()
        defer { hubServer.stop() }
        let cdn = try TestHTTPServer()      // another port: another origin, like the Hub's CDN
        defer { cdn.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(50_000)
        let digest = sha256(body)
        // Like the Hub: the resolve URL redirects to the CDN and carries the LFS headers itself.
        hubServer.route("/owner/tiny/resolve/main/model.safetensors", .init(status: 302, headers: [
            "Location": "\(cdn.baseURL)/blob?signature=x", "X-Linked-Etag": "\"\(digest)\"", "X-Linked-Size": "50000",
            "X-Repo-Commit": commitA, "ETag": "\"git-sha1-of-the-pointer\"",
        ]))
        cdn.file("/blob?signature=x", body, headers: ["ETag": "\"cdn-etag\""])
        var hub = testHub(cache: root, endpoint: hubServer.baseURL)
        hub.token = "hf_secret"

        let url = try hub.file("model.safetensors", in: "owner/tiny")

        #expect(contents(url) == body)
        #expect(tree(root.appendingPathComponent("models--owner--tiny")).contains(
            "snapshots/\(commitA)/model.safetensors -> ../../blobs/\(digest)"))
        // The HEAD stops at the redirect; the GET goes straight to the CDN, without the token.
        #expect(hubServer.log.map(\.method) == ["HEAD"])
        #expect(hubServer.log.allSatisfy { $0.authorization == "Bearer hf_secret" })
        #expect(cdn.log.map(\.method) == ["GET"])
        #expect(cdn.log.first?.authorization == nil)
    }

    @Test func droppedConnectionIsResumedWithARangeRequest() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(200_000, seed: 7)
        server.file("/owner/tiny/resolve/main/model.safetensors", body,
                    headers: ["X-Linked-Etag": sha256(body), "X-Repo-Commit": commitA], dropAfter: 70_000)
        let hub = testHub(cache: root, endpoint: server.baseURL, retries: 2)

        let url = try hub.file("model.safetensors", in: "owner/tiny")

        #expect(contents(url) == body)
        let gets = server.log.filter { $0.method == "GET" }
        #expect(gets.count == 2)
        #expect(gets.first?.range == nil)
        #expect(gets.last?.range == "bytes=70000-")
        #expect(!tree(root).contains { $0.hasSuffix(".incomplete") })
    }

    @Test func interruptedDownloadIsKeptAndResumedByTheNextRun() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(120_000, seed: 3)
        let digest = sha256(body)
        server.file("/owner/tiny/resolve/main/model.safetensors", body,
                    headers: ["X-Linked-Etag": digest, "X-Repo-Commit": commitA], dropAfter: 40_000)
        let hub = testHub(cache: root, endpoint: server.baseURL, retries: 0)

        let error = #expect(throws: HubError.self) { try hub.file("model.safetensors", in: "owner/tiny") }
        #expect(error?.description.contains("run again to resume") == true)
        let partial = root.appendingPathComponent("models--owner--tiny/blobs/\(digest).incomplete")
        #expect(contents(partial) == Array(body.prefix(40_000)))

        let url = try hub.file("model.safetensors", in: "owner/tiny")
        #expect(contents(url) == body)
        #expect(server.log.filter { $0.method == "GET" }.last?.range == "bytes=40000-")
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }

    @Test func leftoverIncompleteFilesAreFinishedOrDiscarded() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(20_000, seed: 8)
        let digest = sha256(body)
        server.file("/owner/tiny/resolve/main/model.safetensors", body,
                    headers: ["X-Linked-Etag": digest, "X-Repo-Commit": commitA])
        let partial = root.appendingPathComponent("models--owner--tiny/blobs/\(digest).incomplete")
        let hub = testHub(cache: root, endpoint: server.baseURL)

        // A run that got every byte but died before the rename: verified and renamed, no GET.
        try FileManager.default.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(body).write(to: partial)
        let url = try hub.file("model.safetensors", in: "owner/tiny")
        #expect(contents(url) == body)
        #expect(server.log.map(\.method) == ["HEAD"])

        // A leftover longer than the file cannot be a prefix of it: discarded, fetched whole.
        try FileManager.default.removeItem(at: root.appendingPathComponent("models--owner--tiny"))
        try FileManager.default.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes(25_000, seed: 99)).write(to: partial)
        #expect(contents(try hub.file("model.safetensors", in: "owner/tiny")) == body)
        #expect(server.log.last?.method == "GET" && server.log.last?.range == nil)
    }

    @Test func concurrentDownloadsOfOneFileTakeTurns() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(300_000, seed: 6)
        server.file("/owner/tiny/resolve/main/model.safetensors", body,
                    headers: ["X-Linked-Etag": sha256(body), "X-Repo-Commit": commitA])
        let hub = testHub(cache: root, endpoint: server.baseURL)

        // Two callers at once (separate lock-file descriptors, as two processes would have).
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            results.add(Result { try hub.file("model.safetensors", in: "owner/tiny") })
        }
        let urls = try results.all.map { try $0.get() }
        #expect(urls.count == 2 && urls[0] == urls[1])
        #expect(contents(urls[0]) == body)
        // The second waited for the lock, found the blob complete and did not fetch it again.
        #expect(server.log.filter { $0.method == "GET" }.count == 1)
    }

    @Test func serverIgnoringRangeRestartsTheFileFromZero() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(60_000, seed: 4)
        let path = "/owner/tiny/resolve/main/model.safetensors"
        let headers = ["X-Linked-Etag": sha256(body), "X-Repo-Commit": commitA]
        server.route(path, .init(body: body, headers: headers, dropAfter: 25_000, ignoresRange: true))
        let hub = testHub(cache: root, endpoint: server.baseURL, retries: 1)

        // The resumed request gets the whole body with 200: appending it would corrupt the file.
        let url = try hub.file("model.safetensors", in: "owner/tiny")
        #expect(contents(url) == body)
        #expect(server.log.filter { $0.method == "GET" }.map(\.range) == [nil, "bytes=25000-"])
    }

    @Test func unreachableServerIsReportedWithWhatToDo() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let hub = testHub(cache: root, endpoint: "http://127.0.0.1:9")   // the discard port: refused
        let error = #expect(throws: HubError.self) { try hub.file("config.json", in: "owner/tiny") }
        let message = error?.description ?? ""
        #expect(message.contains("cannot reach http://127.0.0.1:9/owner/tiny/resolve/main/config.json"))
        #expect(message.contains("set COURSE_MIRROR to a mirror directory or URL"))
    }

    @Test func corruptedFileIsRejectedBySha256AndDeleted() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let good = bytes(30_000, seed: 5)
        var bad = good
        bad[12_345] ^= 0xFF   // same size, one flipped byte
        server.file("/owner/tiny/resolve/main/model.safetensors", bad,
                    headers: ["X-Linked-Etag": sha256(good), "X-Repo-Commit": commitA])
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let error = #expect(throws: HubError.self) { try hub.file("model.safetensors", in: "owner/tiny") }
        #expect(error?.description.contains("is corrupted: its sha256 is \(sha256(bad)) but \(sha256(good))") == true)
        #expect(error?.description.contains("the file was deleted") == true)
        #expect(tree(root.appendingPathComponent("models--owner--tiny")).allSatisfy { $0.hasPrefix("refs/") })
    }

    @Test func truncatedFileIsRejectedBySize() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(10_000, seed: 9)
        // The Hub announces 12,000 bytes but the CDN serves a complete-looking 10,000-byte body.
        server.file("/owner/tiny/resolve/main/model.safetensors", body,
                    headers: ["X-Linked-Size": "12000", "ETag": "\"e1\"", "X-Repo-Commit": commitA])
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let error = #expect(throws: HubError.self) { try hub.file("model.safetensors", in: "owner/tiny") }
        #expect(error?.description.contains("sent 10000 bytes but 12000 were expected") == true)
        #expect(!tree(root).contains { $0.contains("blobs/") })
    }

    @Test func callerSuppliedSha256IsChecked() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = Array("label,text\n0,hello\n".utf8)
        server.file("/datasets/owner/set/resolve/main/train.csv", body, headers: ["ETag": "\"abc\""])
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let wrong = String(repeating: "0", count: 64)
        #expect(throws: HubError.self) { try hub.file("train.csv", in: "owner/set", type: .dataset, sha256: wrong) }
        let url = try hub.file("train.csv", in: "owner/set", type: .dataset, sha256: sha256(body))
        #expect(contents(url) == body)
        // No X-Repo-Commit: a pseudo-commit names the snapshot folder and refs/main points to it,
        // as huggingface_hub reads it.
        let commit = Hub.pseudoCommit(repo: "owner/set", type: .dataset, revision: "main")
        #expect(url.path == root.path + "/datasets--owner--set/snapshots/\(commit)/train.csv")
    }

    @Test func optionalFileThatDoesNotExistIsRememberedAsMissing() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        server.file("/owner/tiny/resolve/main/vocab.txt", Array("[PAD]\n[UNK]\n".utf8),
                    headers: ["ETag": "\"v\"", "X-Repo-Commit": commitA])
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let directory = try hub.snapshot(of: "owner/tiny", files: ["vocab.txt", .optional("tokenizer.json")])
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("vocab.txt").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("tokenizer.json").path))
        #expect(tree(root.appendingPathComponent("models--owner--tiny")).contains(".no_exist/\(commitA)/tokenizer.json"))

        // Asked again, the cache answers for both files: no request reaches the server.
        let requests = server.log.count
        #expect(try hub.fileIfPresent("tokenizer.json", in: "owner/tiny") == nil)
        #expect(try hub.snapshot(of: "owner/tiny", files: ["vocab.txt", .optional("tokenizer.json")]) == directory)
        #expect(server.log.count == requests)
    }

    @Test func anUnwritableCacheIsReportedWithThePathAndWhatToDo() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        server.file("/owner/tiny/resolve/main/config.json", Array("{}".utf8), headers: ["ETag": "\"c\"", "X-Repo-Commit": commitA])
        // The cache path is a file: nothing can be created below it (as with a read-only disk).
        let notADirectory = root.appendingPathComponent("cache")
        try Data("x".utf8).write(to: notADirectory)
        let hub = testHub(cache: notADirectory, endpoint: server.baseURL)

        let error = #expect(throws: HubError.self) { try hub.file("config.json", in: "owner/tiny") }
        let message = error?.description ?? ""
        #expect(message.contains("cannot write the ref \(notADirectory.path)/models--owner--tiny/refs/main: "), "\(message)")
        #expect(message.contains("set HF_HUB_CACHE (or HF_HOME) to a writable folder"))
    }

    @Test func missingRequiredFileSaysWhatWasTried() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let error = #expect(throws: HubError.self) { try hub.file("model.safetensors", in: "owner/nothing") }
        let message = error?.description ?? ""
        #expect(message.contains("cannot get model.safetensors of model 'owner/nothing' (revision main)"))
        #expect(message.contains("the hub cache at \(root.path)/models--owner--nothing: no model.safetensors"))
        #expect(message.contains("the Hugging Face Hub at \(server.baseURL) (HF_ENDPOINT): "
            + "\(server.baseURL)/owner/nothing/resolve/main/model.safetensors does not exist (HTTP 404)"))
        #expect(message.contains("What to do:"))
    }
}

/// Collects results from concurrent work.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<URL, Error>] = []
    func add(_ item: Result<URL, Error>) { lock.lock(); items.append(item); lock.unlock() }
    var all: [Result<URL, Error>] { lock.lock(); defer { lock.unlock() }; return items }
}
