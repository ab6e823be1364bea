import Files
import Foundation
import Hub
import Tensor

/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to the data that
/// follows), an optional "__metadata__" string map, then the raw little-endian data.
public enum Safetensors {
    /// One tensor entry of a file's header.
    public struct Entry: Sendable {
        /// The element type as the header writes it (`F32`, `F16`, `BF16`, `I64`).
        public let dtype: String
        /// The tensor's shape.
        public let shape: [Int]
        /// The tensor's bytes, relative to the start of the data section.
        public let range: Range<Int>
    }

    /// A parsed file: its header entries and the bytes they point into.
    public struct File {
        /// Where the file was read from.
        public let url: URL
        /// Every tensor's entry, by name.
        public let entries: [String: Entry]
        /// The header's `__metadata__` strings (`{"format": "pt"}`), empty when absent.
        public let metadata: [String: String]
        let data: Data
        let dataStart: Int

        /// The F32 tensor `name`, or an error naming the file when it is absent or not F32.
        public func tensor(_ name: String) throws -> Tensor {
            guard let e = entries[name] else {
                throw ModelError("\(url.path) has no tensor '\(name)'")
            }
            guard e.dtype == "F32" else {
                throw ModelError("\(url.path): tensor '\(name)' has dtype \(e.dtype); only F32 is supported "
                    + "(convert the checkpoint with model.float() before saving)")
            }
            let t = Tensor(shape: e.shape)
            data.withUnsafeBytes { raw in
                let src = UnsafeRawBufferPointer(rebasing: raw[(dataStart + e.range.lowerBound)..<(dataStart + e.range.upperBound)])
                UnsafeMutableRawBufferPointer(start: t.data, count: t.count * 4).copyMemory(from: src)
            }
            return t
        }
    }

    /// Reads and validates a file (see `parse`). Malformed files throw an error that names the
    /// file and the problem.
    public static func read(_ url: URL) throws -> File {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw ModelError("cannot read \(url.path): \(FileProblem.describe(error))")
        }
        return try parse(data, url: url)
    }

    /// Validates the bytes of a safetensors file the way the reference implementation does:
    /// the header length fits the file, the header is a JSON object, every tensor has a known
    /// dtype, non-negative dimensions and a byte length of element count × dtype size (checked
    /// arithmetic: a wrapped product would pass the check and be read past its end), and the
    /// tensors' ranges, sorted, follow one another without gap or overlap and together cover
    /// the data section exactly. Two tensors sharing bytes would load as wrong weights.
    static func parse(_ data: Data, url: URL) throws -> File {
        func bad(_ why: String) -> ModelError {
            ModelError("\(url.path) is not a valid safetensors file: \(why). "
                + (Hub.cacheAdvice(for: url) ?? "Re-download or re-save the checkpoint."))
        }
        guard data.count >= 8 else { throw bad("it has \(data.count) bytes, fewer than the 8-byte header length") }
        let base = data.startIndex
        var headerSize: UInt64 = 0
        for i in 0..<8 { headerSize |= UInt64(data[base + i]) << (8 * UInt64(i)) }
        guard headerSize <= UInt64(data.count - 8), headerSize <= 100_000_000 else {
            throw bad("the header claims \(headerSize) bytes but the file has \(data.count - 8) after the length (truncated?)")
        }
        let start = 8 + Int(headerSize)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data.subdata(in: (base + 8)..<(base + start))) } catch {
            throw bad("the header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw bad("the header is not a JSON object") }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        let dataSize = data.count - start
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else { throw bad("__metadata__ is not a map of strings") }
                metadata = map
                continue
            }
            guard let obj = value as? [String: Any], let dtype = obj["dtype"] as? String,
                  let shape = integers(obj["shape"]), let offsets = integers(obj["data_offsets"]), offsets.count == 2 else {
                throw bad("the entry for '\(name)' lacks dtype, shape (a list of integers) or data_offsets (two integers)")
            }
            guard let width = elementSize[dtype] else { throw bad("tensor '\(name)' has unknown dtype \(dtype)") }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("tensor '\(name)' has shape \(shape), with a negative dimension")
            }
            var bytes = width
            for d in shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: d)
                guard !overflow else {
                    throw bad("tensor '\(name)' has shape \(shape): its byte size (element count × \(width) bytes of "
                        + "\(dtype)) overflows a 64-bit integer")
                }
                bytes = product
            }
            guard offsets[0] >= 0, offsets[1] >= offsets[0] else {
                throw bad("tensor '\(name)' has data_offsets \(offsets); they must be [begin, end] with 0 ≤ begin ≤ end")
            }
            guard offsets[1] - offsets[0] == bytes else {
                throw bad("tensor '\(name)' of shape \(shape) and dtype \(dtype) needs \(bytes) bytes but its offsets "
                    + "\(offsets) span \(offsets[1] - offsets[0])")
            }
            guard offsets[1] <= dataSize else {
                throw bad("tensor '\(name)' ends at byte \(offsets[1]) of the data but the file holds only \(dataSize) (truncated?)")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        // Sorted by (begin, end), each range must start where the previous one ended.
        var end = 0
        var previous: String?
        for (name, e) in entries.sorted(by: { ($0.value.range.lowerBound, $0.value.range.upperBound, $0.key)
                                               < ($1.value.range.lowerBound, $1.value.range.upperBound, $1.key) }) {
            if e.range.lowerBound < end, let previous {
                throw bad("tensors '\(previous)' and '\(name)' share bytes (data_offsets overlap at \(e.range.lowerBound)"
                    + "..<\(end)); every tensor needs its own bytes")
            }
            if e.range.lowerBound > end {
                throw bad("bytes \(end)..<\(e.range.lowerBound) of the data belong to no tensor (a gap before '\(name)')")
            }
            end = e.range.upperBound
            previous = name
        }
        guard end == dataSize else {
            throw bad("the tensors cover \(end) bytes of data but the file holds \(dataSize) after the header")
        }
        return File(url: url, entries: entries, metadata: metadata, data: data, dataStart: start)
    }

    /// A JSON list of integers that fit an `Int` (not 1.5, 1e30 or a string), else nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var result: [Int] = []
        result.reserveCapacity(list.count)
        for item in list {
            // `stringValue` round trip: 1.5, 1e30 and out-of-range values do not print as their int64Value.
            guard let n = item as? NSNumber else { return nil }
            let i = n.int64Value
            guard n.stringValue == String(i), let exact = Int(exactly: i) else { return nil }
            result.append(exact)
        }
        return result
    }

    /// Writes F32 `tensors` (name → tensor) to `url` atomically, names sorted, header padded with
    /// spaces to a multiple of 8 bytes as the reference implementation does.
    public static func write(_ tensors: [(String, Tensor)], to url: URL, metadata: [String: String] = ["format": "pt"]) throws {
        let sorted = tensors.sorted { $0.0 < $1.0 }
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for (name, t) in sorted {
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.count * 4]] as [String: Any]
            offset += t.count * 4
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        var size = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &size) { out.append(contentsOf: $0) }
        out.append(json)
        for (_, t) in sorted { out.append(UnsafeBufferPointer(start: t.data, count: t.count)) }
        do { try out.write(to: url, options: .atomic) } catch {
            throw ModelError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    static let elementSize: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
        "U16": 2, "U32": 4, "U64": 8, "F8_E4M3": 1, "F8_E5M2": 1,
    ]
}
