@_implementationOnly import CSnappy
@_implementationOnly import CZstd

// Page decompression through the system libraries (Debian libsnappy-dev, libzstd-dev). The
// page header states the uncompressed size; a codec that produces any other size means a
// corrupt page, never a silently short or long one.

/// The largest uncompressed page accepted: pyarrow writes 1 MiB pages, and a hostile header
/// must not make us allocate without limit.
let maxPageSize = 256 << 20

func decompress(_ input: UnsafeRawBufferPointer, codec: Int32, uncompressedSize: Int,
                what: () -> String) throws -> [UInt8] {
    guard uncompressedSize <= maxPageSize else {
        throw ParquetError("\(what()): a page of \(uncompressedSize) bytes (more than \(maxPageSize >> 20) MiB)")
    }
    switch Codec(rawValue: codec) {
    case .uncompressed:
        guard input.count == uncompressedSize else {
            throw ParquetError("\(what()): an uncompressed page of \(input.count) bytes whose header says \(uncompressedSize)")
        }
        return Array(input)
    case .snappy:
        guard let base = input.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            throw ParquetError("\(what()): an empty SNAPPY page")
        }
        var length = 0
        guard snappy_uncompressed_length(base, input.count, &length) == SNAPPY_OK, length == uncompressedSize else {
            throw ParquetError("\(what()): a SNAPPY page that does not decompress to the \(uncompressedSize) bytes its header says")
        }
        if uncompressedSize == 0 { return [] }
        var out = [UInt8](repeating: 0, count: uncompressedSize)
        var produced = uncompressedSize
        let status = out.withUnsafeMutableBytes { buffer in
            snappy_uncompress(base, input.count, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), &produced)
        }
        guard status == SNAPPY_OK, produced == uncompressedSize else {
            throw ParquetError("\(what()): a corrupt SNAPPY page")
        }
        return out
    case .zstd:
        var out = [UInt8](repeating: 0, count: uncompressedSize)
        let produced = out.withUnsafeMutableBytes { buffer in
            ZSTD_decompress(buffer.baseAddress, buffer.count, input.baseAddress, input.count)
        }
        guard ZSTD_isError(produced) == 0, produced == uncompressedSize else {
            throw ParquetError("\(what()): a ZSTD page that does not decompress to the \(uncompressedSize) bytes its header says")
        }
        return out
    case let other:
        let name = other.map { "\($0)".uppercased() } ?? "codec \(codec)"
        throw ParquetError("\(what()): compressed with \(name); this reader supports SNAPPY, ZSTD and uncompressed "
            + "files (rewrite it with pyarrow: pq.write_table(table, path, compression='snappy'))")
    }
}
