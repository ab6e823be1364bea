#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A signal sent to `course` alone (SIGTERM from a CI runner or `timeout`, `kill PID`, SIGHUP
// when its terminal goes) must not leave the chapter program running, nor mpirun and its ranks.
// The program runs in a process group of its own, so only `course` gets such a signal: while a
// program runs, `course` passes the signal on to the program's group, then reaps it as at any
// other end, reports the steps that did not run, and the command exits with 128 + the signal's
// number (what a shell reports for a process the signal ended). Ctrl-C is the same path: the
// terminal signals `course`, which passes it on. The compiler is run the same way (a signal
// ends swiftc, then `course`). With nothing running (parsing, waiting for the work directory's
// lock) a signal ends `course` at once, as it always did.
//
// A signal handler may only touch plain globals and call async-signal-safe functions (kill,
// write): these globals are set before the handlers are installed.

nonisolated(unsafe) private var programGroup: pid_t = 0
nonisolated(unsafe) private var receivedSignal: Int32 = 0
nonisolated(unsafe) private var wakeWriteFD: Int32 = -1
nonisolated(unsafe) private var wakeReadFD: Int32 = -1
nonisolated(unsafe) private var handlersInstalled = false

private func passOn(_ sig: Int32) {
    if programGroup > 0 {
        if receivedSignal == 0 { receivedSignal = sig }
        _ = kill(-programGroup, sig)
        var byte = UInt8(truncatingIfNeeded: sig)
        _ = write(wakeWriteFD, &byte, 1)   // wakes the runner's poll
    } else {
        // Nothing running: end as the signal's default would.
        signal(sig, SIG_DFL)
        raise(sig)
    }
}

public enum Interruption {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// The signal that stopped a chapter program, if one did.
    public static var stoppedBy: Int32? { receivedSignal == 0 ? nil : receivedSignal }

    /// 128 + the signal, the exit status a command reports after one stopped a run.
    public static var exitStatus: Int32? { stoppedBy.map { 128 + $0 } }

    /// The descriptor the runner polls: readable once a signal was passed on.
    static var wakeFD: Int32 { wakeReadFD }

    /// `SIGTERM`, `SIGINT`, `SIGHUP`, or the number.
    public static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(sig)"
        }
    }

    /// Installs the handlers once. A signal `course` was started with ignored stays ignored
    /// (`nohup`, a background job), and one with a handler of its own (`course step`'s,
    /// which restores the terminal) keeps it: that handler calls `passOnFromHandler`.
    static func install() {
        guard !handlersInstalled else { return }
        handlersInstalled = true
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC); _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            (wakeReadFD, wakeWriteFD) = (fds[0], fds[1])
        }
        // A mask inherited from the parent (a test harness's worker thread, say) would leave
        // `course` deaf to these signals: it handles them, so it takes them.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in signals {
            var current = sigaction()
            guard sigaction(sig, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil else { continue }
            signal(sig) { passOn($0) }
        }
    }

    /// For a handler of `course`'s own that is about to exit: sends `sig` to the running
    /// program's group, so it does not outlive `course`.
    static func passOnFromHandler(_ sig: Int32) {
        if programGroup > 0 { _ = kill(-programGroup, sig) }
    }

    /// Starts passing signals on to `group` (the program's pid, leader of its own group).
    static func track(_ group: pid_t) { programGroup = group }
    static func untrack() { programGroup = 0 }

    /// Signals blocked around a spawn, so one arriving in between waits until the new
    /// program's group is known (the program itself starts with none blocked).
    static func blockSignals() -> sigset_t {
        var set = sigset_t(), old = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, &old)
        return old
    }
    static func restoreSignals(_ old: sigset_t) {
        var old = old
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }
}
