import Foundation
import Testing
import TestSupport
@testable import Hub

// The resolution order: local path, cache, mirror directory, HTTP mirror, Hub; offline mode;
// and settings read from the environment.

@Suite struct ResolutionTests {
    /// A mirror directory laid out like ../shared/mirror with one model.
    private func makeMirror(in root: URL, config: String = "{\"from\": \"mirror\"}") throws -> URL {
        let mirror = root.appendingPathComponent("mirror", isDirectory: true)
        try write(config, to: mirror.appendingPathComponent("models/owner/tiny/config.json"))
        try write("[PAD]\n", to: mirror.appendingPathComponent("models/owner/tiny/vocab.txt"))
        try write("a b c\n", to: mirror.appendingPathComponent("datasets/owner/set/train.txt"))
        return mirror
    }

    @Test func offlineModeNeverTouchesTheNetworkAndSaysSo() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        server.file("/owner/tiny/resolve/main/config.json", Array("{}".utf8), headers: ["ETag": "\"x\""])
        let hub = testHub(cache: root.appendingPathComponent("cache"), endpoint: server.baseURL, offline: true)

        let error = #expect(throws: HubError.self) { try hub.file("config.json", in: "owner/tiny") }
        let message = error?.description ?? ""
        #expect(message.contains("no download: HF_HUB_OFFLINE is set, so the network was not used"))
        #expect(message.contains("unset HF_HUB_OFFLINE to download"))
        #expect(server.log.isEmpty)
    }

    @Test func mirrorDirectoryIsUsedInPlace() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let mirror = try makeMirror(in: root)
        let cache = root.appendingPathComponent("cache")
        for setting in [mirror.path, "file://" + mirror.path] {
            let hub = testHub(cache: cache, mirror: setting, offline: true)
            let directory = try hub.snapshot(of: "owner/tiny", files: ["config.json", "vocab.txt", .optional("tokenizer.json")])
            #expect(directory.standardizedFileURL.path == mirror.appendingPathComponent("models/owner/tiny").path)
            let data = try hub.file("train.txt", in: "owner/set", type: .dataset)
            #expect(data.path == mirror.appendingPathComponent("datasets/owner/set/train.txt").path)
        }
        #expect(!FileManager.default.fileExists(atPath: cache.path))   // nothing copied
    }

    @Test func optionalFileIsNotCalledAbsentByASourceThatLacksTheRepository() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let mirror = try makeMirror(in: root)
        let cache = root.appendingPathComponent("cache")
        // Offline, with a mirror that has no such repository and an empty cache: nobody can say.
        let hub = testHub(cache: cache, mirror: mirror.path, offline: true)
        let error = #expect(throws: HubError.self) { try hub.fileIfPresent("tokenizer.json", in: "other/model") }
        #expect(error?.description.contains("HF_HUB_OFFLINE is set") == true)
        // Offline without a mirror, the cache is the only source: still no answer for an uncached repository.
        #expect(throws: HubError.self) { try testHub(cache: cache, offline: true).fileIfPresent("x.json", in: "other/model") }
        // The mirror has the repository but not the file: that is an answer.
        #expect(try hub.fileIfPresent("tokenizer.json", in: "owner/tiny") == nil)
    }

    @Test func mirrorDirectoryMissingARequiredFileFallsThroughAndReportsIt() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let mirror = try makeMirror(in: root)
        let hub = testHub(cache: root.appendingPathComponent("cache"), mirror: mirror.path, offline: true)

        let error = #expect(throws: HubError.self) {
            try hub.snapshot(of: "owner/tiny", files: ["config.json", "model.safetensors"])
        }
        #expect(error?.description.contains(
            "the mirror directory \(mirror.path)/models/owner/tiny (COURSE_MIRROR): no model.safetensors") == true)
    }

    @Test func httpMirrorDownloadsIntoTheCacheBeforeTheHub() throws {
        let mirrorServer = try TestHTTPServer()
        defer { mirrorServer.stop() }
        let hubServer = try TestHTTPServer()
        defer { hubServer.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = Array("{\"from\": \"http mirror\"}".utf8)
        mirrorServer.file("/course/models/owner/tiny/config.json", body, headers: ["ETag": "\"m1\""])
        let hub = testHub(cache: root, endpoint: hubServer.baseURL, mirror: mirrorServer.baseURL + "/course/")

        let url = try hub.file("config.json", in: "owner/tiny")

        #expect(contents(url) == body)
        // No commit from the mirror: a pseudo-commit that refs/main names (see SharedCacheTests).
        let commit = Hub.pseudoCommit(repo: "owner/tiny", type: .model, revision: "main")
        #expect(url.path == root.path + "/models--owner--tiny/snapshots/\(commit)/config.json")
        #expect(hubServer.log.isEmpty)
        #expect(mirrorServer.log.map(\.method) == ["HEAD", "GET"])
    }

    @Test func httpMirrorWithoutTheFileFallsBackToTheHub() throws {
        let mirrorServer = try TestHTTPServer()
        defer { mirrorServer.stop() }
        let hubServer = try TestHTTPServer()
        defer { hubServer.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        hubServer.file("/owner/tiny/resolve/main/config.json", Array("{}".utf8),
                       headers: ["ETag": "\"h\"", "X-Repo-Commit": commitA])
        let hub = testHub(cache: root, endpoint: hubServer.baseURL, mirror: mirrorServer.baseURL)

        let url = try hub.file("config.json", in: "owner/tiny")
        #expect(contents(url) == Array("{}".utf8))
        #expect(mirrorServer.log.map(\.path) == ["/models/owner/tiny/config.json"])
    }

    @Test func localPathWinsOverCacheAndMirror() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let mirror = try makeMirror(in: root)
        let local = root.appendingPathComponent("my-checkpoint", isDirectory: true)
        try write("{\"from\": \"local\"}", to: local.appendingPathComponent("config.json"))
        let hub = testHub(cache: root.appendingPathComponent("cache"), mirror: mirror.path, offline: true)

        let url = try hub.file("config.json", in: local.path)
        #expect(String(decoding: contents(url), as: UTF8.self) == "{\"from\": \"local\"}")
        // Optional files a local directory lacks are simply absent; a required one is an error.
        #expect(try hub.fileIfPresent("tokenizer.json", in: local.path) == nil)
        let missing = #expect(throws: HubError.self) { try hub.file("vocab.txt", in: local.path) }
        #expect(missing?.description.contains("has no vocab.txt") == true)
        let typo = #expect(throws: HubError.self) { try hub.file("config.json", in: root.path + "/no-such-dir") }
        #expect(typo?.description.contains("the directory \(root.path)/no-such-dir does not exist") == true)
    }

    @Test func cacheWinsOverMirrorWithoutNetwork() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let cache = root.appendingPathComponent("cache")
        // Fill the cache the way huggingface_hub leaves it: refs, a blob, a relative symlink.
        let repo = cache.appendingPathComponent("models--owner--tiny")
        try write(commitA, to: repo.appendingPathComponent("refs/main"))
        try write("{\"from\": \"cache\"}", to: repo.appendingPathComponent("blobs/b1"))
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("snapshots/\(commitA)"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("snapshots/\(commitA)/config.json").path,
                                                   withDestinationPath: "../../blobs/b1")
        let mirror = try makeMirror(in: root)
        let hub = testHub(cache: cache, endpoint: server.baseURL, mirror: mirror.path)

        let url = try hub.file("config.json", in: "owner/tiny")
        #expect(String(decoding: contents(url), as: UTF8.self) == "{\"from\": \"cache\"}")
        #expect(url.path == repo.path + "/snapshots/\(commitA)/config.json")
        #expect(server.log.isEmpty)
    }

    @Test func downloadedFileIsACacheHitWithoutNetworkNextTime() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let first: URL
        do {
            let server = try TestHTTPServer()
            server.file("/owner/tiny/resolve/main/vocab.txt", Array("[PAD]\n".utf8),
                        headers: ["ETag": "\"v1\"", "X-Repo-Commit": commitA])
            first = try testHub(cache: root, endpoint: server.baseURL).file("vocab.txt", in: "owner/tiny")
            server.stop()
        }
        // The endpoint now refuses connections, and offline mode forbids them: both still resolve.
        for offline in [false, true] {
            let again = try testHub(cache: root, endpoint: "http://127.0.0.1:9", offline: offline).file("vocab.txt", in: "owner/tiny")
            #expect(again == first)
        }
    }

    @Test func badNamesAreExplained() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let hub = testHub(cache: root, offline: true)
        let badRepo = #expect(throws: HubError.self) { try hub.file("config.json", in: "owner/na me") }
        #expect(badRepo?.description.contains("is neither an existing directory nor a model repository id") == true)
        let badPath = #expect(throws: HubError.self) { try hub.file("../secret", in: "owner/tiny") }
        #expect(badPath?.description.contains("is not a file path inside a repository") == true)
        #expect(throws: HubError.self) { try hub.snapshot(of: "owner/tiny", files: [String]()) }
    }

    @Test func blobNamesAreSafeFileNames() {
        #expect(Hub.blobName("cfg-etag-1") == "cfg-etag-1")
        let odd = Hub.blobName("../../etc/passwd")
        #expect(odd.hasPrefix("etag-") && odd.count == 45 && !odd.contains("/"))
        #expect(Hub.blobName(".hidden").hasPrefix("etag-"))
    }

    @Test func settingsComeFromTheEnvironment() {
        let hub = Hub(environment: ["HOME": "/home/learner", "HF_ENDPOINT": "http://hub.local:8080/",
                                    "HF_HUB_OFFLINE": "1", "HF_TOKEN": "hf_x", "HF_HUB_DISABLE_PROGRESS_BARS": "true"])
        #expect(hub.cacheDirectory.path == "/home/learner/.cache/huggingface/hub")
        #expect(hub.endpoint == "http://hub.local:8080")
        #expect(hub.offline && !hub.showProgress && hub.token == "hf_x" && hub.mirror == nil)

        let custom = Hub(environment: ["HOME": "/h", "HF_HOME": "~/hf", "HF_HUB_OFFLINE": "0"])
        #expect(custom.cacheDirectory.path == "/h/hf/hub")
        #expect(custom.endpoint == "https://huggingface.co")
        #expect(!custom.offline && custom.showProgress)
        #expect(Hub(environment: ["HF_HOME": "/a", "HF_HUB_CACHE": "/b/cache"]).cacheDirectory.path == "/b/cache")
        #expect(Hub(environment: ["HOME": "/h", "XDG_CACHE_HOME": "/x"]).cacheDirectory.path == "/x/huggingface/hub")
        // Explicit arguments win over the environment.
        #expect(Hub(offline: false, environment: ["HF_HUB_OFFLINE": "yes"]).offline == false)
    }
}
