import Foundation
import Testing
@testable import Hub

// A dataset huggingface_hub put in the hub cache (as `datasets.load_dataset` does) is read from
// there offline, without this module's own record: refs/<revision> → snapshots/<commit>/<path>
// → blobs/<sha256>, the layout Fixtures/hf_cache_reference.json recorded from huggingface_hub.
// It must be complete for the configuration asked for, and its blobs must have their sha256.

private let commitMain = "5555555555555555555555555555555555555555"
private let commitParquet = "6666666666666666666666666666666666666666"
private let files = [
    "conll2003/train/0000.parquet": bytes(3000, seed: 41),
    "conll2003/validation/0000.parquet": bytes(2000, seed: 42),
    "conll2003/test/0000.parquet": bytes(1000, seed: 43),
]

/// Writes what huggingface_hub leaves after downloading the files of `eriktks/conll2003` at
/// refs/convert/parquet (and the card from main, as `datasets` fetches it).
private func layOutPythonCache(_ root: URL, card: String = "---\nlicense: other\n---\n# CoNLL-2003\n") throws {
    let repo = root.appendingPathComponent("datasets--eriktks--conll2003")
    try write(commitMain, to: repo.appendingPathComponent("refs/main"))
    try write(commitParquet, to: repo.appendingPathComponent("refs/refs/convert/parquet"))
    func place(_ path: String, _ body: [UInt8], commit: String) throws {
        let blob = repo.appendingPathComponent("blobs/\(sha256(body))")
        try FileManager.default.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(body).write(to: blob)
        let link = repo.appendingPathComponent("snapshots/\(commit)/\(path)")
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        let depth = path.split(separator: "/").count + 1
        try FileManager.default.createSymbolicLink(atPath: link.path,
                                                   withDestinationPath: String(repeating: "../", count: depth) + "blobs/\(sha256(body))")
    }
    try place("README.md", Array(card.utf8), commit: commitMain)
    for (path, body) in files { try place(path, body, commit: commitParquet) }
}

@Suite struct DatasetCacheSnapshotTests {
    @Test func aSnapshotHuggingfaceHubLeftIsReadOffline() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        try layOutPythonCache(root)
        let hub = testHub(cache: root, offline: true)

        let found = try hub.datasetParquetFiles("conll2003")

        #expect(found.repo == "eriktks/conll2003" && found.config == "conll2003" && found.revision == "refs/convert/parquet")
        #expect(found.splits.map(\.name) == ["train", "validation", "test"])
        let snapshot = root.appendingPathComponent("datasets--eriktks--conll2003/snapshots/\(commitParquet)")
        #expect(found.splits[1].files == [snapshot.appendingPathComponent("conll2003/validation/0000.parquet")])
        for (split, urls) in found.splits { #expect(contents(urls[0]) == files["conll2003/\(split)/0000.parquet"]) }
        // Checked once: a record is left, so the next run reads it without hashing.
        #expect(tree(root).contains { $0.contains("parquet-files/main/conll2003/") })
        #expect(try hub.datasetParquetFiles("conll2003").splits.map(\.files) == found.splits.map(\.files))
    }

    @Test func withoutRefsTheOnlySnapshotStandsForMain() throws {
        // `datasets` downloads Parquet files by commit hash, which leaves no refs/ file.
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        try layOutPythonCache(root)
        let repo = root.appendingPathComponent("datasets--eriktks--conll2003")
        // refs/main names the snapshot with only the card; no ref names the Parquet files.
        try FileManager.default.removeItem(at: repo.appendingPathComponent("refs/refs"))
        let found = try testHub(cache: root, offline: true).datasetParquetFiles("conll2003")
        #expect(found.revision == commitParquet)
        #expect(found.splits.map(\.name) == ["train", "validation", "test"])
        #expect(found.splits[0].files[0].path == repo.path + "/snapshots/\(commitParquet)/conll2003/train/0000.parquet")

        // Two snapshots with Parquet files and no ref: which one is main is not guessed.
        let two = try temporaryDirectory()
        defer { cleanup(two) }
        try layOutPythonCache(two)
        let other = two.appendingPathComponent("datasets--eriktks--conll2003")
        try FileManager.default.removeItem(at: other.appendingPathComponent("refs"))
        try FileManager.default.copyItem(at: other.appendingPathComponent("snapshots/\(commitParquet)"),
                                         to: other.appendingPathComponent("snapshots/\(String(repeating: "7", count: 40))"))
        let error = #expect(throws: HubError.self) { try testHub(cache: two, offline: true).datasetParquetFiles("conll2003") }
        #expect(error?.description.contains("holds 2 snapshots with Parquet files and no refs/main") == true,
                "\(error?.description ?? "")")
    }

    @Test func aDamagedBlobIsNamedWithWhatToDelete() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        try layOutPythonCache(root)
        let body = try #require(files["conll2003/test/0000.parquet"])
        let blob = root.appendingPathComponent("datasets--eriktks--conll2003/blobs/\(sha256(body))")
        var damaged = body
        damaged[500] ^= 0xFF
        try Data(damaged).write(to: blob)
        let link = root.appendingPathComponent("datasets--eriktks--conll2003/snapshots/\(commitParquet)/conll2003/test/0000.parquet")

        let error = #expect(throws: HubError.self) { try testHub(cache: root, offline: true).datasetParquetFiles("conll2003") }
        #expect(error?.description.contains("the cached file \(link.path) is damaged: its blob \(blob.path) has the sha256 "
            + "\(sha256(damaged))") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("delete \(blob.path) and \(link.path)") == true)
    }

    @Test func anIncompleteSnapshotIsNotUsed() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        try layOutPythonCache(root)
        let body = try #require(files["conll2003/train/0000.parquet"])
        try FileManager.default.removeItem(at: root.appendingPathComponent("datasets--eriktks--conll2003/blobs/\(sha256(body))"))

        let error = #expect(throws: HubError.self) { try testHub(cache: root, offline: true).datasetParquetFiles("conll2003") }
        #expect(error?.description.contains("conll2003/train/0000.parquet point(s) to no blob") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("HF_HUB_OFFLINE") == true)
    }

    @Test func onlyTheConfigurationsDownloadedAreNotTakenForAllOfThem() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        // The card names a second configuration that nobody downloaded.
        try layOutPythonCache(root, card: "---\nconfigs:\n- config_name: conll2003\n  data_files: x\n- config_name: other\n---\n")
        let hub = testHub(cache: root, offline: true)

        let error = #expect(throws: HubError.self) { try hub.datasetParquetFiles("conll2003") }
        #expect(error?.description.contains("several configurations (conll2003, other); name one") == true, "\(error?.description ?? "")")
        #expect(try hub.datasetParquetFiles("conll2003", config: "conll2003").splits.count == 3)
    }

    @Test func aSplitTheCardDeclaresMustBeThere() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let card = "---\nconfigs:\n- config_name: conll2003\n  data_files:\n  - split: train\n    path: conll2003/train/*\n"
            + "  - split: validation\n    path: conll2003/validation/*\n  - split: test\n    path: conll2003/test/*\n---\n"
        try layOutPythonCache(root, card: card)
        let hub = testHub(cache: root, offline: true)
        #expect(try hub.datasetParquetFiles("conll2003").splits.count == 3)

        // Only train and validation were downloaded (a run cut short): not a two-split dataset.
        let fresh = try temporaryDirectory()
        defer { cleanup(fresh) }
        try layOutPythonCache(fresh, card: card)
        try FileManager.default.removeItem(at: fresh.appendingPathComponent(
            "datasets--eriktks--conll2003/snapshots/\(commitParquet)/conll2003/test"))
        let error = #expect(throws: HubError.self) { try testHub(cache: fresh, offline: true).datasetParquetFiles("conll2003") }
        #expect(error?.description.contains("lacks the split(s) test that the dataset card declares for 'conll2003'") == true,
                "\(error?.description ?? "")")
    }
}

// The same, from the tree huggingface_hub's snapshot_download really left
// (Fixtures/hf_dataset_snapshot.json, Scripts/fixtures/hub_dataset_snapshot_reference.py): refs/main,
// snapshots/<commit>/ links, blobs, and the commit's listing in trees/<commit>.json.

private struct PythonSnapshot: Decodable {
    struct Entry: Decodable { var size: Int?; var text: String?; var link: String? }
    struct Spec: Decodable { var count: Int; var seed: UInt64 }
    var commit: String
    var card: String
    var files: [String: Spec]
    var blobs: [String: String]
    var tree: [String: Entry]
}

/// Rebuilds the recorded tree under `root`; returns the fixture.
private func rebuildPythonSnapshot(_ root: URL) throws -> PythonSnapshot {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hf_dataset_snapshot.json")
    let fixture = try JSONDecoder().decode(PythonSnapshot.self, from: Data(contentsOf: url))
    for (path, entry) in fixture.tree {
        let target = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if let link = entry.link {
            try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: link)
        } else if let text = entry.text {
            try Data(text.utf8).write(to: target)
        } else {
            let file = try #require(fixture.blobs[target.lastPathComponent], "no body recorded for \(path)")
            let body = try file == "README.md" ? Array(fixture.card.utf8) : #require(fixture.files[file].map { bytes($0.count, seed: $0.seed) })
            #expect(body.count == entry.size, "\(path)")
            try Data(body).write(to: target)
        }
    }
    return fixture
}

@Suite struct PythonDatasetSnapshotTests {
    @Test func whatSnapshotDownloadLeftIsReadOffline() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let fixture = try rebuildPythonSnapshot(root)
        let hub = testHub(cache: root, offline: true)

        let en = try hub.datasetParquetFiles("owner/set", config: "en")
        let snapshot = root.appendingPathComponent("datasets--owner--set/snapshots/\(fixture.commit)")
        #expect(en.revision == "main")
        #expect(en.splits.map(\.name) == ["train", "test"])
        #expect(en.splits[0].files == ["en/train-00000-of-00002.parquet", "en/train-00001-of-00002.parquet"]
            .map { snapshot.appendingPathComponent($0) })
        #expect(try hub.datasetParquetFiles("owner/set", config: "de").splits.map(\.name) == ["train"])
        // Two configurations and no default: one must be named, as online.
        let error = #expect(throws: HubError.self) { try hub.datasetParquetFiles("owner/set") }
        #expect(error?.description.contains("several configurations (de, en); name one") == true, "\(error?.description ?? "")")
    }

    @Test func aShardMissingFromTheListedSnapshotMakesItIncomplete() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let fixture = try rebuildPythonSnapshot(root)
        // A run cut short: the second train shard never arrived. The listing says it exists.
        let shard = root.appendingPathComponent("datasets--owner--set/snapshots/\(fixture.commit)/en/train-00001-of-00002.parquet")
        try FileManager.default.removeItem(at: shard)

        let error = #expect(throws: HubError.self) { try testHub(cache: root, offline: true).datasetParquetFiles("owner/set", config: "en") }
        #expect(error?.description.contains("is incomplete: \(shard.path) point(s) to no blob") == true, "\(error?.description ?? "")")
    }

    @Test func aBlobOfAnotherSizeThanListedIsNamedWithWhatToDelete() throws {
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        let fixture = try rebuildPythonSnapshot(root)
        let link = root.appendingPathComponent("datasets--owner--set/snapshots/\(fixture.commit)/de/train-00000-of-00001.parquet")
        let blob = link.resolvingSymlinksInPath()
        try Data(bytes(100)).write(to: blob)

        let error = #expect(throws: HubError.self) { try testHub(cache: root, offline: true).datasetParquetFiles("owner/set", config: "de") }
        #expect(error?.description.contains("its blob \(blob.path) has 100 bytes, the listing huggingface_hub kept says 900") == true,
                "\(error?.description ?? "")")
        #expect(error?.description.contains("delete \(blob.path) and \(link.path)") == true)
    }
}
