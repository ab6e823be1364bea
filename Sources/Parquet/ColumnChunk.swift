import Digest

// One column chunk (one column of one row group) into rows: its pages in order, an optional
// dictionary page first, then data pages v1 or v2. Each data page holds `numValues` level
// pairs; only slots whose definition level is the maximum carry a value. Levels and values
// are turned back into rows here (repetition level 0 starts a row), so a row may span pages.

/// Reads a chunk's pages into rows of `column`.
struct ChunkReader {
    let column: ParquetColumn
    let codec: Int32
    let describe: () -> String
    let limits: ParquetLimits
    private var dictionary: [ParquetValue]?
    private(set) var rows: [ParquetValue] = []
    private var open: [ParquetValue]?      // the list being filled, for list columns
    private(set) var valuesRead = 0

    init(column: ParquetColumn, codec: Int32, limits: ParquetLimits, describe: @escaping () -> String) {
        self.column = column
        self.codec = codec
        self.limits = limits
        self.describe = describe
    }

    /// Reads every page in `chunk` (the chunk's bytes, starting at byte `fileOffset` of the
    /// file) until `numValues` level slots are read.
    mutating func read(_ chunk: UnsafeRawBufferPointer, fileOffset: Int, numValues: Int) throws {
        var position = 0
        var page = 0                    // counted from 0 in file order, a dictionary page included
        while valuesRead < numValues {
            guard position < chunk.count else {
                throw ParquetError("\(describe()): the chunk ends after \(valuesRead) of its \(numValues) values")
            }
            let location = "\(describe()), page \(page) (at file byte \(fileOffset + position))"
            var reader = ThriftReader(UnsafeRawBufferPointer(rebasing: chunk[position...]),
                                      location: location, part: "page header")
            let header = try PageHeader.read(&reader)
            position += reader.position
            let size = Int(header.compressedSize)
            guard size <= chunk.count - position else {
                throw ParquetError("\(location): a page of \(size) bytes runs past the end of its column chunk")
            }
            let body = UnsafeRawBufferPointer(rebasing: chunk[position..<(position + size)])
            position += size
            page += 1
            // The CRC covers the page as stored after its header (compressed; for v2 the levels
            // too), so it is checked before anything is decompressed. One pass per page.
            if let expected = header.crc {
                let actual = CRC32.checksum(body)
                guard actual == expected else {
                    throw ParquetError("\(location): the page's bytes have CRC-32 \(hex(actual)), its header says "
                        + "\(hex(expected)); the file is damaged — download it again")
                }
            }
            switch PageType(rawValue: header.type) {
            case .dictionaryPage: try readDictionary(body, header)
            case .dataPage, .dataPageV2:
                guard Int(header.numValues) <= numValues - valuesRead else {
                    throw ParquetError("\(describe()): the pages hold more values than the column chunk's \(numValues)")
                }
                try readData(body, header)
                valuesRead += Int(header.numValues)
            case .indexPage: continue
            case nil: throw ParquetError("\(describe()): an unknown page type \(header.type)")
            }
        }
        if let open { rows.append(.list(open)) }
        open = nil
    }

    private mutating func readDictionary(_ body: UnsafeRawBufferPointer, _ header: PageHeader) throws {
        guard dictionary == nil else { throw ParquetError("\(describe()): a second dictionary page") }
        guard header.encoding == Encoding.plain.rawValue || header.encoding == Encoding.plainDictionary.rawValue else {
            throw ParquetError("\(describe()): a dictionary page in \(Encoding.name(header.encoding)) (only PLAIN is defined)")
        }
        let page = try decompress(body, codec: codec, uncompressedSize: Int(header.uncompressedSize), what: describe)
        var values: [ParquetValue] = []
        _ = try page.withUnsafeBytes {
            try decodePlain($0, column: column, count: Int(header.numValues), into: &values, what: describe)
        }
        dictionary = values
    }

    private mutating func readData(_ body: UnsafeRawBufferPointer, _ header: PageHeader) throws {
        let count = Int(header.numValues)
        guard count <= limits.maxValuesPerPage else {
            throw ParquetError("\(describe()): a page of \(count) values (the limit is \(limits.maxValuesPerPage))")
        }
        var repetition: [UInt32] = []
        var definition: [UInt32] = []
        let values: [UInt8]
        if header.type == PageType.dataPage.rawValue {
            guard header.definitionLevelEncoding == Encoding.rle.rawValue || column.maxDefinition == 0,
                  header.repetitionLevelEncoding == Encoding.rle.rawValue || column.maxRepetition == 0 else {
                throw ParquetError("\(describe()): levels in the deprecated BIT_PACKED encoding are not supported")
            }
            let page = try decompress(body, codec: codec, uncompressedSize: Int(header.uncompressedSize), what: describe)
            var offset = 0
            try page.withUnsafeBytes { raw in
                // v1: each level stream is a 4-byte length and RLE data.
                func levels(_ max: Int) throws -> [UInt32] {
                    guard max > 0 else { return [] }
                    guard raw.count - offset >= 4 else { throw ParquetError("\(describe()): a data page ends before its levels") }
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    offset += 4
                    guard length <= raw.count - offset else {
                        throw ParquetError("\(describe()): levels of \(length) bytes run past the end of the page")
                    }
                    defer { offset += length }
                    return try decodeHybrid(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]),
                                            bitWidth: bitWidth(max), count: count, what: describe)
                }
                repetition = try levels(column.maxRepetition)
                definition = try levels(column.maxDefinition)
            }
            values = Array(page[offset...])
        } else {
            // v2: levels first, uncompressed and without length prefixes; then the values,
            // compressed unless the header says otherwise.
            let repLength = Int(header.repetitionLevelsLength), defLength = Int(header.definitionLevelsLength)
            guard repLength <= body.count, defLength <= body.count - repLength,
                  repLength + defLength <= Int(header.uncompressedSize) else {
                throw ParquetError("\(describe()): level lengths larger than the page")
            }
            if column.maxRepetition > 0 {
                repetition = try decodeHybrid(UnsafeRawBufferPointer(rebasing: body[0..<repLength]),
                                              bitWidth: bitWidth(column.maxRepetition), count: count, what: describe)
            }
            if column.maxDefinition > 0 {
                definition = try decodeHybrid(UnsafeRawBufferPointer(rebasing: body[repLength..<(repLength + defLength)]),
                                              bitWidth: bitWidth(column.maxDefinition), count: count, what: describe)
            }
            let rest = UnsafeRawBufferPointer(rebasing: body[(repLength + defLength)...])
            let size = Int(header.uncompressedSize) - repLength - defLength
            values = header.isCompressed
                ? try decompress(rest, codec: codec, uncompressedSize: size, what: describe)
                : try decompress(rest, codec: Codec.uncompressed.rawValue, uncompressedSize: size, what: describe)
        }
        if let bad = definition.first(where: { $0 > column.maxDefinition }) {
            throw ParquetError("\(describe()): a definition level \(bad) above the column's maximum \(column.maxDefinition)")
        }
        if let bad = repetition.first(where: { $0 > column.maxRepetition }) {
            throw ParquetError("\(describe()): a repetition level \(bad) above the column's maximum \(column.maxRepetition)")
        }
        let maxDefinition = UInt32(column.maxDefinition)
        let present = column.maxDefinition == 0 ? count : definition.reduce(0) { $0 + ($1 == maxDefinition ? 1 : 0) }
        let decoded = try values.withUnsafeBytes { try decodeValues($0, encoding: header.encoding, count: present) }
        try assemble(count: count, repetition: repetition, definition: definition, values: decoded)
    }

    private func decodeValues(_ bytes: UnsafeRawBufferPointer, encoding: Int32, count: Int) throws -> [ParquetValue] {
        var out: [ParquetValue] = []
        switch Encoding(rawValue: encoding) {
        case .plain:
            try decodePlain(bytes, column: column, count: count, into: &out, what: describe)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else {
                throw ParquetError("\(describe()): a dictionary-encoded page without a dictionary page")
            }
            guard count > 0 else { return [] }
            guard let width = bytes.first else { throw ParquetError("\(describe()): an empty dictionary-encoded page") }
            let indices = try decodeHybrid(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width),
                                           count: count, what: describe)
            out.reserveCapacity(count)
            for index in indices {
                guard Int(index) < dictionary.count else {
                    throw ParquetError("\(describe()): dictionary index \(index) of a \(dictionary.count)-entry dictionary")
                }
                out.append(dictionary[Int(index)])
            }
        case .rle where column.physical == .boolean:
            guard bytes.count >= 4 else { throw ParquetError("\(describe()): an RLE boolean page without its length") }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
            guard length <= bytes.count - 4 else { throw ParquetError("\(describe()): RLE booleans run past the page") }
            let bits = try decodeHybrid(UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + length)]), bitWidth: 1,
                                        count: count, what: describe)
            out = bits.map { .bool($0 == 1) }
        default:
            throw ParquetError("\(describe()): values in the \(Encoding.name(encoding)) encoding are not supported "
                + "(this reader reads PLAIN and dictionary encodings, as pyarrow writes by default)")
        }
        return out
    }

    /// Rows from levels: for a scalar, one row per slot; for a list, repetition level 0 opens
    /// a row, and a definition level below the element-slot level makes it null or empty.
    private mutating func assemble(count: Int, repetition: [UInt32], definition: [UInt32], values: [ParquetValue]) throws {
        var next = 0
        let maxDefinition = UInt32(column.maxDefinition)
        func value(_ i: Int) -> ParquetValue {
            guard column.maxDefinition == 0 || definition[i] == maxDefinition else { return .null }
            defer { next += 1 }
            return values[next]
        }
        guard column.shape == .list else {
            rows.reserveCapacity(rows.count + count)
            for i in 0..<count { rows.append(value(i)) }
            return
        }
        let present = UInt32(column.presentLevel), slot = UInt32(column.slotLevel)
        for i in 0..<count {
            let d = column.maxDefinition == 0 ? 0 : definition[i]
            if repetition[i] == 0 {
                if let open { rows.append(.list(open)) }
                open = nil
                if d < present { rows.append(.null); continue }
                open = []
            } else if open == nil {
                throw ParquetError("\(describe()): a value continues a list that was never started (or is null)")
            }
            if d >= slot { open?.append(value(i)) }
        }
    }
}

/// `0x0000abcd`, as checksums are usually shown.
private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}

/// Bounds on what one file may make the reader allocate.
public struct ParquetLimits: Sendable {
    /// Level slots in one data page (pyarrow writes at most about 20,000).
    public var maxValuesPerPage = 1 << 24
    /// Level slots in one column chunk (one column of one row group).
    public var maxValuesPerChunk = 1 << 30
    /// Rows in the whole file.
    public var maxRows = 1 << 34
    /// Bytes of the whole file read into memory.
    public var maxFileSize = 4 << 30
    /// The default limits: far above any dataset the Hub serves, far below what would exhaust memory.
    public init() {}
}
