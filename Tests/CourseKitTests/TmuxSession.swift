import Foundation

// A real terminal for tests: tmux runs the command in a detached session on a private socket;
// tests type with send-keys and read the screen with capture-pane.

struct TmuxSession {
    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    let socket = "course-test-\(UUID().uuidString.prefix(8))"

    /// Runs a tmux command through /bin/sh, reaped with waitpid. (Foundation's Process can
    /// wait forever on the tmux client that starts the server; this cannot.) Output, when
    /// wanted, goes through a temporary file.
    @discardableResult
    private func tmux(_ args: [String], capture: Bool = false) throws -> String {
        let quoted = (["/usr/bin/tmux", "-L", socket] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outFile) }
        let command = quoted.joined(separator: " ") + " </dev/null 2>/dev/null >" + (capture ? "'\(outFile.path)'" : "/dev/null")
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return "" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return capture ? ((try? String(contentsOf: outFile, encoding: .utf8)) ?? "") : ""
    }

    /// Starts `command` in `dir` in an 100×50 terminal; the shell waits after it ends so the screen stays readable.
    func start(_ command: String, in dir: URL, environment: [String: String] = [:]) throws {
        let env = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // English unless the test asks otherwise, whatever the tester's locale (tests pin English words).
        let line = "cd '\(dir.path)' && env -u COURSE_LANG -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 \(env) \(command); echo \"[exit $?]\"; sleep 60"
        try tmux(["new-session", "-d", "-s", "t", "-x", "100", "-y", "50", line])
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", "t"] + keys) }

    /// The whole scrollback and screen, without colours.
    func screen() throws -> String { try tmux(["capture-pane", "-t", "t", "-p", "-S", "-2000"], capture: true) }

    /// Polls the screen until `text` appears (true) or `timeout` passes (false).
    func waitFor(_ text: String, timeout: Double = 20) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try screen().contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    func kill() { _ = try? tmux(["kill-server"]) }
}
