import Foundation

// A Parquet file: `PAR1`, column chunks, the Thrift-encoded footer (FileMetaData), the
// footer's 4-byte little-endian length, `PAR1`. The footer is read and checked when the file
// is opened; columns are decoded on request, row group by row group.
//
//     let file = try ParquetFile(contentsOf: url)
//     file.numRows                                  // 14041
//     let tokens = try file.column("tokens")        // [[String]] rows as ParquetValue.list
//     file.metadata["huggingface"]                  // the `datasets` features, as JSON

/// A Parquet file read into memory, its footer checked on opening; columns decoded on request.
public struct ParquetFile: Sendable {
    /// The file's path (or a name given), used in every error.
    public let name: String
    /// Rows in the file, from the footer (the sum over its row groups).
    public let numRows: Int
    /// Every top-level column name, in schema order.
    public let columnNames: [String]
    /// The footer's key-value metadata (`huggingface`, `ARROW:schema`).
    public let metadata: [String: String]
    /// The writer the footer names (`parquet-cpp-arrow version 15.0.0`), if it names one.
    public let createdBy: String?
    private let columnsByName: [String: Result<ParquetColumn, ParquetError>]
    private let rowGroups: [RowGroup]
    private let bytes: [UInt8]
    private let limits: ParquetLimits

    /// Reads and opens the file at `url`; a file larger than `limits.maxFileSize` is refused unread.
    public init(contentsOf url: URL, limits: ParquetLimits = ParquetLimits()) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > limits.maxFileSize {
            throw ParquetError("\(url.path) is \(size) bytes, more than this reader's limit of \(limits.maxFileSize)")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            // Foundation's message alone says neither which case this is nor what to do.
            var isDirectory: ObjCBool = false
            let reason = !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
                ? "there is no such file; check the path, or download the dataset again"
                : isDirectory.boolValue ? "it is a directory, not a Parquet file"
                : "it exists but cannot be read (\(error.localizedDescription)); check its permissions"
            throw ParquetError("cannot read \(url.path): \(reason)")
        }
        try self.init(bytes: [UInt8](data), name: url.path, limits: limits)
    }

    /// Opens a file already in memory; `name` stands for it in errors.
    public init(bytes: [UInt8], name: String = "<parquet>", limits: ParquetLimits = ParquetLimits()) throws {
        self.name = name
        self.bytes = bytes
        self.limits = limits
        let magic: [UInt8] = Array("PAR1".utf8)
        guard bytes.count >= 12, Array(bytes[0..<4]) == magic else {
            throw ParquetError("\(name) is not a Parquet file (it does not start with PAR1)")
        }
        let tail = Array(bytes[(bytes.count - 4)...])
        if tail == Array("PARE".utf8) {
            throw ParquetError("\(name) is an encrypted Parquet file; this reader reads unencrypted files only")
        }
        guard tail == magic else {
            throw ParquetError("\(name) is truncated or not a Parquet file (it does not end with PAR1); download it again")
        }
        let footerLength = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self))) }
        guard footerLength <= bytes.count - 12 else {
            throw ParquetError("\(name) is corrupt: its footer claims \(footerLength) bytes of a \(bytes.count)-byte file")
        }
        let footerStart = bytes.count - 8 - footerLength
        let meta = try bytes.withUnsafeBytes { raw in
            var reader = ThriftReader(UnsafeRawBufferPointer(rebasing: raw[footerStart..<(bytes.count - 8)]),
                                      location: name, part: "footer")
            return try FileMetaData.read(&reader)
        }
        let schema = try Schema(meta.schema, file: name)
        guard meta.numRows >= 0 else { throw ParquetError("\(name) is corrupt: a negative row count") }
        var total: Int64 = 0
        for (g, group) in meta.rowGroups.enumerated() {
            guard group.columns.count == schema.leafCount else {
                throw ParquetError("\(name) is corrupt: row group \(g) has \(group.columns.count) column chunks, "
                    + "the schema \(schema.leafCount) columns")
            }
            guard group.numRows >= 0 else { throw ParquetError("\(name) is corrupt: row group \(g) has a negative row count") }
            let (sum, overflow) = total.addingReportingOverflow(group.numRows)
            guard !overflow else { throw ParquetError("\(name) is corrupt: the row counts overflow") }
            total = sum
        }
        guard total == meta.numRows else {
            throw ParquetError("\(name) is corrupt: its row groups hold \(total) rows, the footer says \(meta.numRows)")
        }
        guard meta.numRows <= Int64(limits.maxRows) else {
            throw ParquetError("\(name) has \(meta.numRows) rows (the limit is \(limits.maxRows))")
        }
        numRows = Int(meta.numRows)
        rowGroups = meta.rowGroups
        createdBy = meta.createdBy
        var names: [String] = []
        var byName: [String: Result<ParquetColumn, ParquetError>] = [:]
        for (columnName, column) in schema.columns {
            guard byName[columnName] == nil else {
                throw ParquetError("\(name) is corrupt: two columns are named '\(columnName)'")
            }
            names.append(columnName)
            byName[columnName] = column
        }
        columnNames = names
        columnsByName = byName
        metadata = Dictionary(meta.keyValues.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// What column `name` holds; throws for a column this reader cannot read, saying why.
    public func columnInfo(_ name: String) throws -> ParquetColumn {
        guard let found = columnsByName[name] else {
            throw ParquetError("\(self.name) has no column '\(name)'; its columns are \(columnNames)")
        }
        switch found {
        case .success(let column): return column
        case .failure(let error): throw ParquetError("\(self.name): \(error.description)")
        }
    }

    /// Every row's value of column `name`, row groups in order.
    public func column(_ name: String) throws -> [ParquetValue] {
        let column = try columnInfo(name)
        var rows: [ParquetValue] = []
        rows.reserveCapacity(min(numRows, 1 << 20))
        for (g, group) in rowGroups.enumerated() {
            rows += try read(column, group: group, index: g)
        }
        return rows
    }

    private func read(_ column: ParquetColumn, group: RowGroup, index g: Int) throws -> [ParquetValue] {
        let describe = { [name] in "\(name), column '\(column.name)', row group \(g)" }
        guard let meta = group.columns[column.leafIndex] else {
            throw ParquetError("\(describe()): the column chunk has no metadata")
        }
        if let path = group.columnFilePaths[column.leafIndex], !path.isEmpty {
            throw ParquetError("\(describe()): the chunk lives in another file (\(path)); this reader reads single files")
        }
        guard meta.path == column.path else {
            throw ParquetError("\(describe()) is corrupt: the chunk is for \(meta.path.joined(separator: ".")), "
                + "the schema says \(column.path.joined(separator: "."))")
        }
        guard meta.type == column.physical.rawValue else {
            throw ParquetError("\(describe()) is corrupt: the chunk's type \(meta.type) differs from the schema's")
        }
        // The chunk starts at its dictionary page if it has one, else at its first data page.
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        let footerStart = Int64(bytes.count) - 8
        guard start >= 4, meta.totalCompressedSize >= 0, start <= footerStart,
              meta.totalCompressedSize <= footerStart - start else {
            throw ParquetError("\(describe()) is corrupt: the chunk's bytes \(start)..+\(meta.totalCompressedSize) "
                + "lie outside the file")
        }
        guard meta.numValues >= 0 else { throw ParquetError("\(describe()) is corrupt: \(meta.numValues) values") }
        guard meta.numValues <= Int64(limits.maxValuesPerChunk) else {
            throw ParquetError("\(describe()): \(meta.numValues) values in one chunk (the limit is \(limits.maxValuesPerChunk))")
        }
        var reader = ChunkReader(column: column, codec: meta.codec, limits: limits, describe: describe)
        try bytes.withUnsafeBytes { raw in
            try reader.read(UnsafeRawBufferPointer(rebasing: raw[Int(start)..<Int(start + meta.totalCompressedSize)]),
                            fileOffset: Int(start), numValues: Int(meta.numValues))
        }
        guard reader.rows.count == group.numRows else {
            throw ParquetError("\(describe()) is corrupt: it holds \(reader.rows.count) rows, the row group \(group.numRows)")
        }
        return reader.rows
    }
}
