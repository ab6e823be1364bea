import Digest
import Files
import Foundation

/// One event of a TensorBoard event file, as `readEventFile` decodes it: the file-version
/// event, or a summary with scalar and text values (other value kinds are skipped).
public struct TensorBoardEvent: Sendable, Equatable {
    /// Seconds since 1970 when the event was written.
    public var wallTime: Double
    /// The training step the event belongs to (0 for the file-version event).
    public var step: Int
    /// `brain.Event:2` for the file-version event; nil for a summary.
    public var fileVersion: String?
    /// (tag, value) of each `simple_value` in the summary.
    public var scalars: [(tag: String, value: Float)]
    /// (tag, text) of each text summary (`args/text_summary`, ...).
    public var texts: [(tag: String, text: String)]

    public static func == (a: TensorBoardEvent, b: TensorBoardEvent) -> Bool {
        a.wallTime == b.wallTime && a.step == b.step && a.fileVersion == b.fileVersion
            && a.scalars.elementsEqual(b.scalars, by: { $0.tag == $1.tag && $0.value == $1.value })
            && a.texts.elementsEqual(b.texts, by: { $0.tag == $1.tag && $0.text == $1.text })
    }
}

/// Reads every record of an event file, checking the length and data CRCs of each, and decodes
/// the events (TensorBoard's own reader is `EventAccumulator`;
/// Scripts/reference/tensorboard_check_run.py uses it on the Trainer's files). Throws on a bad
/// CRC or a truncated record.
public func readEventFile(_ path: String) throws -> [TensorBoardEvent] {
    let data: [UInt8]
    do { data = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
        throw TrainerError("cannot read the event file \(path): \(FileProblem.describe(error))")
    }
    var events: [TensorBoardEvent] = []
    var offset = 0
    func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(data[at + $1]) << (8 * $1) } }
    while offset < data.count {
        guard data.count - offset >= 12 else { throw TrainerError("\(path): truncated record header at byte \(offset)") }
        let lengthBytes = data[offset..<offset + 8]
        let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[offset + $1]) << (8 * $1) }
        guard u32(offset + 8) == CRC32C.masked(lengthBytes) else {
            throw TrainerError("\(path): the length CRC of the record at byte \(offset) does not match")
        }
        let start = offset + 12
        guard length <= UInt64(data.count - start), data.count - start - Int(length) >= 4 else {
            throw TrainerError("\(path): the record at byte \(offset) is truncated")
        }
        let body = data[start..<start + Int(length)]
        guard u32(start + Int(length)) == CRC32C.masked(body) else {
            throw TrainerError("\(path): the data CRC of the record at byte \(offset) does not match")
        }
        events.append(try decodeEvent(Array(body), path: path))
        offset = start + Int(length) + 4
    }
    return events
}

/// A minimal protocol-buffer reader over one message's bytes.
struct ProtoReader {
    let bytes: [UInt8]
    var i = 0
    let path: String

    init(_ bytes: [UInt8], path: String) { self.bytes = bytes; self.path = path }

    var atEnd: Bool { i >= bytes.count }

    mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard i < bytes.count, shift < 64 else { throw TrainerError("\(path): malformed event (varint)") }
            let b = bytes[i]; i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    mutating func fixed(_ n: Int) throws -> UInt64 {
        guard bytes.count - i >= n else { throw TrainerError("\(path): malformed event (fixed field)") }
        defer { i += n }
        return (0..<n).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) }
    }

    mutating func lengthDelimited() throws -> [UInt8] {
        let n = try varint()
        guard n <= UInt64(bytes.count - i) else { throw TrainerError("\(path): malformed event (length)") }
        defer { i += Int(n) }
        return Array(bytes[i..<i + Int(n)])
    }

    /// Reads the next key; returns (field, wire type).
    mutating func key() throws -> (UInt64, UInt64) { let k = try varint(); return (k >> 3, k & 7) }

    mutating func skip(_ wire: UInt64) throws {
        switch wire {
        case 0: _ = try varint()
        case 1: _ = try fixed(8)
        case 2: _ = try lengthDelimited()
        case 5: _ = try fixed(4)
        default: throw TrainerError("\(path): malformed event (wire type \(wire))")
        }
    }
}

func decodeEvent(_ bytes: [UInt8], path: String) throws -> TensorBoardEvent {
    var r = ProtoReader(bytes, path: path)
    var event = TensorBoardEvent(wallTime: 0, step: 0, fileVersion: nil, scalars: [], texts: [])
    while !r.atEnd {
        let (field, wire) = try r.key()
        switch (field, wire) {
        case (1, 1): event.wallTime = Double(bitPattern: try r.fixed(8))
        case (2, 0): event.step = Int(Int64(bitPattern: try r.varint()))
        case (3, 2): event.fileVersion = String(decoding: try r.lengthDelimited(), as: UTF8.self)
        case (5, 2):
            var summary = ProtoReader(try r.lengthDelimited(), path: path)
            while !summary.atEnd {
                let (f, w) = try summary.key()
                guard f == 1, w == 2 else { try summary.skip(w); continue }
                try decodeValue(try summary.lengthDelimited(), path: path, into: &event)
            }
        default: try r.skip(wire)
        }
    }
    return event
}

func decodeValue(_ bytes: [UInt8], path: String, into event: inout TensorBoardEvent) throws {
    var r = ProtoReader(bytes, path: path)
    var tag = "", simple: Float?, text: String?
    while !r.atEnd {
        let (field, wire) = try r.key()
        switch (field, wire) {
        case (1, 2): tag = String(decoding: try r.lengthDelimited(), as: UTF8.self)
        case (2, 5): simple = Float(bitPattern: UInt32(try r.fixed(4)))
        case (8, 2):
            var tensor = ProtoReader(try r.lengthDelimited(), path: path)
            while !tensor.atEnd {
                let (f, w) = try tensor.key()
                if f == 8, w == 2 { text = String(decoding: try tensor.lengthDelimited(), as: UTF8.self) } else { try tensor.skip(w) }
            }
        default: try r.skip(wire)
        }
    }
    if let simple { event.scalars.append((tag, simple)) }
    if let text { event.texts.append((tag, text)) }
}
