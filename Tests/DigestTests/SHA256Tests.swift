import Testing
@testable import Digest

// Known answers from FIPS 180-4 examples and `sha256sum`.
@Test func knownAnswers() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
}

@Test func chunkedEqualsWhole() {
    let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    var whole = SHA256()
    whole.update(data)
    var parts = SHA256()
    parts.update(Array(data[0..<3]))
    parts.update(data[3..<130])          // generic path
    parts.update(Array(data[130..<1000]))
    #expect(whole.finalize() == parts.finalize())
    // 1000 bytes of (i*31 mod 256), checked with Python hashlib.
    #expect(SHA256.hex(data) == "945acdf575d6a2430bf4d6163e1d03b4b0b896fcef107c8b24bf7ff07a621fa3")
}

@Test func largeInputAcrossBlockBoundaries() {
    // 1 MiB of a pattern, hashed in uneven chunks: must equal hashing it whole (and hashlib).
    let data = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ ($0 >> 9)) }
    var chunked = SHA256()
    var offset = 0
    for size in [1, 63, 64, 65, 1000, 4096] where offset < data.count {
        chunked.update(Array(data[offset..<min(data.count, offset + size)]))
        offset += size
    }
    chunked.update(Array(data[offset...]))
    #expect(SHA256.hexString(chunked.finalize()) == SHA256.hex(data))
    #expect(SHA256.hex(data) == "bf979a334773f9bcf67c0c20d80836a29adb1572533e93ac4d5d54b9198fdfb5")
}
