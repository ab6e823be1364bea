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

    /// The environment `course` runs with in the tests: no colours, not CI, English whatever the
    /// tester's locale (the tests pin English words), and one compile cache for the whole test
    /// run (identical chapters compile once), plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["CI"] = nil
        for name in ["COURSE_LANG", "LC_ALL", "LC_MESSAGES"] { env[name] = nil }
        env["LANG"] = "C.UTF-8"
        env["COURSE_CACHE_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("course-test-cache").path
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// `executable`: another program to start (e.g. `unshare` wrapping `course`), else `course`.
    static func run(_ arguments: [String], in dir: URL, environment extra: [String: String] = [:],
                    executable: URL? = nil) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = environment(extra)
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

/// `course` started in the background, for tests that signal it while it runs.
final class RunningCourse: @unchecked Sendable {
    let process = Process()
    private var out = Data(), err = Data()
    private let lock = NSLock()
    private let done = DispatchGroup()

    init(_ arguments: [String], in dir: URL, environment extra: [String: String] = [:]) throws {
        process.executableURL = CourseCLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = CourseCLI.environment(extra)
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        // The test's worker thread blocks most signals and `course` would inherit that: start it
        // as a shell would, able to receive the signals the tests send.
        var unblock = sigset_t(), saved = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
        for (handle, isOut) in [(outPipe.fileHandleForReading, true), (errPipe.fileHandleForReading, false)] {
            done.enter()
            Thread {
                let data = handle.readDataToEndOfFile()
                self.lock.lock(); if isOut { self.out = data } else { self.err = data }; self.lock.unlock()
                self.done.leave()
            }.start()
        }
    }

    var pid: pid_t { process.processIdentifier }

    /// Waits up to `seconds` for `course` to exit; nil if it is still running then.
    func finish(within seconds: Double) -> CLIResult? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning, done.wait(timeout: .now() + 5) == .success else { return nil }
        lock.lock(); defer { lock.unlock() }
        return CLIResult(status: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus,
                         stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

/// Waits up to `seconds` for `path` to exist.
func waitForFile(_ path: URL, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if FileManager.default.fileExists(atPath: path.path) { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return false
}

/// Whether `pid` is a live process (a zombie has ended: it only waits to be reaped).
func isAlive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    return !stat.contains(") Z ")
}

/// The pid written in `file` (a chapter program's own, or a rank's `rank-N.pid`).
func pid(in file: URL) -> pid_t? {
    (try? String(contentsOf: file, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// Process ids whose command line mentions `text` (from /proc).
func livingProcesses(mentioning text: String) -> [String] {
    let fm = FileManager.default
    guard let entries = try? fm.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.filter { pid in
        guard Int(pid) != nil,
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              !stat.contains(") Z "),   // a zombie runs nothing
              let data = fm.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data, as: UTF8.self).contains(text)
    }
}

/// Waits up to 5 s for every process whose command line mentions `text` to end; returns those
/// still alive then (empty when nothing was left behind).
func processesLeft(mentioning text: String) -> [String] {
    var alive: [String] = []
    for _ in 0..<50 {
        alive = livingProcesses(mentioning: text)
        if alive.isEmpty { break }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return alive
}

/// The pid of `course` (this test build's binary) running with `dir` as its working directory.
func coursePid(in dir: URL) -> pid_t? {
    let want = dir.resolvingSymlinksInPath().path
    let binary = CourseCLI.binary.resolvingSymlinksInPath().path
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { pid_t($0) }.first { pid in
        guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
              URL(fileURLWithPath: cwd).resolvingSymlinksInPath().path == want,
              let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else { return false }
        return URL(fileURLWithPath: exe).resolvingSymlinksInPath().path == binary
    }
}
