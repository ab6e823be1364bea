import Foundation
import TestSupport

// Runs the real `course` binary (built by `swift test` next to the test bundle) on fixture
// chapters copied into a fresh directory, as a user would: `course run Chapters/x.md`.

struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

enum CourseCLI {
    static let fixtures = TestPaths.fixtures()

    /// The `course` executable next to this test bundle.
    static var binary: URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDir.appendingPathComponent("course"),
                          bundleDir.deletingLastPathComponent().appendingPathComponent("course")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// A temporary course directory with the named fixtures under Chapters/.
    static func workspace(_ fixtureNames: [String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("course-test-\(UUID().uuidString)")
        let chapters = dir.appendingPathComponent("Chapters")
        try FileManager.default.createDirectory(at: chapters, withIntermediateDirectories: true)
        for name in fixtureNames {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: chapters.appendingPathComponent(name))
        }
        return dir
    }

    static func run(_ arguments: [String], in dir: URL, environment extra: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["CI"] = nil
        // One compile cache for the whole test run: identical chapters compile once.
        env["COURSE_CACHE_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("course-test-cache").path
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread { errBox.data = errHandle.readDataToEndOfFile(); done.signal() }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}
