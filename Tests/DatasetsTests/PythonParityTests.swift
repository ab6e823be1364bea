import Foundation
import Testing
@testable import Datasets

// The same datasets as Scripts/fixtures/data_datasets_printing.py builds with Python `datasets` 2.21:
// printed forms and shuffled / split rows must be identical.

struct PythonDatasetsFixture: Decodable {
    struct Shuffle: Decodable {
        var n: Int
        var seed: UInt64
        var shuffle_head, test_head, train_head: [Int]
        var test_rows, train_rows: Int
    }
    var conll_dataset, conll_dict, conll_features, ner_feature, conll_row, conll_batch, mrpc_features: String
    var mrpc_rows, mixed_rows: [String]
    var mixed_features: String
    var shuffles: [Shuffle]
}

func pythonFixture() throws -> PythonDatasetsFixture {
    try JSONDecoder().decode(PythonDatasetsFixture.self,
                             from: Data(contentsOf: fixtures.appendingPathComponent("python_datasets.json")))
}

@Test func printedFormsMatchPythonDatasets() throws {
    let py = try pythonFixture()
    let conll = try Dataset([
        ("id", ["0", "1"]), ("tokens", [["EU", "rejects", "German"], ["Peter", "Blackburn"]].map(\.value)),
        ("pos_tags", [[22, 42, 16], [22, 22]].map(\.value)), ("chunk_tags", [[11, 21, 11], [11, 12]].map(\.value)),
        ("ner_tags", [[3, 0, 7], [1, 2]].map(\.value)),
    ], features: [
        "id": .string, "tokens": .sequence(.string),
        "pos_tags": .sequence(.classLabel(ClassLabel(names: (0..<47).map(String.init)))),
        "chunk_tags": .sequence(.classLabel(ClassLabel(names: (0..<23).map(String.init)))),
        "ner_tags": .sequence(.classLabel(ClassLabel(names: CoNLL2003.nerNames))),
    ])
    #expect(conll.description == py.conll_dataset)
    let dict = DatasetDict([("train", conll), ("validation", try conll.select([1])), ("test", try conll.select([]))])
    #expect(dict.description == py.conll_dict)
    #expect(conll.features.description == py.conll_features)
    #expect(try conll.features["ner_tags"].description == py.ner_feature)
    #expect(try conll[0].description == py.conll_row)
    #expect(try conll[0..<2].description == py.conll_batch)

    let mrpc = try Dataset([
        ("sentence1", ["He said \"yes\".", "It's fine."]), ("sentence2", ["Yes, he said.", "Fine."]),
        ("label", [1, 0]), ("idx", [0, 1]),
    ], features: GlueDataset.mrpcFeatures)
    #expect(mrpc.features.description == py.mrpc_features)
    #expect(try [mrpc[0].description, mrpc[1].description] == py.mrpc_rows)

    let mixed = try Dataset([("i", [1, 2]), ("f", [0.5, 1e-05]), ("b", [true, false]), ("s", ["a\\b", "tab\there"]),
                             ("l", [[1.5], []]), ("n", [nil, 3])])
    #expect(try [mixed[0].description, mixed[1].description] == py.mixed_rows)
    #expect(mixed.features.description == py.mixed_features)
}

@Test func shuffleAndSplitPickPythonsRows() throws {
    let py = try pythonFixture()
    #expect(py.shuffles.count == 4)
    for s in py.shuffles {
        let ds = try Dataset([("n", (0..<s.n).map { Value.int($0) })])
        #expect(try Array(ds.shuffle(seed: s.seed)[column: "n"].prefix(20)) == s.shuffle_head.map(\.value), "n \(s.n)")
        let split = try ds.trainTestSplit(testSize: 0.1, seed: s.seed)
        #expect(try split["test"].numRows == s.test_rows)
        #expect(try split["train"].numRows == s.train_rows)
        #expect(try Array(split["test"][column: "n"].prefix(20)) == s.test_head.map(\.value), "n \(s.n)")
        #expect(try Array(split["train"][column: "n"].prefix(20)) == s.train_head.map(\.value), "n \(s.n)")
    }
}
