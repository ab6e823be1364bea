import Foundation
import Testing
@testable import Datasets

// Dataset and DatasetDict in memory: access, map, filter, select, shuffle, split, printing.

func sampleDataset() throws -> Dataset {
    try Dataset([
        ("tokens", [["EU", "rejects"], ["Peter", "Blackburn"], ["BRUSSELS"]].map(\.value)),
        ("ner_tags", [[3, 0], [1, 2], [5]].map(\.value)),
    ], features: ["tokens": .sequence(.string),
                  "ner_tags": .sequence(.classLabel(ClassLabel(names: ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC"])))])
}

@Test func rowAndColumnAccess() throws {
    let ds = try sampleDataset()
    #expect(ds.numRows == 3)
    #expect(ds.columnNames == ["tokens", "ner_tags"])
    #expect(try ds[0]["tokens"] == ["EU", "rejects"])
    #expect(try ds[1]["ner_tags"].intList == [1, 2])
    #expect(try ds[column: "ner_tags"].count == 3)
    #expect(try ds["tokens"] == ds[column: "tokens"])
    #expect(throws: DatasetError.self) { try ds["labels"] }
    #expect(try ds[0..<2]["tokens"].stringLists == [["EU", "rejects"], ["Peter", "Blackburn"]])
    #expect(throws: DatasetError.self) { try ds[3] }
    #expect(throws: DatasetError.self) { try ds[0]["labels"] }
    let names = try ds.features["ner_tags"].feature.names
    #expect(names.count == 6)
    #expect(try ds.features["ner_tags"].feature.intToStr(1) == "B-PER")
    #expect(throws: DatasetError.self) { try ds.features["tokens"].names }
}

@Test func printsLikePythonDatasets() throws {
    let ds = try sampleDataset()
    #expect(ds.description == "Dataset({\n    features: ['tokens', 'ner_tags'],\n    num_rows: 3\n})")
    let dict = DatasetDict([("train", ds), ("test", try ds.select([0]))])
    #expect(dict.description == """
        DatasetDict({
            train: Dataset({
                features: ['tokens', 'ner_tags'],
                num_rows: 3
            })
            test: Dataset({
                features: ['tokens', 'ner_tags'],
                num_rows: 1
            })
        })
        """)
    #expect(try ds[0].description == "{'tokens': ['EU', 'rejects'], 'ner_tags': [3, 0]}")
    #expect(try ds.features["ner_tags"].description
        == "Sequence(feature=ClassLabel(names=['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC'], id=None), length=-1, id=None)")
    #expect(ds.features.description.hasPrefix("{'tokens': Sequence(feature=Value(dtype='string', id=None), length=-1, id=None), "))
    #expect(Value.list([.string("it's"), .bool(true), .null, .float(0.5)]).description == "[\"it's\", True, None, 0.5]")
}

@Test func mapAddsColumnsAndRemovesOthers() throws {
    let ds = try sampleDataset()
    let counted = try ds.map { row in
        var out = Row()
        out.set("length", to: try row["tokens"].stringList.count)
        return out
    }
    #expect(counted.columnNames == ["tokens", "ner_tags", "length"])
    #expect(try counted[column: "length"] == [2, 2, 1])
    #expect(try counted.features["length"] == .int64)

    let batched = try ds.map(batched: true, batchSize: 2, removeColumns: ["tokens"]) { batch in
        var out = Row()
        out.set("labels", to: try batch["ner_tags"].intLists.map { $0.map { $0 == 0 ? -100 : $0 } })
        return out
    }
    #expect(batched.columnNames == ["ner_tags", "labels"])
    #expect(try batched[column: "labels"] == [[3, -100], [1, 2], [5]].map(\.value))
    // Rewriting a ClassLabel column with ids keeps its feature.
    let same = try ds.map(batched: true) { b in ["ner_tags": try b["ner_tags"]] }
    #expect(try same.features["ner_tags"] == ds.features["ner_tags"])
    // Ids outside the ClassLabel are an error (Python: "Class label 6 greater than configured num_classes 6").
    #expect(throws: DatasetError.self) {
        try ds.map(batched: true) { b in ["ner_tags": try b["ner_tags"].intLists.map { $0.map { $0 + 1 } }.value] }
    }
    // Other types in an existing column replace its feature, as in Python.
    let lengths = try ds.map { r in ["tokens": .int(try r["tokens"].stringList.count)] }
    #expect(try lengths.features["tokens"] == .int64)
    #expect(lengths.columnNames == ["tokens", "ner_tags"])
}

@Test func batchedMapMayChangeTheRowCountOnlyWithoutOldColumns() throws {
    let ds = try sampleDataset()
    let split = { (b: Row) throws -> Row in
        ["token": .list(try b["tokens"].stringLists.flatMap { $0 }.map(\.value))]
    }
    #expect(throws: DatasetError.self) { try ds.map(batched: true, split) }
    let tokens = try ds.map(batched: true, removeColumns: ds.columnNames, split)
    #expect(tokens.numRows == 5)
    #expect(tokens.columnNames == ["token"])
    #expect(throws: DatasetError.self) { try ds.map(removeColumns: ["nope"]) { $0 } }
}

@Test func filterSelectShuffleSplit() throws {
    let ds = try Dataset([("n", (0..<100).map { Value.int($0) })])
    #expect(try ds.filter { try $0["n"].intValue % 10 == 0 }.numRows == 10)
    #expect(try ds.select([5, 1])[column: "n"] == [5, 1])
    #expect(throws: DatasetError.self) { try ds.select([100]) }

    let a = ds.shuffle(seed: 42), b = ds.shuffle(seed: 42), c = ds.shuffle(seed: 7)
    #expect(try a[column: "n"] == b[column: "n"])
    #expect(try a[column: "n"] != c[column: "n"])
    #expect(try Set(a[column: "n"]) == Set(ds[column: "n"]))

    // The same rows as Python: np.random.default_rng(42).permutation(10) is [5, 6, 0, 7, 3, 2, 4, 9, 1, 8].
    let ten = try Dataset([("n", (0..<10).map { Value.int($0) })])
    #expect(try ten.shuffle(seed: 42)[column: "n"] == [5, 6, 0, 7, 3, 2, 4, 9, 1, 8])
    let tenSplit = try ten.trainTestSplit(testSize: 0.2, seed: 42)
    #expect(try tenSplit["test"][column: "n"] == [5, 6])
    #expect(try tenSplit["train"][column: "n"] == [0, 7, 3, 2, 4, 9, 1, 8])

    let split = try ds.trainTestSplit(testSize: 0.1, seed: 42)
    #expect(split.keys == ["train", "test"])
    #expect(try split["train"].numRows == 90)
    #expect(try split["test"].numRows == 10)
    let all = try split["train"][column: "n"] + split["test"][column: "n"]
    #expect(Set(all).count == 100)
    // Python rounds the test size up: 0.15 of 7 rows is 2 test rows.
    #expect(try Dataset([("n", (0..<7).map { Value.int($0) })]).trainTestSplit(testSize: 0.15)["test"].numRows == 2)
    let ordered = try ds.trainTestSplit(testCount: 3, shuffle: false)
    #expect(try ordered["test"][column: "n"] == [97, 98, 99])
    #expect(throws: DatasetError.self) { try ds.trainTestSplit(testSize: 1.5) }
}

@Test func columnEdits() throws {
    let ds = try sampleDataset()
    #expect(try ds.removeColumns(["tokens"]).columnNames == ["ner_tags"])
    #expect(try ds.renameColumn("ner_tags", to: "labels").columnNames == ["tokens", "labels"])
    #expect(throws: DatasetError.self) { try ds.renameColumn("tokens", to: "ner_tags") }
    #expect(try ds.addColumn("idx", [0, 1, 2]).columnNames == ["tokens", "ner_tags", "idx"])
    #expect(throws: DatasetError.self) { try Dataset([("a", [1, 2]), ("b", [1])]) }
    #expect(throws: DatasetError.self) {
        try Dataset([("label", ["x"])], features: ["label": .classLabel(ClassLabel(names: ["a"]))])
    }
    let dict = try DatasetDict([("train", ds)]).removeColumns(["tokens"])
    #expect(try dict["train"].columnNames == ["ner_tags"])
    #expect(throws: DatasetError.self) { try dict["validation"] }
}

@Test func classLabelConversions() throws {
    let label = ClassLabel(names: ["neg", "pos"])
    #expect(try label.strToInt("pos") == 1)
    #expect(try label.intToStr(0) == "neg")
    #expect(throws: DatasetError.self) { try label.intToStr(2) }
    #expect(throws: DatasetError.self) { try label.strToInt("neutral") }
    #expect(label.description == "ClassLabel(names=['neg', 'pos'], id=None)")
}
