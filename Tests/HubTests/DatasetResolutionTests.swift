import Foundation
import Testing
import TestSupport
@testable import Hub

// Datasets as the Hub serves them: a local server speaks the Hub's API (a renamed repository's
// redirect, the revision info, the paginated tree listing) and its resolve URLs; the files land
// in the hub cache, a second resolution needs no network, and HF_HUB_OFFLINE works from the cache.

private let commitMain = "1111111111111111111111111111111111111111"
private let commitParquet = "2222222222222222222222222222222222222222"

/// A stand-in Hub holding `eriktks/conll2003` as the real one does: a loading script in main
/// and the Parquet conversion in refs/convert/parquet; `conll2003` redirects to it.
private func conllHub(_ server: TestHTTPServer, files: [String: [UInt8]]) {
    server.route("/api/datasets/conll2003/revision/main",
                 .init(status: 307, headers: ["Location": "/api/datasets/eriktks/conll2003/revision/main"]))
    server.file("/api/datasets/eriktks/conll2003/revision/main",
                Array(#"{"id": "eriktks/conll2003", "sha": "\#(commitMain)", "private": false}"#.utf8))
    server.file("/api/datasets/eriktks/conll2003/tree/\(commitMain)?recursive=true&expand=false",
                Array(#"[{"type": "file", "path": "conll2003.py", "size": 9000}, {"type": "file", "path": "README.md", "size": 100}]"#.utf8))
    server.file("/api/datasets/eriktks/conll2003/revision/refs%2Fconvert%2Fparquet",
                Array(#"{"id": "eriktks/conll2003", "sha": "\#(commitParquet)"}"#.utf8))
    var listing: [String] = [#"{"type": "directory", "path": "conll2003"}"#]
    for (path, body) in files.sorted(by: { $0.key < $1.key }) {
        listing.append(#"{"type": "file", "path": "\#(path)", "size": \#(body.count), "lfs": {"oid": "\#(sha256(body))", "size": \#(body.count)}}"#)
        server.file("/datasets/eriktks/conll2003/resolve/refs%2Fconvert%2Fparquet/\(path)", body,
                    headers: ["X-Linked-Etag": "\"\(sha256(body))\"", "X-Linked-Size": "\(body.count)", "X-Repo-Commit": commitParquet])
    }
    server.file("/api/datasets/eriktks/conll2003/tree/\(commitParquet)?recursive=true&expand=false",
                Array(("[" + listing.joined(separator: ", ") + "]").utf8))
}

private let conllFiles = [
    "conll2003/train/0000.parquet": bytes(3000, seed: 1),
    "conll2003/validation/0000.parquet": bytes(2000, seed: 2),
    "conll2003/test/0000.parquet": bytes(1000, seed: 3),
]

@Suite struct DatasetResolutionTests {
    @Test func layoutsTheHubServes() {
        let glue = DatasetLayout(paths: [
            "README.md", "mrpc/test-00000-of-00001.parquet", "mrpc/train-00000-of-00001.parquet",
            "mrpc/validation-00000-of-00001.parquet", "sst2/train-00000-of-00001.parquet",
            "mnli/validation_matched-00000-of-00001.parquet", "mnli/test_matched-00000-of-00001.parquet",
            "mnli/train-00000-of-00002.parquet", "mnli/train-00001-of-00002.parquet",
        ])
        #expect(glue.configNames == ["mnli", "mrpc", "sst2"])
        #expect(glue.configs["mrpc"]?.map(\.name) == ["train", "validation", "test"])
        #expect(glue.configs["mnli"]?.map(\.name) == ["train", "validation_matched", "test_matched"])
        #expect(glue.configs["mnli"]?.first?.paths == ["mnli/train-00000-of-00002.parquet", "mnli/train-00001-of-00002.parquet"])
        let imdb = DatasetLayout(paths: ["plain_text/unsupervised-00000-of-00001.parquet",
                                         "plain_text/test-00000-of-00001.parquet", "plain_text/train-00000-of-00001.parquet"])
        #expect(imdb.configs["plain_text"]?.map(\.name) == ["train", "test", "unsupervised"])
        let converted = DatasetLayout(paths: ["conll2003/validation/0000.parquet", "conll2003/train/0000.parquet",
                                              "conll2003/test/0000.parquet", "big/partial-train/0000.parquet"])
        #expect(converted.configs["conll2003"]?.map(\.name) == ["train", "validation", "test"])
        #expect(converted.configs["big"]?.map(\.name) == ["train"])
        let plain = DatasetLayout(paths: ["data/train-00000-of-00001.parquet", "data/dev.parquet", "other.txt"])
        #expect(plain.configs["default"]?.map(\.name) == ["train", "validation"])
    }

    @Test func choosingAConfiguration() throws {
        let glue = DatasetLayout(paths: ["mrpc/train-00000-of-00001.parquet", "sst2/train-00000-of-00001.parquet"])
        let several = #expect(throws: HubError.self) { try glue.choose(nil, dataset: "glue") }
        #expect(several?.description.contains("mrpc, sst2") == true)
        let unknown = #expect(throws: HubError.self) { try glue.choose("qqp", dataset: "glue") }
        #expect(unknown?.description.contains("no configuration 'qqp'") == true)
        #expect(try glue.choose("sst2", dataset: "glue").name == "sst2")
        #expect(try DatasetLayout(paths: ["plain_text/train.parquet"]).choose(nil, dataset: "imdb").name == "plain_text")
    }

    @Test func aRenamedScriptDatasetComesFromTheParquetConversionIntoTheCache() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        conllHub(server, files: conllFiles)
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let found = try hub.datasetParquetFiles("conll2003")

        #expect(found.repo == "eriktks/conll2003")
        #expect(found.config == "conll2003")
        #expect(found.revision == "refs/convert/parquet")
        #expect(found.splits.map(\.name) == ["train", "validation", "test"])
        let repo = root.appendingPathComponent("datasets--eriktks--conll2003")
        #expect(found.splits[0].files[0].path == repo.path + "/snapshots/\(commitParquet)/conll2003/train/0000.parquet")
        for (split, files) in found.splits {
            #expect(contents(files[0]) == conllFiles["conll2003/\(split)/0000.parquet"])
        }
        let cached = tree(repo)
        #expect(cached.contains("refs/refs/convert/parquet"))
        #expect(cached.contains("snapshots/\(commitParquet)/conll2003/test/0000.parquet -> ../../../../blobs/"
            + sha256(conllFiles["conll2003/test/0000.parquet"] ?? [])))
        #expect(String(decoding: contents(repo.appendingPathComponent("refs/refs/convert/parquet")), as: UTF8.self) == commitParquet)

        // A second run, and an offline one, use the cache: not one request.
        let before = server.log.count
        let again = try hub.datasetParquetFiles("conll2003")
        #expect(again.splits.map(\.files) == found.splits.map(\.files))
        let offline = testHub(cache: root, endpoint: server.baseURL, offline: true)
        #expect(try offline.datasetParquetFiles("conll2003").splits.map(\.files) == found.splits.map(\.files))
        #expect(try offline.datasetParquetFiles("eriktks/conll2003", config: "conll2003").splits.count == 3)
        #expect(server.log.count == before)
    }

    @Test func ownParquetFilesArePickedFromAPaginatedListingAndVerified() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let train = bytes(5000, seed: 9), test = bytes(700, seed: 10)
        server.file("/api/datasets/nyu-mll/glue/revision/main", Array(#"{"id": "nyu-mll/glue", "sha": "\#(commitMain)"}"#.utf8))
        let first = "/api/datasets/nyu-mll/glue/tree/\(commitMain)?recursive=true&expand=false"
        server.file(first, Array(#"[{"type": "file", "path": "mrpc/train-00000-of-00001.parquet", "lfs": {"oid": "\#(sha256(train))", "size": 5000}}]"#.utf8),
                    headers: ["Link": "<\(server.baseURL)/api/datasets/nyu-mll/glue/tree/\(commitMain)?cursor=2>; rel=\"next\""])
        server.file("/api/datasets/nyu-mll/glue/tree/\(commitMain)?cursor=2",
                    Array(#"[{"type": "file", "path": "mrpc/test-00000-of-00001.parquet", "lfs": {"oid": "\#(sha256(test))", "size": 700}}, {"type": "file", "path": "sst2/train-00000-of-00001.parquet"}]"#.utf8))
        server.file("/datasets/nyu-mll/glue/resolve/main/mrpc/train-00000-of-00001.parquet", train,
                    headers: ["ETag": "\"t1\"", "X-Repo-Commit": commitMain])
        // The test file arrives corrupted: the listing's sha256 must catch it.
        var corrupted = test
        corrupted[10] ^= 0xFF
        server.file("/datasets/nyu-mll/glue/resolve/main/mrpc/test-00000-of-00001.parquet", corrupted,
                    headers: ["ETag": "\"t2\"", "X-Repo-Commit": commitMain])
        let hub = testHub(cache: root, endpoint: server.baseURL)

        let error = #expect(throws: HubError.self) { try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc") }
        #expect(error?.description.contains("sha256") == true, "\(error?.description ?? "")")
        #expect(!tree(root).contains { $0.contains("mrpc/test-00000-of-00001.parquet") })

        server.file("/datasets/nyu-mll/glue/resolve/main/mrpc/test-00000-of-00001.parquet", test,
                    headers: ["ETag": "\"t2\"", "X-Repo-Commit": commitMain])
        let found = try hub.datasetParquetFiles("nyu-mll/glue", config: "mrpc")
        #expect(found.revision == "main")
        #expect(found.splits.map(\.name) == ["train", "test"])
        #expect(contents(found.splits[1].files[0]) == test)
    }

    @Test func failuresSayWhatWasTried() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let missing = #expect(throws: HubError.self) {
            try testHub(cache: root, endpoint: server.baseURL).datasetParquetFiles("nobody/nothing")
        }
        #expect(missing?.description.contains("the hub cache") == true)
        #expect(missing?.description.contains("404") == true, "\(missing?.description ?? "")")
        let offline = #expect(throws: HubError.self) {
            try testHub(cache: root, endpoint: server.baseURL, offline: true).datasetParquetFiles("conll2003")
        }
        #expect(offline?.description.contains("HF_HUB_OFFLINE") == true)
        #expect(!server.log.contains { $0.path.contains("conll2003") })
    }

    @Test func aMirrorDirectoryInTheHubLayoutIsUsedInPlace() throws {
        let mirror = try temporaryDirectory()
        defer { cleanup(mirror) }
        for (path, body) in conllFiles {
            let url = mirror.appendingPathComponent("datasets/eriktks/conll2003/\(path)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(body).write(to: url)
        }
        let cache = try temporaryDirectory()
        defer { cleanup(cache) }
        let hub = testHub(cache: cache, mirror: mirror.path, offline: true)
        let found = try hub.datasetParquetFiles("conll2003")
        #expect(found.splits.map(\.name) == ["train", "validation", "test"])
        #expect(found.splits[2].files[0].path == mirror.path + "/datasets/eriktks/conll2003/conll2003/test/0000.parquet")
        #expect(tree(cache).isEmpty)
    }
}
