import Foundation
import Digest
import Hub
import Testing
import TestSupport
@testable import Datasets

// `loadDataset` on a machine without the mirror: a local server answers as the Hub does for the
// course's three datasets (short names redirecting to their repositories, CoNLL-2003 in
// refs/convert/parquet), the files are Parquet written by Python `datasets`
// (Scripts/fixtures/datasets_hub_fixtures.py), and the loaded splits, rows, columns and features must be
// what `datasets.load_dataset` gave for them. Then the cache alone, and HF_HUB_OFFLINE.

private let hubFixtures = fixtures.appendingPathComponent("hub")
private let commitMain = "abcdefabcdefabcdefabcdefabcdefabcdefabcd"
private let commitParquet = "0123401234012340123401234012340123401234"

private struct HubExpected: Decodable {
    struct Feature: Decodable, Equatable {
        var kind: String
        var dtype: String?
        var names: [String]?
        var feature: FeatureBox?
    }
    /// Decodable indirection for the nested feature.
    struct FeatureBox: Decodable, Equatable {
        var kind: String
        var dtype: String?
        var names: [String]?
    }
    struct Repo: Decodable {
        var config: String
        var files: [String: String]
        var splits: [String]
        var num_rows: [String: Int]
        var columns: [String]
        var features: [String: Feature]
        var rows: [String: [[String: Tagged]]]
    }
    var repos: [String: Repo]
}

/// Tagged JSON values: null, {"b":}, {"i":}, a string, a list.
private indirect enum Tagged: Decodable, Equatable {
    case null, bool(Bool), int(Int), string(String), list([Tagged])
    init(from decoder: Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null; return }
        if let s = try? single.decode(String.self) { self = .string(s); return }
        if let items = try? single.decode([Tagged].self) { self = .list(items); return }
        let keyed = try decoder.container(keyedBy: Key.self)
        if let b = try keyed.decodeIfPresent(Bool.self, forKey: .b) { self = .bool(b) } else { self = .int(try keyed.decode(Int.self, forKey: .i)) }
    }
    enum Key: String, CodingKey { case b, i }
    var value: Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .string(let s): return .string(s)
        case .list(let items): return .list(items.map(\.value))
        }
    }
}

private let hubExpected: HubExpected? = try? JSONDecoder().decode(
    HubExpected.self, from: Data(contentsOf: hubFixtures.appendingPathComponent("hub_expected.json")))

/// Serves the fixture repositories the way the Hub's API and resolve URLs answer.
private func serveHub(_ server: TestHTTPServer, _ expected: HubExpected) throws {
    let renames = ["conll2003": "eriktks/conll2003", "glue": "nyu-mll/glue", "imdb": "stanfordnlp/imdb"]
    for (short, repo) in renames {
        server.route("/api/datasets/\(short)/revision/main",
                     .init(status: 307, headers: ["Location": "/api/datasets/\(repo)/revision/main"]))
        let info = #"{"id": "\#(repo)", "sha": "\#(commitMain)"}"#
        server.file("/api/datasets/\(repo)/revision/main", Array(info.utf8))
        guard let spec = expected.repos[repo] else { continue }
        var listing: [String] = [#"{"type": "file", "path": "README.md", "size": 10}"#]
        let converted = repo == "eriktks/conll2003"
        let revision = converted ? "refs%2Fconvert%2Fparquet" : "main"
        let commit = converted ? commitParquet : commitMain
        for path in spec.files.values.sorted() {
            let body = [UInt8](try Data(contentsOf: hubFixtures.appendingPathComponent("datasets/\(repo)/\(path)")))
            let digest = SHA256Hex.of(body)
            listing.append(#"{"type": "file", "path": "\#(path)", "size": \#(body.count), "lfs": {"oid": "\#(digest)", "size": \#(body.count)}}"#)
            server.file("/datasets/\(repo)/resolve/\(revision)/\(path)", body,
                        headers: ["X-Linked-Etag": "\"\(digest)\"", "X-Linked-Size": "\(body.count)", "X-Repo-Commit": commit])
        }
        let files = Array(("[" + listing.joined(separator: ", ") + "]").utf8)
        if converted {
            // main holds only the loading script; the conversion holds the Parquet files.
            server.file("/api/datasets/\(repo)/tree/\(commitMain)?recursive=true&expand=false",
                        Array(#"[{"type": "file", "path": "conll2003.py", "size": 9000}]"#.utf8))
            server.file("/api/datasets/\(repo)/revision/refs%2Fconvert%2Fparquet",
                        Array(#"{"id": "\#(repo)", "sha": "\#(commitParquet)"}"#.utf8))
            server.file("/api/datasets/\(repo)/tree/\(commitParquet)?recursive=true&expand=false", files)
        } else {
            server.file("/api/datasets/\(repo)/tree/\(commitMain)?recursive=true&expand=false", files)
        }
    }
}

private func checkMatchesPython(_ dict: DatasetDict, _ spec: HubExpected.Repo, _ label: String) throws {
    #expect(dict.keys == spec.splits, "\(label)")
    for (split, ds) in dict {
        #expect(ds.numRows == spec.num_rows[split], "\(label) \(split)")
        #expect(ds.columnNames == spec.columns, "\(label) \(split)")
        for name in spec.columns {
            let want = try #require(spec.features[name])
            let got = try ds.features[name]
            switch got {
            case .value(let dtype): #expect(want.kind == "Value" && want.dtype == dtype, "\(label) \(name)")
            case .classLabel(let c): #expect(want.kind == "ClassLabel" && want.names == c.names, "\(label) \(name)")
            case .sequence(let inner):
                let element = want.feature
                #expect(want.kind == "List", "\(label) \(name)")
                switch inner {
                case .value(let dtype): #expect(element?.dtype == dtype, "\(label) \(name)")
                case .classLabel(let c): #expect(element?.names == c.names, "\(label) \(name)")
                case .sequence: Issue.record("\(label) \(name): a list of lists")
                }
            }
        }
        let rows = try #require(spec.rows[split])
        for (i, row) in rows.enumerated() {
            let got = try ds[i]
            for name in spec.columns { #expect(try got[name] == row[name]?.value, "\(label) \(split)[\(i)] \(name)") }
        }
    }
}

private func freshHub(cache: URL, endpoint: String, offline: Bool = false, mirror: String? = nil) -> Hub {
    var hub = Hub(mirror: mirror, cacheDirectory: cache, endpoint: endpoint, offline: offline, environment: [:])
    hub.showProgress = false
    hub.timeout = 5
    return hub
}

@Suite struct HubLoadTests {
    @Test func theCourseDatasetsLoadFromTheHubThenFromTheCacheThenOffline() throws {
        let expected = try #require(hubExpected, "run Scripts/fixtures/datasets_hub_fixtures.py")
        let server = try TestHTTPServer()
        defer { server.stop() }
        try serveHub(server, expected)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("hub-load-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let calls: [(String, String?, String)] = [("conll2003", nil, "eriktks/conll2003"), ("glue", "mrpc", "nyu-mll/glue"),
                                                  ("imdb", nil, "stanfordnlp/imdb")]
        let online = freshHub(cache: cache, endpoint: server.baseURL)
        for (name, config, repo) in calls {
            try checkMatchesPython(try loadDataset(name, config, hub: online), try #require(expected.repos[repo]), name)
        }
        #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent(
            "datasets--eriktks--conll2003/snapshots/\(commitParquet)/conll2003/train/0000.parquet").path))

        // The second run and an offline run touch no network at all.
        let requests = server.log.count
        server.stop()
        for hub in [online, freshHub(cache: cache, endpoint: server.baseURL, offline: true)] {
            for (name, config, repo) in calls {
                try checkMatchesPython(try loadDataset(name, config, hub: hub), try #require(expected.repos[repo]), name + " (cache)")
            }
        }
        #expect(server.log.count == requests)
    }

    @Test func aMirrorInTheHubLayoutTakesTheSamePath() throws {
        let expected = try #require(hubExpected)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("hub-load-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let hub = freshHub(cache: cache, endpoint: "http://127.0.0.1:9", offline: true, mirror: hubFixtures.path)
        try checkMatchesPython(try loadDataset("conll2003", hub: hub), try #require(expected.repos["eriktks/conll2003"]), "mirror")
        try checkMatchesPython(try loadDataset("imdb", hub: hub), try #require(expected.repos["stanfordnlp/imdb"]), "mirror")
        let glue = try loadDataset("glue", "mrpc", hub: hub)
        #expect(glue.description == """
            DatasetDict({
                train: Dataset({
                    features: ['sentence1', 'sentence2', 'label', 'idx'],
                    num_rows: 30
                })
                validation: Dataset({
                    features: ['sentence1', 'sentence2', 'label', 'idx'],
                    num_rows: 8
                })
                test: Dataset({
                    features: ['sentence1', 'sentence2', 'label', 'idx'],
                    num_rows: 9
                })
            })
            """)
        #expect(try glue["train"].features.description == "{'sentence1': Value(dtype='string', id=None), "
            + "'sentence2': Value(dtype='string', id=None), 'label': ClassLabel(names=['not_equivalent', 'equivalent'], id=None), "
            + "'idx': Value(dtype='int32', id=None)}")
        let missing = #expect(throws: DatasetError.self) { try loadDataset("glue", "qqp", hub: hub) }
        #expect(missing?.description.contains("no configuration 'qqp'") == true)
    }

    @Test func aDamagedCachedFileNamesTheBlobAndLinkToDelete() throws {
        let expected = try #require(hubExpected)
        let server = try TestHTTPServer()
        defer { server.stop() }
        try serveHub(server, expected)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("hub-load-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let link = try #require(try freshHub(cache: cache, endpoint: server.baseURL).datasetParquetFiles("imdb").splits.first?.files.first)
        // Same size, last byte changed: only reading it shows the damage.
        let blob = link.resolvingSymlinksInPath()
        var body = [UInt8](try Data(contentsOf: blob))
        body[body.count - 1] ^= 0xFF
        try Data(body).write(to: blob)

        let error = #expect(throws: DatasetError.self) {
            try loadDataset("imdb", hub: freshHub(cache: cache, endpoint: server.baseURL, offline: true))
        }
        #expect(error?.description.contains("It is a cached download: delete \(blob.path) and \(link.path)") == true,
                "\(error?.description ?? "")")
    }

    @Test func aHubCacheThatHuggingfaceHubWroteLoadsOffline() throws {
        let expected = try #require(hubExpected)
        let spec = try #require(expected.repos["stanfordnlp/imdb"])
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("hub-load-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        // huggingface_hub's layout: refs/main → snapshots/<commit>/<path> → blobs/<sha256>, no record of ours.
        let repo = cache.appendingPathComponent("datasets--stanfordnlp--imdb")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data(commitMain.utf8).write(to: repo.appendingPathComponent("refs/main"))
        for path in spec.files.values {
            let body = try Data(contentsOf: hubFixtures.appendingPathComponent("datasets/stanfordnlp/imdb/\(path)"))
            let digest = SHA256Hex.of([UInt8](body))
            let blob = repo.appendingPathComponent("blobs/\(digest)")
            try FileManager.default.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
            try body.write(to: blob)
            let link = repo.appendingPathComponent("snapshots/\(commitMain)/\(path)")
            try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: String(
                repeating: "../", count: path.split(separator: "/").count + 1) + "blobs/\(digest)")
        }
        let hub = freshHub(cache: cache, endpoint: "http://127.0.0.1:9", offline: true)
        try checkMatchesPython(try loadDataset("imdb", hub: hub), spec, "imdb from huggingface_hub's cache")
    }

    @Test func parquetDataFilesLoadLikeTheOtherFormats() throws {
        let dir = hubFixtures.appendingPathComponent("datasets/stanfordnlp/imdb/plain_text")
        let dict = try loadDataset("parquet", dataFiles: ["train": dir.appendingPathComponent("train-00000-of-00001.parquet").path,
                                                           "test": dir.appendingPathComponent("test-00000-of-00001.parquet").path])
        #expect(dict.keys == ["train", "test"])
        #expect(try dict["train"].features["label"].names == ["neg", "pos"])
    }
}

/// sha256 hex of bytes (the Hub's LFS oid), via the Digest module Hub links.
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String { Digest.SHA256.hex(bytes) }
}
