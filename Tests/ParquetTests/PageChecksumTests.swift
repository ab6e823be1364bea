import Foundation
import Testing
@testable import Parquet

// Issue 25, pages: a page's CRC-32 (PageHeader field 4, over the bytes after the header as
// stored) is checked when the writer kept one, and a page header missing a field parquet.thrift
// requires is an error, not a page of default counts and encoding. The checksummed fixtures and
// the damaged one come from Scripts/fixtures/parquet_fixtures.py, which checks every CRC against zlib
// and that pyarrow with page_checksum_verification=True refuses the damaged file.

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

private struct DamagedPage: Decodable {
    var column: String
    var row_group: Int
    var page: Int
    var byte: Int
}

private struct Expected: Decodable {
    var damaged_page: DamagedPage
}

/// The headers of page 0 (and page 1, if `second`) of leaf column 0 in row group 0.
private func pageHeaders(_ name: String) throws -> (first: ThriftValue, second: ThriftValue) {
    let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    let length = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8 | Int(bytes[bytes.count - 6]) << 16
    let meta = try bytes.withUnsafeBytes { raw in
        var r = ThriftReader(UnsafeRawBufferPointer(rebasing: raw[(bytes.count - 8 - length)..<(bytes.count - 8)]),
                             location: name, part: "footer")
        return try FileMetaData.read(&r)
    }
    let chunk = try #require(meta.rowGroups.first?.columns.first ?? nil)
    let start = Int(chunk.dictionaryPageOffset ?? chunk.dataPageOffset)
    let first = try ThriftValue.read(bytes[start...])
    guard case .structure(let fields) = first, let size = fields.first(where: { $0.id == 3 }),
          case .int(_, let compressed) = size.value else { throw ParquetError("no compressed_page_size") }
    let second = try ThriftValue.read(bytes[(start + first.bytes.count + Int(compressed))...])
    return (first, second)
}

/// Reads `header` as the reader does; the error's description, or nil.
private func failure(_ header: ThriftValue) -> String? {
    let bytes = header.bytes
    return bytes.withUnsafeBytes { raw in
        var r = ThriftReader(raw, location: "t.parquet, column 'id', row group 0, page 0", part: "page header")
        do { _ = try PageHeader.read(&r); return nil } catch { return "\(error)" }
    }
}

@Suite struct PageChecksumTests {
    @Test func aChangedPageBodyIsCaughtByItsCRCAndNamed() throws {
        let expected = try JSONDecoder().decode(Expected.self,
                                                from: Data(contentsOf: fixtures.appendingPathComponent("expected.json")))
        let damaged = expected.damaged_page
        let file = try ParquetFile(contentsOf: fixtures.appendingPathComponent("crc-damaged.parquet"))
        // Without the check the column read back with row 999 changed (pyarrow does the same
        // unless asked to verify); now it is an error naming the page.
        let error = #expect(throws: ParquetError.self) { try file.column(damaged.column) }
        let text = error?.description ?? ""
        #expect(text.contains("crc-damaged.parquet, column '\(damaged.column)', row group \(damaged.row_group), "
            + "page \(damaged.page) (at file byte "), "\(text)")
        #expect(text.contains("CRC-32") && text.contains("download it again"), "\(text)")
        // The other columns' pages are intact and read.
        for column in file.columnNames where column != damaged.column {
            #expect(try file.column(column).count == 1100, "\(column)")
        }
    }

    @Test func theChecksummedFixturesCarryCRCsOnEveryPageKind() throws {
        // Dictionary and v1 data pages, and v2 data pages, each with field 4 set.
        let (dictionary, data) = try pageHeaders("crc-v1-dict.parquet")
        let (v2, _) = try pageHeaders("crc-v2-plain.parquet")
        for (header, kind) in [(dictionary, 7), (data, 5), (v2, 8)] as [(ThriftValue, Int16)] {
            guard case .structure(let fields) = header else { Issue.record("not a struct"); continue }
            #expect(fields.contains { $0.id == 4 } && fields.contains { $0.id == kind }, "page kind \(kind)")
        }
    }

    @Test func aPageHeaderMissingARequiredFieldIsNamed() throws {
        let (dictionary, dataV1) = try pageHeaders("snappy-v1-dict.parquet")
        let (dataV2, _) = try pageHeaders("snappy-v2-plain.parquet")
        #expect(failure(dictionary) == nil && failure(dataV1) == nil && failure(dataV2) == nil)
        let cases: [(ThriftValue, [Int16], String, String)] = [
            (dictionary, [1], "PageHeader", "type"), (dictionary, [2], "PageHeader", "uncompressed_page_size"),
            (dictionary, [3], "PageHeader", "compressed_page_size"),
            (dictionary, [7, 1], "DictionaryPageHeader", "num_values"), (dictionary, [7, 2], "DictionaryPageHeader", "encoding"),
            (dataV1, [5, 1], "DataPageHeader", "num_values"), (dataV1, [5, 2], "DataPageHeader", "encoding"),
            (dataV1, [5, 3], "DataPageHeader", "definition_level_encoding"),
            (dataV1, [5, 4], "DataPageHeader", "repetition_level_encoding"),
            (dataV2, [8, 1], "DataPageHeaderV2", "num_values"), (dataV2, [8, 2], "DataPageHeaderV2", "num_nulls"),
            (dataV2, [8, 3], "DataPageHeaderV2", "num_rows"), (dataV2, [8, 4], "DataPageHeaderV2", "encoding"),
            (dataV2, [8, 5], "DataPageHeaderV2", "definition_levels_byte_length"),
            (dataV2, [8, 6], "DataPageHeaderV2", "repetition_levels_byte_length"),
        ]
        for (header, path, structName, field) in cases {
            let id = path.last ?? 0
            let missing = failure(header.replacing(path[...]) { _ in nil })
            #expect(missing?.hasPrefix("t.parquet, column 'id', row group 0, page 0: damaged page header: \(structName) "
                + "field \(id) (\(field)), which parquet.thrift requires, is missing") == true, "\(missing ?? "no error")")
            let retyped = failure(header.replacing(path[...]) { _ in .int(.i64, 1) })
            #expect(retyped?.contains("\(structName) field \(id) (\(field)) has Thrift type i64, expected i32") == true,
                    "\(retyped ?? "no error")")
        }
        #expect(failure(dictionary.replacing([2]) { _ in nil }) == "t.parquet, column 'id', row group 0, page 0: damaged "
            + "page header: PageHeader field 2 (uncompressed_page_size), which parquet.thrift requires, is missing; the "
            + "file is damaged — download it again")
        // A data page whose data_page_header is missing altogether.
        let bare = failure(dataV1.replacing([5]) { _ in nil })
        #expect(bare?.contains("PageHeader of a DATA_PAGE page lacks field 5 (data_page_header)") == true, "\(bare ?? "no error")")
        // A CRC of the wrong type is not skipped either (it would turn the check off).
        guard case .structure(var fields) = dataV1, let size = fields.firstIndex(where: { $0.id == 3 }) else {
            Issue.record("not a page header"); return
        }
        fields.insert((id: 4, value: .binary([1, 2, 3, 4])), at: size + 1)
        let crc = failure(.structure(fields))
        #expect(crc?.contains("PageHeader field 4 (crc) has Thrift type binary, expected i32") == true, "\(crc ?? "no error")")
    }
}
