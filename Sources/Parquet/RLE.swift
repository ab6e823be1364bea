// The RLE / bit-packed hybrid (Parquet `Encodings.md`), used for repetition and definition
// levels, dictionary indices and RLE booleans. A run header is a ULEB128 varint: even, a run
// of `header >> 1` copies of one value stored in ceil(bitWidth / 8) little-endian bytes; odd,
// `header >> 1` groups of 8 values packed `bitWidth` bits each, least significant bit first.

/// Decodes `count` values of `bitWidth` bits (0...32) from `bytes`.
/// Runs may cover more values than asked for (the last bit-packed group is padded); the extra
/// ones are ignored. Too few values is an error.
func decodeHybrid(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int, what: () -> String) throws -> [UInt32] {
    guard (0...32).contains(bitWidth) else { throw ParquetError("\(what()): a bit width of \(bitWidth) (at most 32)") }
    var out: [UInt32] = []
    out.reserveCapacity(count)
    if bitWidth == 0 {
        // Every value is 0 (a single-entry dictionary, or levels that cannot vary).
        return [UInt32](repeating: 0, count: count)
    }
    var position = 0
    let byteWidth = (bitWidth + 7) / 8
    let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
    while out.count < count {
        // ULEB128 header.
        var header: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else {
                throw ParquetError("\(what()): the run-length data ends after \(out.count) of \(count) values")
            }
            let b = bytes[position]
            position += 1
            guard shift < 64 else { throw ParquetError("\(what()): a run header longer than 10 bytes") }
            header |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        let needed = count - out.count
        if header & 1 == 0 {
            let run = header >> 1
            guard position + byteWidth <= bytes.count else {
                throw ParquetError("\(what()): the run-length data ends inside a run")
            }
            var value: UInt64 = 0
            for i in 0..<byteWidth { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += byteWidth
            guard value <= mask else { throw ParquetError("\(what()): a run value wider than \(bitWidth) bits") }
            let take = run < UInt64(needed) ? Int(run) : needed
            out.append(contentsOf: repeatElement(UInt32(value), count: take))
        } else {
            let groups = header >> 1
            // Bytes this run occupies, limited to what is there (checked before multiplying).
            let available = (bytes.count - position) / bitWidth      // whole groups present
            guard groups <= UInt64(available) else {
                throw ParquetError("\(what()): a bit-packed run of \(groups) groups runs past the end of its data")
            }
            let values = Int(groups) * 8
            let take = min(values, needed)
            var bitBuffer: UInt64 = 0
            var bitsHeld = 0
            var p = position
            for _ in 0..<take {
                while bitsHeld < bitWidth {
                    bitBuffer |= UInt64(bytes[p]) << UInt64(bitsHeld)
                    p += 1
                    bitsHeld += 8
                }
                out.append(UInt32(truncatingIfNeeded: bitBuffer & mask))
                bitBuffer >>= UInt64(bitWidth)
                bitsHeld -= bitWidth
            }
            position += Int(groups) * bitWidth
        }
    }
    return out
}

/// The bit width that holds values 0...maxValue.
func bitWidth(_ maxValue: Int) -> Int {
    maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
}
