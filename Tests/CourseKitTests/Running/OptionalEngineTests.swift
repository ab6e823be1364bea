import Foundation
import Testing

/// Open MPI and oneDNN are engines behind a switch: the toolkit library does not link them, and a
/// chapter that trains on one process in fp32 runs with both libraries hidden (bind-mounted over
/// with /dev/null in a private mount namespace, as on a machine without them).
@Suite struct OptionalEngineTests {
    /// The toolkit library the runner compiles chapters against (next to the `course` binary).
    static var toolkitLibrary: URL { CourseCLI.binary.deletingLastPathComponent().appendingPathComponent("libFineTuning.so") }

    static func output(_ command: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The real file behind a library's soname, from the dynamic loader's cache.
    static func libraryFile(_ soname: String) throws -> String? {
        let (_, text) = try output("/sbin/ldconfig", ["-p"])
        guard let line = text.split(separator: "\n").first(where: { $0.contains(soname + " ") && $0.contains("x86-64") }),
              let path = line.split(separator: ">").last?.trimmingCharacters(in: .whitespaces) else { return nil }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    @Test func toolkitLibraryNeedsNeitherOpenMPINorOneDNN() throws {
        let (status, text) = try Self.output("/usr/bin/readelf", ["-d", Self.toolkitLibrary.path])
        #expect(status == 0, "\(text)")
        let needed = text.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty, "readelf found no NEEDED entries in \(Self.toolkitLibrary.path): \(text)")
        #expect(!needed.contains { $0.contains("libmpi") || $0.contains("libdnnl") || $0.contains("libgomp") },
                "\(needed.joined(separator: "\n"))")
    }

    /// The newest compiled chapter program in the tests' compile cache.
    static func newestChapterProgram() -> URL? {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("course-test-cache")
        guard let walker = FileManager.default.enumerator(at: cache, includingPropertiesForKeys: [.contentModificationDateKey]) else {
            return nil
        }
        var newest: (URL, Date)?
        for case let url as URL in walker where url.lastPathComponent == "chapter" {
            let date = (try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
            if newest == nil || date > newest!.1 { newest = (url, date) }
        }
        return newest?.0
    }

    @Test func chapterTrainsWithBothEnginesHidden() throws {
        guard let mpi = try Self.libraryFile("libmpi.so.40"), let dnnl = try Self.libraryFile("libdnnl.so.2") else {
            Issue.record("Open MPI or oneDNN is not installed (Scripts/setup.sh installs both), so hiding them proves nothing")
            return
        }
        // A private mount namespace needs root (CI and the sessions run as root).
        let probe = try Self.output("/usr/bin/unshare", ["-m", "true"])
        try #require(probe.status == 0, "unshare -m is not permitted here: \(probe.text)")
        let dir = try CourseCLI.workspace(["no-engines.md", "pass.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let course = CourseCLI.binary.path
        let script = "mount --bind /dev/null '\(mpi)' && mount --bind /dev/null '\(dnnl)' && "
            + "'\(course)' run Chapters/no-engines.md && '\(course)' run Chapters/pass.md"
        let result = try CourseCLI.run(["-m", "sh", "-c", script], in: dir, executable: URL(fileURLWithPath: "/usr/bin/unshare"))
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(result.stdout.contains("2 passed, 0 failed"), "\(result.stdout)")
        // The chapter program itself links the toolkit and neither engine.
        let program = try #require(Self.newestChapterProgram(), "no compiled chapter program in the cache")
        let (_, dynamic) = try Self.output("/usr/bin/readelf", ["-d", program.path])
        let needed = dynamic.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(needed.contains { $0.contains("libFineTuning") }, "\(program.path): \(needed)")
        #expect(!needed.contains { $0.contains("libmpi") || $0.contains("libdnnl") }, "\(needed)")
    }
}
