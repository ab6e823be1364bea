import Foundation
import Testing
import TestSupport
@testable import Hub

// A dataset file must be the one the Hub's listing describes before it enters the cache: the
// listing's size (and LFS sha256) against what a mirror or server sends, a body cut short
// under an honest-looking Content-Length, a body whose length nobody announced. And a cached
// file that no longer has the size it was downloaded with is not used.

private let commitMain = "3333333333333333333333333333333333333333"

/// A stand-in Hub API for `nyu-mll/glue` (configuration mrpc) whose listing gives sizes only,
/// as it does for files stored in git rather than LFS.
private func glueAPI(_ server: TestHTTPServer, files: [(String, Int)]) {
    server.file("/api/datasets/nyu-mll/glue/revision/main", Array(#"{"id": "nyu-mll/glue", "sha": "\#(commitMain)"}"#.utf8))
    let listing = files.map { #"{"type": "file", "path": "\#($0.0)", "size": \#($0.1)}"# }
    server.file("/api/datasets/nyu-mll/glue/tree/\(commitMain)?recursive=true&expand=false",
                Array(("[" + listing.joined(separator: ", ") + "]").utf8))
}

private let train = bytes(5_000, seed: 21), validation = bytes(408, seed: 22)
private let trainPath = "mrpc/train-00000-of-00001.parquet", validationPath = "mrpc/validation-00000-of-00001.parquet"

@Suite struct ListedFileTests {
    @Test func aMirrorServingAnotherFileUnderTheListedNameIsRefused() throws {
        let hubServer = try TestHTTPServer()
        defer { hubServer.stop() }
        let mirror = try TestHTTPServer()
        defer { mirror.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        glueAPI(hubServer, files: [(trainPath, train.count), (validationPath, validation.count)])
        // The mirror has the validation file under the train name (a copy gone wrong).
        mirror.file("/datasets/nyu-mll/glue/\(trainPath)", validation)
        mirror.file("/datasets/nyu-mll/glue/\(validationPath)", validation)
        let hub = testHub(cache: root, endpoint: hubServer.baseURL, mirror: mirror.baseURL)

        let error = #expect(throws: HubError.self) { try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc") }
        let message = error?.description ?? ""
        #expect(message.contains("\(mirror.baseURL)/datasets/nyu-mll/glue/\(trainPath) announces 408 bytes for \(trainPath), "
            + "but the Hub's file listing of nyu-mll/glue at main says 5000"), "\(message)")
        #expect(message.contains("Fix or remove that copy"))
        #expect(!tree(root).contains { $0.contains(trainPath) || ($0.contains("/blobs/") && !$0.hasSuffix(".incomplete")) },
                "\(tree(root))")
        // Nothing was downloaded from the wrong copy.
        #expect(!mirror.log.contains { $0.method == "GET" && $0.path.hasSuffix(trainPath) })
    }

    @Test func aTruncatedFileFromAServerWithoutLFSHeadersNeverEntersTheCache() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        glueAPI(server, files: [(trainPath, train.count)])
        // No X-Linked-Size, no sha256 ETag, no commit: only a Content-Length, of a short copy.
        let url = "/datasets/nyu-mll/glue/resolve/main/\(trainPath)"
        server.file(url, Array(train.prefix(3_000)))
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let error = #expect(throws: HubError.self) { try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc") }
        #expect(error?.description.contains("announces 3000 bytes for \(trainPath), but the Hub's file listing") == true,
                "\(error?.description ?? "")")
        #expect(!tree(root).contains { $0.contains("snapshots/") || $0.contains("parquet-files/") }, "\(tree(root))")

        // The server is mended: the next run downloads the file, not a cached short copy.
        server.file(url, train)
        let found = try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc")
        #expect(contents(found.splits[0].files[0]) == train)
        // A server without a commit: the listing's commit names the snapshot.
        #expect(found.splits[0].files[0].path.contains("/snapshots/\(commitMain)/"))
    }

    @Test func aBodyCutShortUnderTheListedSizeIsRefusedWhenTheHeadSaysNothing() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        glueAPI(server, files: [(trainPath, train.count)])
        // HEAD and GET without a length; the body stops early as if the connection ended.
        var route = TestHTTPServer.Route(body: Array(train.prefix(4_000)))
        route.withoutLength = true
        server.route("/datasets/nyu-mll/glue/resolve/main/\(trainPath)", route)
        let hub = testHub(cache: root, endpoint: server.baseURL, retries: 0)

        let error = #expect(throws: HubError.self) { try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc") }
        #expect(error?.description.contains("sent 4000 bytes but 5000 were expected (the Hub's file listing of nyu-mll/glue at main)") == true,
                "\(error?.description ?? "")")
        #expect(!tree(root).contains { $0.contains("snapshots/") || $0.contains("/blobs/") }, "\(tree(root))")
    }

    @Test func aFileWhoseLengthNobodyAnnouncedIsRefused() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        var route = TestHTTPServer.Route(body: Array(#"{"hidden_size": 384}"#.utf8))
        route.withoutLength = true
        server.route("/models/owner/tiny/config.json", route)
        let hub = testHub(cache: root, mirror: server.baseURL, retries: 0)

        let error = #expect(throws: HubError.self) { try hub.file("config.json", in: "owner/tiny") }
        #expect(error?.description.contains("\(server.baseURL)/models/owner/tiny/config.json did not say how long config.json is") == true,
                "\(error?.description ?? "")")
        #expect(!tree(root).contains { $0.contains("snapshots/") || $0.contains("/blobs/") }, "\(tree(root))")
        // With its sha256 known the download can be checked, and is accepted.
        let body = Array(#"{"hidden_size": 384}"#.utf8)
        #expect(contents(try hub.file("config.json", in: "owner/tiny", sha256: sha256(body))) == body)
    }

    @Test func aCachedDatasetFileOfTheWrongSizeIsNotUsedAndIsNamed() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        glueAPI(server, files: [(trainPath, train.count)])
        server.file("/datasets/nyu-mll/glue/resolve/main/\(trainPath)", train,
                    headers: ["ETag": "\"g1\"", "X-Repo-Commit": commitMain])
        let hub = testHub(cache: root, endpoint: server.baseURL)
        let link = try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc").splits[0].files[0]
        let blob = link.resolvingSymlinksInPath()
        try Data(train.prefix(1_000)).write(to: blob)   // damaged afterwards (a full disk, a bad copy)

        // Offline: not read as if whole; the message names the blob and the link to delete.
        let offline = testHub(cache: root, endpoint: server.baseURL, offline: true)
        let error = #expect(throws: HubError.self) { try offline.datasetParquetFiles("nyu-mll/glue", config: "mrpc") }
        #expect(error?.description.contains("\(link.path) has 1000 bytes but 5000 were downloaded; "
            + "It is a cached download: delete \(blob.path) and \(link.path)") == true, "\(error?.description ?? "")")

        // Online: downloaded again over the damaged copy.
        #expect(contents(try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc").splits[0].files[0]) == train)
    }
}
