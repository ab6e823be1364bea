import Testing
@testable import Digest

// CRC-32C check value (RFC 3720 / the CRC catalogue) and iSCSI test patterns (RFC 3720 B.4).
@Test func crc32cCheckValue() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8]()) == 0)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
}

@Test func crc32cContinues() {
    let data = Array("The quick brown fox jumps over the lazy dog".utf8)
    #expect(CRC32C.update(CRC32C.checksum(data[..<10]), data[10...]) == CRC32C.checksum(data))
}

// TFRecord's mask: the value TensorBoard's own `masked_crc32c(b"123456789")` gives
// (Scripts/fixtures/tensorboard_fixtures.py, Tests/TrainingTests/Fixtures/tensorboard_records.json).
@Test func crc32cMasked() {
    #expect(CRC32C.masked("123456789".utf8) == 3_347_755_237)
}
