// The parts of Parquet's Thrift structures (parquet.thrift) this reader uses: the footer's
// FileMetaData with its schema and row groups, and the page headers inside column chunks.
// Fields are matched by id *and* type; anything else is skipped, as Thrift readers do, so
// newer writers' extra fields are harmless.

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

    static func read(_ r: inout ThriftReader) throws -> SchemaElement {
        var e = SchemaElement()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .i32):
                let code = try r.i32()
                e.typeCode = code
                e.type = PhysicalType(rawValue: code)
            case (3, .i32):
                let code = try r.i32()
                guard let rep = Repetition(rawValue: code) else { throw r.error("unknown repetition type \(code)") }
                e.repetition = rep
            case (4, .binary): e.name = try r.string()
            case (5, .i32):
                let n = try r.i32()
                guard n >= 0 else { throw r.error("a negative number of children (\(n))") }
                e.numChildren = Int(n)
            case (6, .i32): e.convertedType = try r.i32()
            case (10, .structure):
                // A union: exactly one field is set; INTEGER (10) carries the signedness.
                try r.readStruct { r, which, type in
                    e.logicalType = which
                    if which == 10 && type == .structure {
                        try r.readStruct { r, id, type in
                            if id == 2, type == .boolTrue || type == .boolFalse { e.integerSigned = try r.bool(type) } else { try r.skip(type) }
                        }
                    } else {
                        try r.skip(type)
                    }
                }
            default: try r.skip(type)
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

    static func read(_ r: inout ThriftReader) throws -> ColumnMetaData {
        var m = ColumnMetaData()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .i32): m.type = try r.i32()
            case (3, .list): m.path = try r.stringList()
            case (4, .i32): m.codec = try r.i32()
            case (5, .i64): m.numValues = try r.i64()
            case (7, .i64): m.totalCompressedSize = try r.i64()
            case (9, .i64): m.dataPageOffset = try r.i64()
            case (11, .i64): m.dictionaryPageOffset = try r.i64()
            default: try r.skip(type)
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

    static func read(_ r: inout ThriftReader) throws -> RowGroup {
        var g = RowGroup()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .list):
                let chunks = try r.structList { r -> (ColumnMetaData?, String?) in
                    var meta: ColumnMetaData?
                    var filePath: String?
                    try r.readStruct { r, id, type in
                        switch (id, type) {
                        case (1, .binary): filePath = try r.string()
                        case (3, .structure): meta = try ColumnMetaData.read(&r)
                        default: try r.skip(type)
                        }
                    }
                    return (meta, filePath)
                }
                g.columns = chunks.map(\.0)
                g.columnFilePaths = chunks.map(\.1)
            case (3, .i64): g.numRows = try r.i64()
            default: try r.skip(type)
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

    static func read(_ r: inout ThriftReader) throws -> FileMetaData {
        var m = FileMetaData()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (2, .list): m.schema = try r.structList(SchemaElement.read)
            case (3, .i64): m.numRows = try r.i64()
            case (4, .list): m.rowGroups = try r.structList(RowGroup.read)
            case (5, .list):
                m.keyValues = try r.structList { r in
                    var key = "", value = ""
                    try r.readStruct { r, id, type in
                        switch (id, type) {
                        case (1, .binary): key = try r.string()
                        case (2, .binary): value = try r.string()
                        default: try r.skip(type)
                        }
                    }
                    return (key, value)
                }
            case (6, .binary): m.createdBy = try r.string()
            default: try r.skip(type)
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
    var sawBody = false

    static func read(_ r: inout ThriftReader) throws -> PageHeader {
        var h = PageHeader()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .i32): h.type = try r.i32()
            case (2, .i32): h.uncompressedSize = try r.i32()
            case (3, .i32): h.compressedSize = try r.i32()
            case (5, .structure):           // DataPageHeader
                h.sawBody = true
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, .i32): h.numValues = try r.i32()
                    case (2, .i32): h.encoding = try r.i32()
                    case (3, .i32): h.definitionLevelEncoding = try r.i32()
                    case (4, .i32): h.repetitionLevelEncoding = try r.i32()
                    default: try r.skip(type)
                    }
                }
            case (7, .structure):           // DictionaryPageHeader
                h.sawBody = true
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, .i32): h.numValues = try r.i32()
                    case (2, .i32): h.encoding = try r.i32()
                    default: try r.skip(type)
                    }
                }
            case (8, .structure):           // DataPageHeaderV2
                h.sawBody = true
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, .i32): h.numValues = try r.i32()
                    case (3, .i32): h.numRows = try r.i32()
                    case (4, .i32): h.encoding = try r.i32()
                    case (5, .i32): h.definitionLevelsLength = try r.i32()
                    case (6, .i32): h.repetitionLevelsLength = try r.i32()
                    case (7, .boolTrue), (7, .boolFalse): h.isCompressed = try r.bool(type)
                    default: try r.skip(type)
                    }
                }
            default: try r.skip(type)
            }
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

/// Value encodings (`Encoding`).
enum Encoding: Int32 {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    static func name(_ code: Int32) -> String {
        Encoding(rawValue: code).map { "\($0)" } ?? "encoding \(code)"
    }
}
