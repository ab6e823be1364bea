// The parts of Parquet's Thrift structures (parquet.thrift) this reader uses: the footer's
// FileMetaData with its schema and row groups, and the page headers inside column chunks.
// Each struct's spec lists the fields read, with parquet.thrift's types and `required` marks:
// a listed field with another type, or a required one missing, is a damaged file (never a
// default value); fields not listed are skipped, as Thrift readers do, so newer writers' extra
// fields are harmless.

/// Physical types (parquet.thrift `Type`).
public enum PhysicalType: Int32, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
}

/// `FieldRepetitionType`.
enum Repetition: Int32 {
    case required = 0, optional = 1, repeated = 2
}

/// One node of the flattened schema tree (`SchemaElement`).
struct SchemaElement {
    var type: PhysicalType?
    var typeCode: Int32?            // the raw type when it is not one we know
    var repetition: Repetition = .required
    var name = ""
    var numChildren = 0
    var convertedType: Int32?
    /// The `LogicalType` union's field id (1 STRING, 3 LIST, 10 INTEGER, ...), if any.
    var logicalType: Int16?
    /// For `LogicalType.INTEGER`: bit width and signedness.
    var integerSigned = true

    static let spec = ThriftStructSpec("SchemaElement", [
        (1, "type", .i32, required: false), (3, "repetition_type", .i32, required: false),
        (4, "name", .binary, required: true), (5, "num_children", .i32, required: false),
        (6, "converted_type", .i32, required: false), (10, "logicalType", .structure, required: false),
    ])
    static let intTypeSpec = ThriftStructSpec("IntType", [
        (1, "bitWidth", .byte, required: true), (2, "isSigned", .boolTrue, required: true),
    ])

    static func read(_ r: inout ThriftReader) throws -> SchemaElement {
        var e = SchemaElement()
        try r.readStruct(spec) { r, id, type in
            switch id {
            case 1:
                let code = try r.i32()
                e.typeCode = code
                e.type = PhysicalType(rawValue: code)
            case 3:
                let code = try r.i32()
                guard let rep = Repetition(rawValue: code) else { throw r.error("unknown repetition type \(code)") }
                e.repetition = rep
            case 4: e.name = try r.string()
            case 5:
                let n = try r.i32()
                guard n >= 0 else { throw r.error("a negative number of children (\(n))") }
                e.numChildren = Int(n)
            case 6: e.convertedType = try r.i32()
            default:
                // 10, the LogicalType union: exactly one field is set; INTEGER (10) carries the signedness.
                try r.readStruct { r, which, type in
                    e.logicalType = which
                    if which == 10 {
                        guard type == .structure else {
                            throw r.damaged("LogicalType field 10 (INTEGER) has Thrift type \(type.name), expected struct")
                        }
                        try r.readStruct(intTypeSpec) { r, id, type in
                            if id == 2 { e.integerSigned = try r.bool(type) } else { try r.skip(type) }
                        }
                    } else {
                        try r.skip(type)
                    }
                }
            }
        }
        return e
    }
}

/// Compression codecs (`CompressionCodec`).
public enum Codec: Int32, Sendable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7
}

/// `ColumnMetaData` of one column chunk.
struct ColumnMetaData {
    var type: Int32 = -1
    var path: [String] = []
    var codec: Int32 = 0
    var numValues: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = -1
    var dictionaryPageOffset: Int64?

    static let spec = ThriftStructSpec("ColumnMetaData", [
        (1, "type", .i32, required: true), (2, "encodings", .list, required: true),
        (3, "path_in_schema", .list, required: true), (4, "codec", .i32, required: true),
        (5, "num_values", .i64, required: true), (6, "total_uncompressed_size", .i64, required: true),
        (7, "total_compressed_size", .i64, required: true), (9, "data_page_offset", .i64, required: true),
        (11, "dictionary_page_offset", .i64, required: false),
    ])

    static func read(_ r: inout ThriftReader) throws -> ColumnMetaData {
        var m = ColumnMetaData()
        try r.readStruct(spec) { r, id, type in
            switch id {
            case 1: m.type = try r.i32()
            case 2: _ = try r.i32List()           // checked for shape; each page names its own encoding
            case 3: m.path = try r.stringList()
            case 4: m.codec = try r.i32()
            case 5: m.numValues = try r.i64()
            case 7: m.totalCompressedSize = try r.i64()
            case 9: m.dataPageOffset = try r.i64()
            case 11: m.dictionaryPageOffset = try r.i64()
            default: try r.skip(type)               // 6: not needed to read
            }
        }
        return m
    }
}

/// `RowGroup`: its row count and one chunk per leaf column.
struct RowGroup {
    var columns: [ColumnMetaData?] = []     // nil: a chunk without inline metadata
    var columnFilePaths: [String?] = []
    var numRows: Int64 = 0

    static let spec = ThriftStructSpec("RowGroup", [
        (1, "columns", .list, required: true), (2, "total_byte_size", .i64, required: true),
        (3, "num_rows", .i64, required: true),
    ])
    static let chunkSpec = ThriftStructSpec("ColumnChunk", [
        (1, "file_path", .binary, required: false), (2, "file_offset", .i64, required: true),
        (3, "meta_data", .structure, required: false),
    ])

    static func read(_ r: inout ThriftReader) throws -> RowGroup {
        var g = RowGroup()
        try r.readStruct(spec) { r, id, type in
            switch id {
            case 1:
                let chunks = try r.structList { r -> (ColumnMetaData?, String?) in
                    var meta: ColumnMetaData?
                    var filePath: String?
                    try r.readStruct(chunkSpec) { r, id, type in
                        switch id {
                        case 1: filePath = try r.string()
                        case 3: meta = try ColumnMetaData.read(&r)
                        default: try r.skip(type)   // 2: deprecated, not used
                        }
                    }
                    return (meta, filePath)
                }
                g.columns = chunks.map(\.0)
                g.columnFilePaths = chunks.map(\.1)
            case 3: g.numRows = try r.i64()
            default: try r.skip(type)               // 2: not needed to read
            }
        }
        return g
    }
}

/// The footer.
struct FileMetaData {
    var schema: [SchemaElement] = []
    var numRows: Int64 = 0
    var rowGroups: [RowGroup] = []
    var keyValues: [(key: String, value: String)] = []
    var createdBy: String?

    static let spec = ThriftStructSpec("FileMetaData", [
        (1, "version", .i32, required: true), (2, "schema", .list, required: true),
        (3, "num_rows", .i64, required: true), (4, "row_groups", .list, required: true),
        (5, "key_value_metadata", .list, required: false), (6, "created_by", .binary, required: false),
    ])
    static let keyValueSpec = ThriftStructSpec("KeyValue", [
        (1, "key", .binary, required: true), (2, "value", .binary, required: false),
    ])

    static func read(_ r: inout ThriftReader) throws -> FileMetaData {
        var m = FileMetaData()
        try r.readStruct(spec) { r, id, type in
            switch id {
            case 2: m.schema = try r.structList(SchemaElement.read)
            case 3: m.numRows = try r.i64()
            case 4: m.rowGroups = try r.structList(RowGroup.read)
            case 5:
                m.keyValues = try r.structList { r in
                    var key = "", value = ""
                    try r.readStruct(keyValueSpec) { r, id, _ in
                        if id == 1 { key = try r.string() } else { value = try r.string() }
                    }
                    return (key, value)
                }
            case 6: m.createdBy = try r.string()
            default: try r.skip(type)               // 1: any version reads the same
            }
        }
        return m
    }
}

/// Page kinds (`PageType`).
enum PageType: Int32 {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

/// `PageHeader` with the fields of whichever page header it carries.
struct PageHeader {
    var type: Int32 = -1
    var uncompressedSize: Int32 = -1
    var compressedSize: Int32 = -1
    /// CRC-32 of the page's bytes after the header, as stored (compressed), if the writer kept one.
    var crc: UInt32?
    var numValues: Int32 = 0
    var encoding: Int32 = 0
    /// v1: the level encodings (3 RLE; 4 BIT_PACKED is not written by pyarrow).
    var definitionLevelEncoding: Int32 = 3
    var repetitionLevelEncoding: Int32 = 3
    /// v2 only.
    var numRows: Int32 = 0
    var definitionLevelsLength: Int32 = 0
    var repetitionLevelsLength: Int32 = 0
    var isCompressed = true
    /// Which page-specific header arrived: 5 data, 7 dictionary, 8 data v2.
    var bodyField: Int16?

    static let spec = ThriftStructSpec("PageHeader", [
        (1, "type", .i32, required: true), (2, "uncompressed_page_size", .i32, required: true),
        (3, "compressed_page_size", .i32, required: true), (4, "crc", .i32, required: false),
        (5, "data_page_header", .structure, required: false),
        (7, "dictionary_page_header", .structure, required: false),
        (8, "data_page_header_v2", .structure, required: false),
    ])
    static let dataSpec = ThriftStructSpec("DataPageHeader", [
        (1, "num_values", .i32, required: true), (2, "encoding", .i32, required: true),
        (3, "definition_level_encoding", .i32, required: true), (4, "repetition_level_encoding", .i32, required: true),
    ])
    static let dictionarySpec = ThriftStructSpec("DictionaryPageHeader", [
        (1, "num_values", .i32, required: true), (2, "encoding", .i32, required: true),
    ])
    static let dataV2Spec = ThriftStructSpec("DataPageHeaderV2", [
        (1, "num_values", .i32, required: true), (2, "num_nulls", .i32, required: true),
        (3, "num_rows", .i32, required: true), (4, "encoding", .i32, required: true),
        (5, "definition_levels_byte_length", .i32, required: true),
        (6, "repetition_levels_byte_length", .i32, required: true),
        (7, "is_compressed", .boolTrue, required: false),
    ])

    static func read(_ r: inout ThriftReader) throws -> PageHeader {
        var h = PageHeader()
        try r.readStruct(spec) { r, id, type in
            switch id {
            case 1: h.type = try r.i32()
            case 2: h.uncompressedSize = try r.i32()
            case 3: h.compressedSize = try r.i32()
            case 4: h.crc = UInt32(bitPattern: try r.i32())     // stored as a signed i32
            case 5:
                h.bodyField = 5
                try r.readStruct(dataSpec) { r, id, _ in
                    switch id {
                    case 1: h.numValues = try r.i32()
                    case 2: h.encoding = try r.i32()
                    case 3: h.definitionLevelEncoding = try r.i32()
                    default: h.repetitionLevelEncoding = try r.i32()
                    }
                }
            case 7:
                h.bodyField = 7
                try r.readStruct(dictionarySpec) { r, id, _ in
                    if id == 1 { h.numValues = try r.i32() } else { h.encoding = try r.i32() }
                }
            default:                                            // 8
                h.bodyField = 8
                try r.readStruct(dataV2Spec) { r, id, type in
                    switch id {
                    case 1: h.numValues = try r.i32()
                    case 3: h.numRows = try r.i32()
                    case 4: h.encoding = try r.i32()
                    case 5: h.definitionLevelsLength = try r.i32()
                    case 6: h.repetitionLevelsLength = try r.i32()
                    case 7: h.isCompressed = try r.bool(type)
                    default: _ = try r.i32()                    // 2: num_nulls, implied by the levels
                    }
                }
            }
        }
        // The page-specific header its type needs: without it the counts and encoding would be
        // the defaults, and the page would decode as something it is not.
        if let type = PageType(rawValue: h.type), let (id, name) = type.headerField, h.bodyField != id {
            throw r.damaged("PageHeader of a \(type.thriftName) page lacks field \(id) (\(name))")
        }
        guard h.uncompressedSize >= 0, h.compressedSize >= 0 else {
            throw r.error("a page header with a negative size")
        }
        guard h.numValues >= 0, h.definitionLevelsLength >= 0, h.repetitionLevelsLength >= 0 else {
            throw r.error("a page header with a negative count or length")
        }
        return h
    }
}

extension PageType {
    /// The name in parquet.thrift.
    var thriftName: String {
        switch self {
        case .dataPage: return "DATA_PAGE"
        case .indexPage: return "INDEX_PAGE"
        case .dictionaryPage: return "DICTIONARY_PAGE"
        case .dataPageV2: return "DATA_PAGE_V2"
        }
    }

    /// The PageHeader field that must carry this kind's own header.
    var headerField: (Int16, String)? {
        switch self {
        case .dataPage: return (5, "data_page_header")
        case .dictionaryPage: return (7, "dictionary_page_header")
        case .dataPageV2: return (8, "data_page_header_v2")
        case .indexPage: return nil
        }
    }
}

/// Value encodings (`Encoding`).
enum Encoding: Int32 {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    static func name(_ code: Int32) -> String {
        Encoding(rawValue: code).map { "\($0)" } ?? "encoding \(code)"
    }
}
