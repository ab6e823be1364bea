import Digest
import Files
import Foundation

// TensorBoard event files, written by hand: no protobuf library, because an event file is a
// list of records, each framed as
//
//     uint64 length (little-endian) · uint32 masked CRC-32C of those 8 bytes · data · uint32 masked CRC-32C of data
//
// and each record's data is one `Event` protocol buffer (tensorflow/core/util/event.proto) with
// only a few fields in use:
//
//     Event    { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//     Summary  { repeated Value value = 1; }
//     Value    { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
//     SummaryMetadata { PluginData plugin_data = 1; }   PluginData { string plugin_name = 1; }
//     TensorProto { DataType dtype = 1 (DT_STRING = 7); TensorShapeProto tensor_shape = 2; repeated bytes string_val = 8; }
//     TensorShapeProto { repeated Dim dim = 2; }   Dim { int64 size = 1; }
//
// Fields are written in field-number order and proto3 defaults (step 0) are left out, as
// Python's protobuf does, so the bytes equal those of torch's SummaryWriter (the tests compare).

/// Writes one TensorBoard event file, like torch's `SummaryWriter(log_dir)`:
///
///     let writer = try SummaryWriter(logDir: "runs/exp1")
///     try writer.addScalar("train/loss", 0.69, step: 50)
///     try writer.close()
///
/// The file is `<logDir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>` (Python's name; `n`
/// counts writers in this process) and starts with the `file_version: "brain.Event:2"` event.
/// Each event is written with one `write`, so a reader sees whole records (TensorBoard skips a
/// truncated last record, as after a crash).
public final class SummaryWriter {
    /// The run directory holding the event file.
    public let logDir: String
    /// The event file's path.
    public let path: String
    private var handle: FileHandle?
    nonisolated(unsafe) private static var writersOpened = 0
    private static let lock = NSLock()

    /// Creates `logDir` (and its parents) and the event file. `wallTime`: seconds since 1970 of
    /// the first event and of the file name (default: now).
    public init(logDir: String, wallTime: Double? = nil) throws {
        let now = wallTime ?? Date().timeIntervalSince1970
        self.logDir = logDir
        let n: Int = Self.lock.withLock { defer { Self.writersOpened += 1 }; return Self.writersOpened }
        let name = String(format: "events.out.tfevents.%010d.", Int(now)) + hostName() + ".\(getpid()).\(n)"
        path = (logDir as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw TrainerError("cannot create the TensorBoard event file \(path)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch let error as TrainerError {
            throw error
        } catch {
            throw TrainerError("cannot create the TensorBoard log directory \(logDir): \(FileProblem.describe(error))")
        }
        try write(EventProto.event(wallTime: now, step: 0, fileVersion: "brain.Event:2"))
    }

    /// A scalar at `step` (`add_scalar(tag, value, global_step)`), stored as a float32 as Python does.
    public func addScalar(_ tag: String, _ value: Double, step: Int, wallTime: Double? = nil) throws {
        try write(EventProto.event(wallTime: wallTime ?? Date().timeIntervalSince1970, step: step,
                                   summary: EventProto.scalarValue(tag: tag, value: Float(value))))
    }

    /// A text summary (`add_text(tag, text, global_step)`): TensorBoard's Text tab shows it under
    /// `<tag>/text_summary`, rendered as Markdown.
    public func addText(_ tag: String, _ text: String, step: Int = 0, wallTime: Double? = nil) throws {
        try write(EventProto.event(wallTime: wallTime ?? Date().timeIntervalSince1970, step: step,
                                   summary: EventProto.textValue(tag: tag + "/text_summary", text: text)))
    }

    /// Every event is on disk already (one unbuffered write each); kept for Python's API.
    public func flush() throws {
        do { try handle?.synchronize() } catch {
            throw TrainerError("cannot flush \(path): \(FileProblem.describe(error))")
        }
    }

    /// Closes the file; later writes throw.
    public func close() throws {
        guard let handle else { return }
        self.handle = nil
        do { try handle.close() } catch { throw TrainerError("cannot close \(path): \(FileProblem.describe(error))") }
    }

    deinit { try? handle?.close() }

    private func write(_ event: [UInt8]) throws {
        guard let handle else { throw TrainerError("the TensorBoard writer for \(path) is closed") }
        do { try handle.write(contentsOf: EventProto.record(event)) } catch {
            throw TrainerError("cannot write to the TensorBoard event file \(path): \(FileProblem.describe(error))")
        }
    }
}

/// The machine's name, as Python's `socket.gethostname()` gives it (the run and file names use it).
func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return name.isEmpty ? "localhost" : name
}

/// Python's default run directory, `runs/<Mon DD_HH-MM-SS>_<host>` in local time
/// (`datetime.now().strftime("%b%d_%H-%M-%S")`), e.g. `runs/Dec01_23-24-58_myhost`.
public func defaultLogDir(date: Date = Date()) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "MMMdd_HH-mm-ss"
    return "runs/" + f.string(from: date) + "_" + hostName()
}

/// Protocol-buffer encoding of the few messages an event file needs (see the top of this file).
enum EventProto {
    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// A field key: field number and wire type (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit).
    static func key(_ field: UInt64, _ wire: UInt64, into out: inout [UInt8]) { varint(field << 3 | wire, into: &out) }

    static func bytes(_ field: UInt64, _ payload: [UInt8], into out: inout [UInt8]) {
        key(field, 2, into: &out)
        varint(UInt64(payload.count), into: &out)
        out += payload
    }

    static func event(wallTime: Double, step: Int, fileVersion: String? = nil, summary: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = []
        key(1, 1, into: &out)
        withUnsafeBytes(of: wallTime.bitPattern.littleEndian) { out += $0 }
        if step != 0 { key(2, 0, into: &out); varint(UInt64(bitPattern: Int64(step)), into: &out) }
        if let fileVersion { bytes(3, Array(fileVersion.utf8), into: &out) }
        if let summary { bytes(5, summary, into: &out) }
        return out
    }

    /// Summary { value { tag; simple_value } }.
    static func scalarValue(tag: String, value: Float) -> [UInt8] {
        var v: [UInt8] = []
        bytes(1, Array(tag.utf8), into: &v)
        key(2, 5, into: &v)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { v += $0 }
        var summary: [UInt8] = []
        bytes(1, v, into: &summary)
        return summary
    }

    /// Summary { value { tag; tensor { DT_STRING, shape [1], string_val }; metadata { plugin "text" } } }.
    static func textValue(tag: String, text: String) -> [UInt8] {
        var dim: [UInt8] = []
        key(1, 0, into: &dim); varint(1, into: &dim)
        var shape: [UInt8] = []
        bytes(2, dim, into: &shape)
        var tensor: [UInt8] = []
        key(1, 0, into: &tensor); varint(7, into: &tensor)
        bytes(2, shape, into: &tensor)
        bytes(8, Array(text.utf8), into: &tensor)
        var plugin: [UInt8] = []
        bytes(1, Array("text".utf8), into: &plugin)
        var metadata: [UInt8] = []
        bytes(1, plugin, into: &metadata)
        var v: [UInt8] = []
        bytes(1, Array(tag.utf8), into: &v)
        bytes(8, tensor, into: &v)
        bytes(9, metadata, into: &v)
        var summary: [UInt8] = []
        bytes(1, v, into: &summary)
        return summary
    }

    /// The TFRecord framing of one record.
    static func record(_ data: [UInt8]) -> Data {
        var length: [UInt8] = []
        withUnsafeBytes(of: UInt64(data.count).littleEndian) { length += $0 }
        var out = Data(length)
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: data)
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { out.append(contentsOf: $0) }
        return out
    }
}
