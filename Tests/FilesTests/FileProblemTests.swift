import Files
import Foundation
import Testing

/// The reasons users read instead of "The operation could not be completed. (NSCocoaErrorDomain
/// error 512.)", from the real Foundation errors of each case.
@Suite struct FileProblemTests {
    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func foundationError(_ body: () throws -> Void) -> (any Error)? {
        do { try body(); return nil } catch { return error }
    }

    @Test func fileInTheWayOfAFolderIsNamed() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/a"))
        let error = try #require(foundationError {
            try FileManager.default.createDirectory(atPath: dir + "/a/b/c", withIntermediateDirectories: true)
        })
        #expect("\(error)".contains("NSCocoaErrorDomain"), "the raw error is what users used to see")
        #expect(FileProblem.describe(error, path: dir + "/a/b/c") == "a file is in the way: \(dir)/a is a file, not a folder")
        let write = try #require(foundationError { try Data("y".utf8).write(to: URL(fileURLWithPath: dir + "/a/x")) })
        #expect(FileProblem.describe(write) == "a file is in the way: \(dir)/a is a file, not a folder")
    }

    @Test func missingFileAndReadOnlyFileSystem() throws {
        let read = try #require(foundationError { _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent/file")) })
        #expect(FileProblem.describe(read) == "it does not exist")
        // /sys is mounted read-only in containers, and root gets EROFS or EPERM there, not a pass.
        if let sys = foundationError({ try FileManager.default.createDirectory(atPath: "/sys/course-probe", withIntermediateDirectories: true) }) {
            let reason = FileProblem.describe(sys)
            #expect(["the file system is read-only", "permission denied"].contains(reason), "\(reason)")
        }
    }

    @Test func ourOwnErrorsPassThrough() {
        struct Mine: Error, CustomStringConvertible { var description: String { "a sentence of ours" } }
        #expect(FileProblem.describe(Mine()) == "a sentence of ours")
    }

    @Test func writableFolderIsCreatedAndLeftClean() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try WritableFolder.prepare(dir + "/x/y", purpose: "a test folder")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/x/y").isEmpty, "the probe file is removed")
    }

    @Test func writableFolderRefusesAFileAndAReadOnlyPlace() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/f"))
        let error = #expect(throws: WritableFolderError.self) { try WritableFolder.prepare(dir + "/f", purpose: "the outputDir") }
        #expect(error?.description == "cannot use \(dir)/f as the outputDir: a file is in the way: \(dir)/f is a file, not a folder. "
            + "Choose another folder, or fix its permissions.")
        // /proc/self exists and takes no new files, even for root.
        let proc = #expect(throws: WritableFolderError.self) { try WritableFolder.prepare("/proc/self", purpose: "the outputDir") }
        #expect(proc?.description.hasPrefix("cannot use /proc/self as the outputDir: ") == true)
        #expect(proc?.description.contains("NSCocoaErrorDomain") == false)
    }
}
