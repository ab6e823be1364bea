/// The WordPiece vocabulary: token string ⇄ id.
///
/// Lookups are the hot path of encoding, so token strings are stored as UTF-8 bytes in one
/// buffer with an open-addressing hash table over them; a word is looked up straight from a
/// byte slice, without building a `String`. Continuation pieces (`##ing`) live in a second table
/// keyed without their prefix, so `ing` after the start of a word is looked up as is.
public final class Vocabulary: @unchecked Sendable {
    // @unchecked: every stored property is written in `init` only and never mutated after.

    /// Token strings by id (`tokens[id]`); ids without a token (gaps in a JSON vocabulary) are "".
    public let tokens: [String]
    /// The continuing-subword prefix (`##`).
    public let continuationPrefix: String
    private let whole: ByteTable
    private let continuation: ByteTable

    /// - Parameters:
    ///   - tokenToId: every model token with its id; ids need not be dense.
    ///   - addedTokens: tokens outside the model (special tokens the model lacks): they get a
    ///     string for their id but are never produced by WordPiece.
    init(tokenToId: [(String, Int)], continuationPrefix: String, addedTokens: [(String, Int)] = []) {
        let maxId = (tokenToId + addedTokens).map(\.1).max() ?? -1
        var tokens = [String](repeating: "", count: maxId + 1)
        for (t, id) in tokenToId where id >= 0 { tokens[id] = t }
        for (t, id) in addedTokens where id >= 0 && tokens[id].isEmpty { tokens[id] = t }
        self.tokens = tokens
        self.continuationPrefix = continuationPrefix
        let prefixBytes = Array(continuationPrefix.utf8)
        whole = ByteTable(tokenToId.map { (Array($0.0.utf8), Int32($0.1)) })
        continuation = ByteTable(tokenToId.compactMap { token, id in
            let b = Array(token.utf8)
            guard !prefixBytes.isEmpty, b.count >= prefixBytes.count, b.starts(with: prefixBytes) else { return nil }
            return (Array(b[prefixBytes.count...]), Int32(id))
        })
    }

    /// Number of ids (the model's vocabulary size V).
    public var count: Int { tokens.count }

    /// The id of `token` in the model vocabulary, or nil if it is not there.
    public func id(of token: String) -> Int? {
        var t = token
        return t.withUTF8 { b in
            let id = whole.lookup(b.baseAddress, b.count)
            return id < 0 ? nil : Int(id)
        }
    }

    /// The token of `id`, or nil if there is none.
    public func token(of id: Int) -> String? {
        guard id >= 0, id < tokens.count, !tokens[id].isEmpty else { return nil }
        return tokens[id]
    }

    /// Id of the UTF-8 bytes `p[0..<n]` as a word start (`continued == false`) or as a
    /// continuation (looked up as prefix + bytes); -1 if absent.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int, continued: Bool) -> Int32 {
        continued ? continuation.lookup(p, n) : whole.lookup(p, n)
    }
}

/// Open-addressing hash table from byte strings to Int32, immutable after init.
final class ByteTable: @unchecked Sendable {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    /// Per entry: byte offset, byte length, id.
    private let entries: UnsafeMutableBufferPointer<(Int32, Int32, Int32)>
    /// Slot → entry index + 1 (0 = empty).
    private let slots: UnsafeMutableBufferPointer<Int32>
    private let mask: Int

    init(_ items: [([UInt8], Int32)]) {
        var capacity = 16
        while capacity < items.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        let total = items.reduce(0) { $0 + $1.0.count }
        bytes = .allocate(capacity: max(total, 1))
        entries = .allocate(capacity: max(items.count, 1))
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0)
        var offset = 0
        var count: Int32 = 0
        for (key, id) in items {
            let found = key.withUnsafeBufferPointer { findSlot($0.baseAddress, key.count) }
            if slots[found] != 0 {
                // Duplicate token: the later line wins, as in the Python loader.
                let e = Int(slots[found] - 1)
                entries[e].2 = id
                continue
            }
            for (i, b) in key.enumerated() { bytes[offset + i] = b }
            entries[Int(count)] = (Int32(offset), Int32(key.count), id)
            count += 1
            slots[found] = count
            offset += key.count
        }
    }

    deinit {
        bytes.deallocate()
        entries.deallocate()
        slots.deallocate()
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
        // FNV-1a, 64-bit: short keys, good spread, no allocation.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        if let p {
            for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3 }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func findSlot(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
        var s = ByteTable.hash(p, n) & mask
        while true {
            let e = Int(slots[s])
            if e == 0 { return s }
            let (off, len, _) = entries[e - 1]
            if Int(len) == n {
                if n == 0 { return s }
                if let base = bytes.baseAddress, let p, memcmpBytes(base + Int(off), p, n) { return s }
            }
            s = (s + 1) & mask
        }
    }

    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int32 {
        let e = Int(slots[findSlot(p, n)])
        return e == 0 ? -1 : entries[e - 1].2
    }
}

@inline(__always)
private func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    for i in 0..<n where a[i] != b[i] { return false }
    return true
}
