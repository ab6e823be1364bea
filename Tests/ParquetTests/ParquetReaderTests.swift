import Foundation
import Testing
@testable import Parquet

// The reader against files pyarrow wrote (Scripts/fixtures/parquet_fixtures.py): every codec, page
// version and encoding reads back to the table pyarrow reads, value for value.

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// expected.json's tagged values: null, {"b":}, {"i":}, {"f":}, a string, a list.
private enum Tagged: Decodable, Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), list([Tagged])

    init(from decoder: Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null; return }
        if let s = try? single.decode(String.self) { self = .string(s); return }
        if let items = try? single.decode([Tagged].self) { self = .list(items); return }
        let keyed = try decoder.container(keyedBy: Key.self)
        if let b = try keyed.decodeIfPresent(Bool.self, forKey: .b) { self = .bool(b) }
        else if let i = try keyed.decodeIfPresent(Int.self, forKey: .i) { self = .int(i) }
        else { self = .double(try keyed.decode(Double.self, forKey: .f)) }
    }
    enum Key: String, CodingKey { case b, i, f }

    var parquet: ParquetValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let x): return .double(x)
        case .string(let s): return .string(s)
        case .list(let items): return .list(items.map(\.parquet))
        }
    }
}

private struct Expected: Decodable {
    struct File: Decodable {
        var encodings: [String]
        var row_groups: Int
        var num_rows: Int
        var columns: [String: Tagged]?
        var huggingface: String?
    }
    var column_order: [String]
    var table: [String: Tagged]
    var files: [String: File]
}

private let expected: Expected = {
    do {
        return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixtures.appendingPathComponent("expected.json")))
    } catch {
        Issue.record("cannot read expected.json: \(error); run Scripts/fixtures/parquet_fixtures.py")
        return Expected(column_order: [], table: [:], files: [:])
    }
}()

@Suite struct ParquetReaderTests {
    static let tableFiles = [
        "snappy-v1-dict", "snappy-v1-plain", "snappy-v2-dict", "snappy-v2-plain",
        "zstd-v1-dict", "zstd-v1-plain", "zstd-v2-dict", "zstd-v2-plain",
        "none-v1-dict", "none-v1-plain", "none-v2-dict", "none-v2-plain", "dictionary-fallback",
        "crc-v1-dict", "crc-v2-plain",      // with page checksums, each page's checked
    ]

    @Test(arguments: tableFiles)
    func everyCodecPageVersionAndEncodingReadsBackIdentical(_ name: String) throws {
        let file = try ParquetFile(contentsOf: fixtures.appendingPathComponent(name + ".parquet"))
        let meta = try #require(expected.files[name + ".parquet"])
        #expect(meta.row_groups == 2)
        #expect(file.numRows == meta.num_rows)
        #expect(file.columnNames == expected.column_order)
        for column in expected.column_order {
            let values = try file.column(column)
            let want = try #require(expected.table[column])
            guard case .list(let rows) = want else { Issue.record("\(column) is not a list"); continue }
            #expect(values.count == rows.count, "\(name) \(column)")
            if let i = values.indices.first(where: { $0 < rows.count && values[$0] != rows[$0].parquet }) {
                Issue.record("\(name) column \(column) row \(i): \(values[i]) but pyarrow reads \(rows[i].parquet)")
            }
        }
    }

    @Test func theFixturesCoverDictionaryAndPlainPages() throws {
        #expect(expected.files["snappy-v1-dict.parquet"]?.encodings.contains("RLE_DICTIONARY") == true)
        #expect(expected.files["snappy-v1-plain.parquet"]?.encodings.contains("RLE_DICTIONARY") == false)
        // The fallback file mixes both inside one chunk.
        #expect(expected.files["dictionary-fallback.parquet"]?.encodings == ["PLAIN", "RLE", "RLE_DICTIONARY"])
    }

    @Test func columnKindsAndShapes() throws {
        let file = try ParquetFile(contentsOf: fixtures.appendingPathComponent("snappy-v2-dict.parquet"))
        #expect(try file.columnInfo("tokens").description == "list<string>")
        #expect(try file.columnInfo("tags").description == "list<int64>")
        #expect(try file.columnInfo("i32").kind == .int32)
        #expect(try file.columnInfo("flag").kind == .bool)
        #expect(try file.columnInfo("x").kind == .double)
    }

    @Test func huggingfaceMetadataIsKept() throws {
        let file = try ParquetFile(contentsOf: fixtures.appendingPathComponent("huggingface.parquet"))
        let meta = try #require(expected.files["huggingface.parquet"])
        #expect(file.metadata["huggingface"] == meta.huggingface)
        for (column, want) in meta.columns ?? [:] {
            guard case .list(let rows) = want else { continue }
            #expect(try file.column(column) == rows.map(\.parquet), "\(column)")
        }
    }

    @Test func unsupportedColumnsAreNamedAndTheRestStillRead() throws {
        let file = try ParquetFile(contentsOf: fixtures.appendingPathComponent("unsupported.parquet"))
        #expect(file.columnNames == ["ok", "point", "nested", "raw"])
        #expect(try file.column("ok") == [.int(1), .int(2), .int(3)])
        for (column, reason) in [("point", "struct"), ("nested", "list of lists"), ("raw", "binary")] {
            let error = #expect(throws: ParquetError.self) { try file.column(column) }
            #expect(error?.description.contains("column '\(column)'") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
        }
        let missing = #expect(throws: ParquetError.self) { try file.column("label") }
        #expect(missing?.description.contains("has no column 'label'") == true)
    }

    @Test func anUnsupportedCodecSaysWhichAndWhatToDo() throws {
        let file = try ParquetFile(contentsOf: fixtures.appendingPathComponent("gzip.parquet"))
        let error = #expect(throws: ParquetError.self) { try file.column("id") }
        #expect(error?.description.contains("GZIP") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("column 'id'") == true)
    }
}
