// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78), the checksum that frames
// every record of a TensorBoard / TFRecord file. A byte-at-a-time table is plenty: event files
// are a few kilobytes per log line.

/// CRC-32C of a byte sequence: `CRC32C.checksum(Array("123456789".utf8)) == 0xE3069283`.
public enum CRC32C {
    /// The 256-entry table of the reflected polynomial.
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// Continues `crc` (the value returned for the bytes before) over `bytes`; start from 0.
    public static func update<Bytes: Sequence>(_ crc: UInt32, _ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var c = ~crc
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return ~c
    }

    /// The CRC-32C (Castagnoli) of `bytes`, unmasked: what TFRecord masks for TensorBoard files.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        update(0, bytes)
    }

    /// The masked CRC that TFRecord framing stores (`((crc >> 15) | (crc << 17)) + 0xA282EAD8`):
    /// a CRC of data that itself holds CRCs is weak, so the stored value is rotated and offset.
    public static func masked<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
