#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A child process with piped stdout/stderr (and optionally stdin), read with poll() so the
// runner can enforce deadlines and forward stderr live. Foundation's Process gives no
// control over reading with timeouts, and the runner needs exactly that.

/// How a child process ended.
public enum Termination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var description: String {
        switch self {
        case .exited(let code): return "exit code \(code)"
        case .signaled(let sig): return "signal \(sig)\(Termination.signalName(sig).map { " (\($0))" } ?? "")"
        }
    }

    static func signalName(_ sig: Int32) -> String? {
        switch sig {
        case SIGILL: return "SIGILL: a Swift runtime trap"
        case SIGTRAP: return "SIGTRAP: a Swift runtime trap"
        case SIGABRT: return "SIGABRT"
        case SIGSEGV: return "SIGSEGV: invalid memory access"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        default: return nil
        }
    }
}

public struct SpawnError: Error, CustomStringConvertible {
    public var description: String
}

final class ChildProcess {
    let pid: pid_t
    private(set) var stdoutFD: Int32
    private(set) var stderrFD: Int32
    private(set) var stdinFD: Int32   // write end, or -1

    /// Whether the child leads a process group of its own, to which the signals `course` gets
    /// are passed on (see Interruption).
    let ownGroup: Bool

    /// Starts `executable` with `arguments` (argv[0] is added), the given environment and
    /// working directory; with `ownGroup`, in a process group of its own (a chapter program).
    init(executable: String, arguments: [String], environment: [String: String],
         workingDirectory: String?, pipeStdin: Bool, ownGroup: Bool = false) throws {
        self.ownGroup = ownGroup
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw SpawnError(description: "pipe() failed: \(String(cString: strerror(errno)))") }
        if pipeStdin { guard pipe(&inPipe) == 0 else { throw SpawnError(description: "pipe() failed") } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if pipeStdin {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_addclose(&actions, inPipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        if pipeStdin { posix_spawn_file_actions_addclose(&actions, inPipe[0]) }
        if let workingDirectory {
            guard let addChdir = ChildProcess.addChdir else {
                throw SpawnError(description: "this C library lacks posix_spawn_file_actions_addchdir_np (glibc 2.29+ has it)")
            }
            _ = addChdir(&actions, workingDirectory)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var saved = sigset_t()
        if ownGroup {
            Interruption.install()
            // Blocked until the group is tracked; the child starts with the mask `course` had.
            saved = Interruption.blockSignals()
            posix_spawnattr_setpgroup(&attributes, 0)
            posix_spawnattr_setsigmask(&attributes, &saved)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        if ownGroup {
            if rc == 0 { Interruption.track(child) }
            Interruption.restoreSignals(saved)
        }
        close(outPipe[1]); close(errPipe[1])
        if pipeStdin { close(inPipe[0]) }
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            if pipeStdin { close(inPipe[1]) }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
        stdinFD = pipeStdin ? inPipe[1] : -1
        // Writes to a child that already exited must not kill the runner.
        signal(SIGPIPE, SIG_IGN)
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np`, which Swift's Glibc module does not
    /// export (it sits behind _GNU_SOURCE); looked up once at run time.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    deinit {
        for fd in [stdoutFD, stderrFD, stdinFD] where fd >= 0 { close(fd) }
    }

    enum Event {
        case stdout([UInt8])
        case stderr([UInt8])
        case closed          // both pipes reached end of file
        case timeout
        case interrupted     // `course` got a signal and passed it on to the child's group
    }

    /// Waits up to `timeout` seconds (nil: forever) for output.
    func next(timeout: Double?) -> Event {
        while true {
            var fds: [pollfd] = []
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if fds.isEmpty { return .closed }
            let wake = ownGroup ? Interruption.wakeFD : -1
            if wake >= 0 { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
            // Rounded up: a wake a millisecond early would find its deadline not yet reached.
            let ms: Int32 = timeout.map { Int32(max(0, min(($0 * 1000).rounded(.up), 86_400_000))) } ?? -1
            let n = poll(&fds, nfds_t(fds.count), ms)
            if n < 0 { if errno == EINTR { continue }; return .closed }
            if n == 0 { return .timeout }
            if wake >= 0, fds.last?.revents ?? 0 != 0 {
                var drained = [UInt8](repeating: 0, count: 16)
                while read(wake, &drained, 16) > 0 {}
                return .interrupted
            }
            for p in fds where p.revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 65536)
                let count = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, 65536) }
                if count <= 0 {
                    if count < 0 && errno == EINTR { continue }
                    close(p.fd)
                    if p.fd == stdoutFD { stdoutFD = -1 } else { stderrFD = -1 }
                    continue
                }
                buffer.removeSubrange(count...)
                return p.fd == stdoutFD ? .stdout(buffer) : .stderr(buffer)
            }
        }
    }

    /// What the child has written to stderr and not been read yet, without waiting. The child
    /// writes a step's stderr before the next step's marker on stdout, so reading this when the
    /// marker arrives keeps a step's warnings with it (rather than after the pause that follows).
    func pendingStderr() -> [UInt8] {
        var out: [UInt8] = []
        while stderrFD >= 0 {
            var p = pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 0) > 0 else { break }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, 65536) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }   // end of file: next() sees it and closes
            out += buffer[..<count]
        }
        return out
    }

    /// Sends a line to the child's stdin (under `course step`).
    @discardableResult
    func send(_ line: String) -> Bool {
        guard stdinFD >= 0 else { return false }
        let bytes = Array((line + "\n").utf8)
        return bytes.withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) } == bytes.count
    }

    func closeStdin() {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
    }

    /// Kill with SIGTERM, then SIGKILL if still there after a grace period: for mpirun, which
    /// ends its ranks on SIGTERM (each rank is in a process group of its own, so a SIGKILL to
    /// mpirun alone would leave them running).
    var terminatesGently = false
    private var killDeadline: Double?
    static let gracePeriod: Double = 5

    func kill() {
        if terminatesGently {
            deliver(SIGTERM)
            killDeadline = Clock.now + ChildProcess.gracePeriod
        } else {
            deliver(SIGKILL)
        }
    }

    /// After a signal was passed on: the child gets the grace period to end by it, then
    /// `wait` forces it.
    func endAfterSignal() {
        killDeadline = Clock.now + ChildProcess.gracePeriod
    }

    /// Signals the child, and with it its whole group when it leads one (what it started).
    private func deliver(_ sig: Int32) {
        _ = Glibc.kill(ownGroup ? -pid : pid, sig)
    }

    /// Reaps the child.
    func wait() -> Termination {
        var status: Int32 = 0
        if let deadline = killDeadline {
            // Give a gently killed child its grace period, then force it.
            while Clock.now < deadline {
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid {
                    if ownGroup { Interruption.untrack() }
                    return ChildProcess.termination(status)
                }
                if r < 0 && errno != EINTR { break }
                usleep(20_000)
            }
            deliver(SIGKILL)
        }
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if ownGroup { Interruption.untrack() }
        return ChildProcess.termination(status)
    }

    private static func termination(_ status: Int32) -> Termination {
        let signalNumber = status & 0x7f
        return signalNumber == 0 ? .exited((status >> 8) & 0xff) : .signaled(signalNumber)
    }
}

/// Runs a command to completion, capturing stdout and stderr together (for the compiler). It
/// runs in a process group of its own, which a signal to `course` ends (swiftc would otherwise
/// compile on, orphaned).
func runCapturing(_ executable: String, _ arguments: [String], environment: [String: String],
                  timeout: Double) throws -> (Termination, String, timedOut: Bool) {
    let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment,
                                 workingDirectory: nil, pipeStdin: false, ownGroup: true)
    var output: [UInt8] = []
    let deadline = Clock.now + timeout
    var timedOut = false
    loop: while true {
        switch child.next(timeout: max(0, deadline - Clock.now)) {
        case .stdout(let b), .stderr(let b): output += b
        case .closed: break loop
        case .timeout: child.kill(); timedOut = true; break loop
        case .interrupted: child.kill(); break loop
        }
    }
    let termination = child.wait()
    return (termination, String(decoding: output, as: UTF8.self), timedOut)
}

/// Monotonic seconds.
enum Clock {
    static var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
