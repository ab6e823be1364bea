import Foundation

// What every test target needs to find on disk, in one place: the package's top directory, a
// target's Fixtures/ folder, the real data mirror, and fresh temporary directories. (Fixtures
// are found through #filePath, not Bundle.module: they stay plain files in the repository.)

public enum TestPaths {
    /// The package's top directory (this file is Tests/TestSupport/TestPaths.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/` next to the calling test file.
    public static func fixtures(_ file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// The real-data mirror: `COURSE_MIRROR` (a path or a file:// URL), else
    /// `<package root>/../shared/mirror`; nil when neither is a directory.
    public static let mirror: URL? = {
        var candidates: [String] = []
        if let m = ProcessInfo.processInfo.environment["COURSE_MIRROR"], !m.isEmpty {
            candidates.append(m.hasPrefix("file://") ? (URL(string: m)?.path ?? String(m.dropFirst(7))) : m)
        }
        candidates.append(packageRoot.deletingLastPathComponent().appendingPathComponent("shared/mirror").path)
        for path in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return URL(fileURLWithPath: path, isDirectory: true)
            }
        }
        return nil
    }()

    /// The course's pretrained model in the mirror, when its weights are there.
    public static let miniLM: URL? = mirror.map { $0.appendingPathComponent("models/sentence-transformers/all-MiniLM-L6-v2") }
        .flatMap { FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.safetensors").path) ? $0 : nil }

    /// A new, empty temporary directory named `prefix-<uuid>` (the caller removes it).
    public static func temporaryDirectory(_ prefix: String = "course-tests") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
