import Foundation
import Testing
import TestSupport
@testable import Datasets

// `toCSV` / `toJSON` against what Python `datasets` writes for the same rows
// (Scripts/fixtures/datasets_export_fixtures.py).

private func sample() throws -> Dataset {
    try Dataset([
        ("sentence", ["it's great, really", "say \"hi\"", "line\nbreak", "café / naïve 🙂", "plain"]),
        ("label", [1, 0, 1, 0, 1]),
        ("score", [0.1, 2.5, 1e-07, 3.0, -12345.678]),
        ("ok", [true, false, nil, true, false]),
    ])
}

private let exportFixtures = fixtures.appendingPathComponent("export")

@Test func toCSVWritesPythonsBytes() throws {
    let dir = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("out/a.csv").path   // the folder is created
    try sample().toCSV(path)
    let ours = try String(contentsOfFile: path, encoding: .utf8)
    let python = try String(contentsOf: exportFixtures.appendingPathComponent("python.csv"), encoding: .utf8)
    #expect(ours == python)
    // And it reads back as the rows it was written from.
    let back = try readDelimited(URL(fileURLWithPath: path), options: .csv)
    #expect(try back[column: "sentence"] == sample()[column: "sentence"])
    #expect(try back[column: "label"] == sample()[column: "label"])
}

@Test func toJSONReadsBackAsPythonsFile() throws {
    let dir = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("a.jsonl").path
    try sample().toJSON(path)
    let ours = try readJSONLines(URL(fileURLWithPath: path))
    let python = try readJSONLines(exportFixtures.appendingPathComponent("python.jsonl"))
    #expect(ours.columnNames == python.columnNames)
    for name in python.columnNames { #expect(try ours[column: name] == python[column: name], "column \(name)") }
    // Strings are escaped byte for byte as pandas escapes them (ASCII only, `\/`).
    let ourLines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    let pythonLines = try String(contentsOf: exportFixtures.appendingPathComponent("python.jsonl"), encoding: .utf8)
        .split(separator: "\n")
    #expect(ourLines[3].hasPrefix(#"{"sentence":"caf\u00e9 \/ na\u00efve \ud83d\ude42","#))
    #expect(ourLines[3].split(separator: ",").first == pythonLines[3].split(separator: ",").first)
}

@Test func exportErrorsSayWhatToDo() throws {
    let dir = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let lists = try Dataset([("tokens", [["a", "b"], ["c"]].map(\.value))])
    let target = dir.appendingPathComponent("t.csv").path
    #expect(throws: DatasetError.self) { try lists.toCSV(target) }
    do { try lists.toCSV(target) } catch let e as DatasetError {
        #expect(e.description.contains("column 'tokens' holds a list at row 0"))
        #expect(e.description.contains("toJSON"))
    }
    #expect(!FileManager.default.fileExists(atPath: target), "nothing half-written")
    // A path under a file.
    let file = dir.appendingPathComponent("file").path
    FileManager.default.createFile(atPath: file, contents: Data())
    do { try sample().toJSON(file + "/x.jsonl"); Issue.record("expected an error") } catch let e as DatasetError {
        #expect(e.description.contains("is a file, not a folder"))
    }
}
