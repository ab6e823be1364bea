import Foundation
import Testing
@testable import Parquet

// Issue 25: a footer or page header missing a field parquet.thrift requires, or carrying a known
// field with another Thrift type, is a damaged file. Skipping such a field used to leave its
// default (no row groups, zero values, PLAIN), so a damaged footer could load as an empty table.
// Each case takes a file pyarrow wrote, rewrites one field (ThriftTree.swift) and expects an
// error naming the file, the struct and the field.

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

private func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
}

/// The file's footer as a tree, and the bytes before it.
private func splitFooter(_ bytes: [UInt8]) throws -> (body: ArraySlice<UInt8>, footer: ThriftValue) {
    let length = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8 | Int(bytes[bytes.count - 6]) << 16
    let start = bytes.count - 8 - length
    return (bytes[..<start], try ThriftValue.read(bytes[start..<(bytes.count - 8)]))
}

/// The file with `footer` as its footer.
private func joined(_ body: ArraySlice<UInt8>, _ footer: ThriftValue) -> [UInt8] {
    let encoded = footer.bytes
    let length = UInt32(encoded.count)
    return Array(body) + encoded + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * UInt32($0))) } + Array("PAR1".utf8)
}

/// Opens and reads every column; the error's description, or nil when it all reads.
private func failure(_ bytes: [UInt8], name: String) -> String? {
    do {
        let file = try ParquetFile(bytes: bytes, name: name)
        for column in file.columnNames { _ = try file.column(column) }
        return nil
    } catch {
        return "\(error)"
    }
}

/// A value of another Thrift type than `value`'s, to put in its place.
private func retyped(_ value: ThriftValue) -> ThriftValue {
    if case .int(.i32, _) = value { return .int(.i64, 7) }
    return .int(.i32, 7)
}

/// Every field of the footer's structs that parquet.thrift marks required, as a path of field
/// ids from FileMetaData (lists are entered at their first element).
private let requiredFooterFields: [(path: [Int16], structName: String, field: String)] = [
    ([1], "FileMetaData", "version"), ([2], "FileMetaData", "schema"), ([3], "FileMetaData", "num_rows"),
    ([4], "FileMetaData", "row_groups"),
    ([2, 4], "SchemaElement", "name"),
    ([4, 1], "RowGroup", "columns"), ([4, 2], "RowGroup", "total_byte_size"), ([4, 3], "RowGroup", "num_rows"),
    ([4, 1, 2], "ColumnChunk", "file_offset"),
    ([4, 1, 3, 1], "ColumnMetaData", "type"), ([4, 1, 3, 2], "ColumnMetaData", "encodings"),
    ([4, 1, 3, 3], "ColumnMetaData", "path_in_schema"), ([4, 1, 3, 4], "ColumnMetaData", "codec"),
    ([4, 1, 3, 5], "ColumnMetaData", "num_values"), ([4, 1, 3, 6], "ColumnMetaData", "total_uncompressed_size"),
    ([4, 1, 3, 7], "ColumnMetaData", "total_compressed_size"), ([4, 1, 3, 9], "ColumnMetaData", "data_page_offset"),
    ([5, 1], "KeyValue", "key"),
]

@Suite struct RequiredFieldTests {
    @Test func rowGroupsOfTheWrongTypeAreADamagedFooterNotAnEmptyFile() throws {
        // Written by Scripts/fixtures/parquet_fixtures.py, which checks that pyarrow refuses it.
        let error = failure(try fixture("damaged-footer.parquet"), name: "data/train-00000-of-00001.parquet")
        #expect(error == "data/train-00000-of-00001.parquet: damaged footer: FileMetaData field 4 (row_groups) has "
            + "Thrift type i32, expected list; the file is damaged or not Parquet — download it again")
    }

    @Test func aSkippedRowCountAndRowGroupsDoNotMakeAnEmptyTable() throws {
        // num_rows typed i32 and row_groups typed set: both used to be skipped, leaving 0 rows
        // and no row groups, which agree, so the file read as an empty table.
        let (body, footer) = try splitFooter(try fixture("huggingface.parquet"))
        let damaged = footer
            .replacing([3]) { value in if case .int(_, let n) = value { return .int(.i32, n) }; return value }
            .replacing([4]) { value in if case .list(let type, let items) = value { return .set(type, items) }; return value }
        let error = try #require(failure(joined(body, damaged), name: "empty.parquet"))
        #expect(error.contains("empty.parquet: damaged footer: FileMetaData field 3 (num_rows) has Thrift type i32, expected i64"))
    }

    @Test(arguments: requiredFooterFields.indices)
    func aMissingOrRetypedRequiredFooterFieldIsNamed(_ index: Int) throws {
        let (path, structName, field) = requiredFooterFields[index]
        let (body, footer) = try splitFooter(try fixture("huggingface.parquet"))
        let id = path.last ?? 0
        let missing = failure(joined(body, footer.replacing(path[...]) { _ in nil }), name: "x.parquet")
        #expect(missing?.contains("x.parquet: damaged footer: \(structName) field \(id) (\(field)), which parquet.thrift "
            + "requires, is missing") == true, "\(missing ?? "read without error")")
        let wrongType = failure(joined(body, footer.replacing(path[...]) { retyped($0) }), name: "x.parquet")
        #expect(wrongType?.contains("x.parquet: damaged footer: \(structName) field \(id) (\(field)) has Thrift type") == true,
                "\(wrongType ?? "read without error")")
    }

    @Test func unknownFieldsAreStillSkipped() throws {
        // A newer writer's extra fields (ids parquet.thrift does not have yet) change nothing.
        let original = try fixture("huggingface.parquet")
        let (body, footer) = try splitFooter(original)
        let extended = footer
            .replacing([4, 1, 3]) { meta in
                guard case .structure(let fields) = meta else { return meta }
                return .structure(fields + [(id: 99, value: .binary(Array("future".utf8)))])
            }
        guard case .structure(let fields) = extended else { Issue.record("not a struct"); return }
        let withExtra = ThriftValue.structure(fields + [(id: 42, value: .list(.i64, [.int(.i64, 1)]))])
        let a = try ParquetFile(bytes: original, name: "a.parquet"), b = try ParquetFile(bytes: joined(body, withExtra), name: "b.parquet")
        for column in a.columnNames { #expect(try a.column(column) == b.column(column)) }
    }
}
