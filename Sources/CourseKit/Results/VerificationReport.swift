import Foundation

// `Chapters/verified.json`: when and where every documented output was last verified. Written by
// a full, passing `course check` outside CI; committed; read by `course site` for the footer.

public struct VerificationReport: Codable, Equatable, Sendable {
    public struct ChapterCounts: Codable, Equatable, Sendable {
        public var path: String
        public var id: String
        public var passed: Int
        public var skipped: Int
    }

    /// First line of `swiftc --version`, e.g. "Swift version 6.3 (swift-6.3-RELEASE)".
    public var toolchain: String
    /// PRETTY_NAME from /etc/os-release and the machine, e.g. "Debian GNU/Linux 12 (bookworm) x86_64".
    public var os: String
    /// UTC day, YYYY-MM-DD.
    public var date: String
    public var chapters: [ChapterCounts]

    public static let path = "Chapters/verified.json"

    /// The report for `results` (all passed), measured on this machine now.
    public static func current(_ results: [ChapterResult], swiftc: String) -> VerificationReport {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return VerificationReport(
            toolchain: toolchainVersion(swiftc: swiftc), os: operatingSystem(), date: formatter.string(from: Date()),
            chapters: results.map { ChapterCounts(path: $0.chapter.path, id: $0.chapter.id, passed: $0.passed, skipped: $0.skipped) })
    }

    /// `course check --record`: after a full check, writes the report if nothing failed, else
    /// says why not. Only this rewrites the file, so running the course never changes the checkout.
    /// Returns whether it was written.
    @discardableResult
    public static func record(_ results: [ChapterResult], summary: Summary, swiftc: String) throws -> Bool {
        guard summary.failed == 0 else {
            print("not recorded in \(path): \(summary.failed) step(s) failed")
            return false
        }
        let report = current(results, swiftc: swiftc)
        try report.json().write(to: URL(fileURLWithPath: path), options: .atomic)
        print("wrote \(path) (verified on \(report.date)); run `course site` and commit both")
        return true
    }

    /// Stable, readable JSON (sorted keys) so `git diff` shows what changed.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The committed report under `root`, or nil when there is none yet. A malformed file is an error.
    public static func load(root: URL) throws -> VerificationReport? {
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(VerificationReport.self, from: data)
        } catch {
            throw CourseError("\(path) is not a verification report (\(error)): run `course check` to rewrite it")
        }
    }

    static func toolchainVersion(swiftc: String) -> String {
        guard let (termination, output, _) = try? runCapturing(swiftc, ["--version"], environment: ProcessInfo.processInfo.environment, timeout: 30),
              termination == .exited(0) else { return "unknown Swift toolchain" }
        let line = output.split(separator: "\n").first { $0.contains("Swift version") } ?? output.split(separator: "\n").first ?? ""
        return line.trimmingCharacters()
    }

    static func operatingSystem() -> String {
        var name = "Linux"
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                name = String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return machine.isEmpty ? name : "\(name) \(machine)"
    }
}
