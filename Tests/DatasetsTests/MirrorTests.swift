import Foundation
import Testing
@testable import Datasets

// The real course data, checked against facts an independent Python parse computed
// (Scripts/fixtures/data_datasets_fixtures.py). Skipped without the mirror.

@Suite(.enabled(if: mirrorRoot != nil, "needs the data mirror (COURSE_MIRROR or ../shared/mirror)"))
struct MirrorTests {
    @Test func conll2003() throws {
        let facts = try #require(mirrorFacts?.conll2003)
        let raw = try loadDataset("conll2003", hub: mirrorHub)
        #expect(raw.keys == ["train", "validation", "test"])
        #expect(raw.description.contains("""
                train: Dataset({
                    features: ['id', 'tokens', 'pos_tags', 'chunk_tags', 'ner_tags'],
                    num_rows: 14041
                })
            """))
        for (split, ds) in raw {
            let f = try #require(facts[split])
            #expect(ds.numRows == f.num_rows, "\(split)")
            let tags = try ds[column: "ner_tags"].map { try $0.intList }
            #expect(tags.reduce(0) { $0 + $1.count } == f.tokens)
            var histogram = [Int](repeating: 0, count: 9)
            for t in tags.joined() { histogram[t] += 1 }
            #expect(histogram == f.ner_histogram, "\(split)")
            for (index, row) in f.rows ?? [:] {
                #expect(rowMatches(ds, index, row), "\(split)[\(index)]")
            }
        }
        let feature = try raw["train"].features["ner_tags"].feature
        #expect(try feature.names == CoNLL2003.nerNames)
        #expect(try raw["train"].features["pos_tags"].feature.names.count == 47)
    }

    @Test func glueMrpcAndSst2() throws {
        for (config, facts) in [("mrpc", mirrorFacts?.mrpc), ("sst2", mirrorFacts?.sst2)] {
            let facts = try #require(facts)
            let dict = try loadDataset("glue", config, hub: mirrorHub)
            #expect(dict.keys == ["train", "validation", "test"])
            for (split, ds) in dict {
                let f = try #require(facts[split])
                #expect(ds.numRows == f.num_rows, "\(config) \(split)")
                let labels = try ds[column: "label"].map { try $0.intValue }
                #expect([0, 1].map { l in labels.filter { $0 == l }.count } == f.label_histogram, "\(config) \(split)")
                for (index, row) in f.rows ?? [:] {
                    #expect(rowMatches(ds, index, row), "\(config) \(split)[\(index)]")
                }
            }
        }
        let mrpc = try loadDataset("glue", "mrpc", hub: mirrorHub)
        #expect(try mrpc["train"].columnNames == ["sentence1", "sentence2", "label", "idx"])
        #expect(try mrpc["train"].features["label"].names == ["not_equivalent", "equivalent"])
    }

    @Test func imdbSmallSubsets() throws {
        let facts = try #require(mirrorFacts?.imdb_small)
        let dict = try loadDataset("imdb", "small", hub: mirrorHub)
        for (split, ds) in dict {
            let f = try #require(facts[split])
            #expect(ds.numRows == f.num_rows)
            #expect(ds.columnNames == f.columns)
            #expect(try ds.features["label"].names == ["neg", "pos"])
            for (index, row) in f.rows ?? [:] {
                #expect(rowMatches(ds, index, row), "\(split)[\(index)]")
            }
        }
    }
}

/// The full aclImdb archive (108 MB once decompressed): a few seconds, so a separate test.
@Test(.enabled(if: mirrorRoot != nil, "needs the data mirror (COURSE_MIRROR or ../shared/mirror)"))
func imdbArchive() throws {
    let facts = try #require(mirrorFacts?.imdb)
    let dict = try loadDataset("imdb", hub: mirrorHub)
    #expect(dict.keys == ["train", "test"])
    for (split, ds) in dict {
        let f = try #require(facts[split])
        #expect(ds.numRows == f.num_rows)
        let labels = try ds[column: "label"].map { try $0.intValue }
        #expect([0, 1].map { l in labels.filter { $0 == l }.count } == f.label_histogram)
        #expect(try fnv1a64(ds[0]["text"].stringValue) == f.first_text)
        #expect(try fnv1a64(ds[f.label_histogram?[0] ?? 0]["text"].stringValue) == f.first_pos_text)
    }
}
