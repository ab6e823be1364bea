import Digest
import Foundation
@testable import Hub

/// A fresh directory under the system temporary directory; removed by `cleanup`.
func temporaryDirectory(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("hubtests-\(safe)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func cleanup(_ url: URL) { try? FileManager.default.removeItem(at: url) }

/// A Hub that reads nothing from the process environment: its own cache, the given endpoint,
/// no progress bars, short timeouts.
func testHub(cache: URL, endpoint: String = "http://127.0.0.1:9", mirror: String? = nil,
             offline: Bool = false, retries: Int = 2) -> Hub {
    var hub = Hub(mirror: mirror, cacheDirectory: cache, endpoint: endpoint, offline: offline, environment: [:])
    hub.showProgress = false
    hub.timeout = 5
    hub.retries = retries
    return hub
}

/// Deterministic pseudo-random bytes (a linear congruential generator), so tests need no fixtures.
func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

func sha256(_ data: [UInt8]) -> String { SHA256.hex(data) }

func contents(_ url: URL) -> [UInt8] { (try? Data(contentsOf: url)).map { Array($0) } ?? [] }

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// Every file and symlink below `root`, relative, sorted; symlinks shown as `path -> target`.
func tree(_ root: URL) -> [String] {
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: root.path) else { return [] }
    var entries: [String] = []
    while let relative = walker.nextObject() as? String {
        let full = root.appendingPathComponent(relative).path
        if let target = try? fm.destinationOfSymbolicLink(atPath: full) {
            entries.append("\(relative) -> \(target)")
        } else {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue { entries.append(relative) }
        }
    }
    return entries.sorted()
}

let commitA = "0123456789abcdef0123456789abcdef01234567"

/// A Python with huggingface_hub for the checks that ask the real library: COURSE_PYTHON, else
/// `.venv/bin/python` in the package root; nil when neither has huggingface_hub.
let pythonWithHuggingfaceHub: URL? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    var candidates = [root.appendingPathComponent(".venv/bin/python").path]
    if let given = ProcessInfo.processInfo.environment["COURSE_PYTHON"], !given.isEmpty { candidates.insert(given, at: 0) }
    for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
        if (try? runProcess(path, ["-c", "import huggingface_hub"]))?.status == 0 { return URL(fileURLWithPath: path) }
    }
    return nil
}()

/// Runs a program to its end; its standard output and exit status.
func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, output)
}
