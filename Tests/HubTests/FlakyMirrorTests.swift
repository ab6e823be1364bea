import Foundation
import Testing
import TestSupport
@testable import Hub

// An HTTP mirror that misbehaves: bodies cut short under a Content-Length, a HEAD that does not
// say how long the file is, a mirror that moves while a download is half done, a cached file
// that turns out damaged. A short file must never reach the cache as if it were complete.

@Suite struct FlakyMirrorTests {
    /// A mirror URL for `server` (the layout `models/<repo>/<file>`, no ETag, no commit: a
    /// static file server such as `python3 -m http.server`).
    func mirrorHub(_ server: TestHTTPServer, cache: URL, retries: Int = 1) -> Hub {
        testHub(cache: cache, mirror: server.baseURL, retries: retries)
    }

    @Test func shortBodyUnderContentLengthIsNeverPublished() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(10_000, seed: 11)
        // The GET announces 12,000 bytes and sends 10,000; the HEAD announces no length.
        var route = TestHTTPServer.Route(body: body, headers: ["Content-Length": "12000"])
        route.headWithoutLength = true
        server.route("/models/owner/tiny/model.safetensors", route)
        let hub = mirrorHub(server, cache: root)

        #expect(throws: HubError.self) { try hub.file("model.safetensors", in: "owner/tiny") }
        // Nothing in the snapshot, no blob: the next run downloads again instead of failing on a short file.
        #expect(!tree(root).contains { $0.contains("snapshots/") || ($0.contains("blobs/") && !$0.hasSuffix(".incomplete")) },
                "\(tree(root))")
    }

    @Test func resumedBodyShortOfTheAnnouncedTotalIsNeverPublished() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        // The HEAD says no length; the first GET drops after 4,000 bytes; the resumed GET's 206
        // announces 12,000 bytes in all but its body ends at 10,000 (with a matching
        // Content-Length, so the transfer itself looks fine).
        var route = TestHTTPServer.Route(body: bytes(10_000, seed: 15), dropAfter: 4_000, drops: 1)
        route.headWithoutLength = true
        route.rangeTotal = 12_000
        server.route("/models/owner/tiny/model.safetensors", route)
        let hub = mirrorHub(server, cache: root, retries: 0)
        #expect(throws: HubError.self) { try hub.file("model.safetensors", in: "owner/tiny") }

        let error = #expect(throws: HubError.self) { try hub.file("model.safetensors", in: "owner/tiny") }
        #expect(error?.description.contains("sent 10000 bytes but 12000 were expected") == true, "\(error?.description ?? "")")
        #expect(server.log.filter { $0.method == "GET" }.last?.range == "bytes=4000-")
        #expect(!tree(root).contains { $0.contains("snapshots/") }, "\(tree(root))")
    }

    @Test func lengthFromTheGetIsCheckedWhenTheHeadHasNone() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(3_000, seed: 12)
        var route = TestHTTPServer.Route(body: body)
        route.headWithoutLength = true
        server.route("/models/owner/tiny/vocab.txt", route)
        let hub = mirrorHub(server, cache: root)

        let url = try hub.file("vocab.txt", in: "owner/tiny")
        #expect(contents(url) == body)
        #expect(Downloader.announcedLength(HTTPHead(status: 206, headers: ["Content-Range": "bytes 10-99/100"])) == 100)
        #expect(Downloader.announcedLength(HTTPHead(status: 200, headers: ["Content-Length": "42"])) == 42)
        #expect(Downloader.announcedLength(HTTPHead(status: 200, headers: [:])) == nil)
    }

    @Test func serverErrorIsReportedAndNothingIsCached() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        server.route("/models/owner/tiny/config.json", TestHTTPServer.Route(status: 500, body: Array("oops".utf8)))
        let hub = mirrorHub(server, cache: root)

        let error = #expect(throws: HubError.self) { try hub.fileIfPresent("config.json", in: "owner/tiny") }
        #expect(error?.description.contains("answered HTTP 500") == true, "\(error?.description ?? "")")
        #expect(!tree(root).contains { $0.contains(".no_exist") })
    }

    @Test func partialDownloadResumesFromAMovedMirror() throws {
        let first = try TestHTTPServer()
        defer { first.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(90_000, seed: 13)
        first.route("/models/owner/tiny/model.safetensors", TestHTTPServer.Route(body: body, dropAfter: 30_000, drops: 10))
        #expect(throws: HubError.self) { try mirrorHub(first, cache: root, retries: 0).file("model.safetensors", in: "owner/tiny") }
        first.stop()

        // The same mirror, now on another port (another URL): the 30,000 bytes are not lost.
        let second = try TestHTTPServer()
        defer { second.stop() }
        second.route("/models/owner/tiny/model.safetensors", TestHTTPServer.Route(body: body))
        let url = try mirrorHub(second, cache: root).file("model.safetensors", in: "owner/tiny")
        #expect(contents(url) == body)
        #expect(second.log.filter { $0.method == "GET" }.map(\.range) == ["bytes=30000-"])
    }

    @Test func damagedCachedFileNamesWhatToDeleteAndIsFetchedAgain() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let body = bytes(5_000, seed: 14)
        server.file("/owner/tiny/resolve/main/model.safetensors", body, headers: ["ETag": "\"b1\"", "X-Repo-Commit": commitA])
        let hub = testHub(cache: root, endpoint: server.baseURL)
        let url = try hub.file("model.safetensors", in: "owner/tiny")
        // The blob is damaged afterwards (a full disk, a bad copy): the advice names both paths.
        try Data(count: 10).write(to: url.resolvingSymlinksInPath())
        let advice = try #require(Hub.cacheAdvice(for: url))
        let blob = root.appendingPathComponent("models--owner--tiny/blobs/b1").path
        #expect(advice == "It is a cached download: delete \(blob) and \(url.path), then run again to download it afresh.")
        try FileManager.default.removeItem(atPath: blob)
        try FileManager.default.removeItem(at: url)
        #expect(contents(try hub.file("model.safetensors", in: "owner/tiny")) == body)
        #expect(Hub.cacheAdvice(for: root.appendingPathComponent("local/model.safetensors")) == nil)
    }
}
