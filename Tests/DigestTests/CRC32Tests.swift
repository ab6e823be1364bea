import Testing
@testable import Digest

// CRC-32 (IEEE) against zlib's `crc32`: the check value, and vectors from Python
// (`zlib.crc32(bytes)`) that cross the 8-byte blocks and the tail of the sliced loop.

@Test func crc32CheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
    #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
    #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    #expect(CRC32.checksum([UInt8](repeating: 0, count: 32)) == 0x190A_55AD)
    #expect(CRC32.checksum([UInt8](repeating: 0xFF, count: 32)) == 0xFF6C_AB0B)
    #expect(CRC32.checksum((0..<32).map { UInt8($0) }) == 0x91267E8A)
}

@Test func crc32SlicedEqualsBytewise() {
    // Every length 0...40 and every start offset 0...7 (unaligned loads) against the
    // one-table loop, which is the definition.
    let data = (0..<48).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
    func bytewise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = ~0
        for b in bytes { c = CRC32.tables[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return ~c
    }
    for start in 0..<8 {
        for length in 0...40 {
            let slice = data[start..<(start + length)]
            #expect(CRC32.checksum(slice) == bytewise(slice), "start \(start) length \(length)")
        }
    }
}

@Test func crc32Continues() {
    let data = Array("123456789".utf8)
    #expect(CRC32.update(CRC32.checksum(data[..<4]), data[4...]) == 0xCBF4_3926)
}
