import Foundation
import Testing
@testable import Datasets

// The mirror's Hub-layout Parquet copies against the original files read by the text readers:
// the same rows, columns and features. Skipped without the mirror.

@Suite(.enabled(if: mirrorRoot != nil, "needs the data mirror (COURSE_MIRROR or ../shared/mirror)"))
struct MirrorParquetTests {
    func expectSame(_ parquet: DatasetDict, _ text: DatasetDict, _ label: String) throws {
        #expect(parquet.keys == text.keys, "\(label)")
        for (split, ds) in text {
            let other = try parquet[split]
            #expect(other.numRows == ds.numRows, "\(label) \(split)")
            #expect(other.features == ds.features, "\(label) \(split): \(other.features) vs \(ds.features)")
            for name in ds.columnNames {
                let a = try other[column: name], b = try ds[column: name]
                if let i = a.indices.first(where: { a[$0] != b[$0] }) {
                    Issue.record("\(label) \(split)[\(i)] \(name): Parquet \(a[i]) but text \(b[i])")
                }
            }
        }
    }

    @Test func conll2003ParquetEqualsTheTextFiles() throws {
        let root = try #require(mirrorRoot)
        let parquet = try loadDataset("conll2003", hub: mirrorHub)
        let text = try CoNLL2003.load(repo: root.appendingPathComponent("datasets/conll2003").path, hub: mirrorHub)
        try expectSame(parquet, text, "conll2003")
    }

    @Test func mrpcAndSst2ParquetEqualTheTsvFiles() throws {
        let root = try #require(mirrorRoot)
        for config in ["mrpc", "sst2"] {
            let parquet = try loadDataset("glue", config, hub: mirrorHub)
            let text = try GlueDataset.load(config, repo: root.appendingPathComponent("datasets/glue").path, hub: mirrorHub)
            try expectSame(parquet, text, config)
        }
    }

    @Test func imdbParquetEqualsTheArchive() throws {
        let root = try #require(mirrorRoot)
        let parquet = try loadDataset("imdb", hub: mirrorHub)
        let text = try Imdb.readArchive(root.appendingPathComponent("datasets/imdb/aclImdb_labeled_train_test.tar.gz"))
        try expectSame(parquet, text, "imdb")
    }
}
