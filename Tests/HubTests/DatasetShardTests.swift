import Foundation
import Testing
@testable import Hub

// Issue 25: a split numbered `-NNNNN-of-NNNNN` loads only when every shard is there once, all
// of one count. A missing shard used to give the split half its rows without a word.

private func chooseError(_ paths: [String], _ config: String? = nil, dataset: String = "glue") -> String? {
    do {
        _ = try DatasetLayout(paths: paths).choose(config, dataset: dataset)
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite struct DatasetShardTests {
    @Test func aMissingShardIsNamedWithWhatToDo() {
        let error = chooseError(["mnli/train-00000-of-00002.parquet", "mnli/validation_matched-00000-of-00001.parquet"], "mnli")
        #expect(error == "dataset 'glue', configuration 'mnli', split 'train': 1 of its 2 shards is missing "
            + "(mnli/train-00001-of-00002.parquet), so the split would have only part of its rows; the files are "
            + "incomplete (an interrupted download or copy, or a partial mirror): download the dataset again, or "
            + "complete the mirror or directory")
        let many = chooseError((0..<3).map { "data/train-0000\($0)-of-00010.parquet" })
        #expect(many?.contains("7 of its 10 shards are missing (data/train-00003-of-00010.parquet, "
            + "data/train-00004-of-00010.parquet, data/train-00005-of-00010.parquet, data/train-00006-of-00010.parquet, "
            + "data/train-00007-of-00010.parquet and 2 more)") == true, "\(many ?? "no error")")
    }

    @Test func completeSplitsAndOtherConfigurationsStillLoad() throws {
        let layout = DatasetLayout(paths: ["mnli/train-00000-of-00002.parquet", "mnli/train-00001-of-00002.parquet",
                                           "mnli/test_matched-00000-of-00001.parquet", "sst2/train-00001-of-00002.parquet",
                                           "conll2003/train/0000.parquet", "conll2003/train/0001.parquet"])
        #expect(try layout.choose("mnli", dataset: "glue").splits.map(\.paths.count) == [2, 1])
        // sst2 lacks its shard 0, but only loading sst2 is refused.
        #expect(try layout.choose("conll2003", dataset: "x").splits.first?.paths.count == 2)
        let sst2 = #expect(throws: HubError.self) { try layout.choose("sst2", dataset: "glue") }
        #expect(sst2?.description.contains("(sst2/train-00000-of-00002.parquet)") == true)
    }

    @Test func mixedCountsDuplicatesAndOutOfRangeShardsAreRefused() {
        let mixed = chooseError(["data/train-00000-of-00002.parquet", "data/train-00001-of-00003.parquet"])
        #expect(mixed?.contains("data/train-00000-of-00002.parquet is one of 2 shards, data/train-00001-of-00003.parquet "
            + "one of 3") == true, "\(mixed ?? "no error")")
        // `train` and `training` both name the train split; shard 0 twice would read its rows twice.
        let twice = chooseError(["train-00000-of-00001.parquet", "data/train-00000-of-00001.parquet"])
        #expect(twice?.contains("shard 0 of 1 is there twice") == true, "\(twice ?? "no error")")
        let beyond = chooseError(["data/test-00000-of-00001.parquet", "data/test-00001-of-00001.parquet"])
        #expect(beyond?.contains("data/test-00001-of-00001.parquet is numbered 1 of only 1 shards") == true, "\(beyond ?? "no error")")
    }

    @Test func fingerprintedShardNamesAreSplitAndChecked() throws {
        // Older `push_to_hub` appended a fingerprint; such a test file used to land in train.
        let layout = DatasetLayout(paths: ["data/train-00000-of-00001-5c1f4e9a2b7d3e60.parquet",
                                           "data/test-00000-of-00001-0a9e2d4c6b8f1e33.parquet"])
        #expect(try layout.choose(nil, dataset: "x").splits.map(\.name) == ["train", "test"])
        let missing = chooseError(["data/train-00000-of-00002-5c1f4e9a2b7d3e60.parquet"])
        #expect(missing?.contains("(data/train-00001-of-00002-*.parquet)") == true, "\(missing ?? "no error")")
    }

    @Test func aMirrorMissingAShardIsRefusedNotHalfLoaded() throws {
        let mirror = try temporaryDirectory()
        defer { cleanup(mirror) }
        let folder = mirror.appendingPathComponent("datasets/nyu-mll/glue/mnli")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["train-00000-of-00002.parquet", "validation_matched-00000-of-00001.parquet"] {
            try Data(bytes(100)).write(to: folder.appendingPathComponent(name))
        }
        let cache = try temporaryDirectory()
        defer { cleanup(cache) }
        let hub = testHub(cache: cache, mirror: mirror.path, offline: true)
        let error = #expect(throws: HubError.self) { try hub.datasetParquetFiles("glue", config: "mnli") }
        #expect(error?.description.contains("split 'train': 1 of its 2 shards is missing (mnli/train-00001-of-00002.parquet)") == true,
                "\(error?.description ?? "")")
    }
}
