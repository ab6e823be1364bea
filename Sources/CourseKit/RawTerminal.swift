#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Single-key input for `course step`: the terminal without line buffering and echo, restored
// on exit and on Ctrl-C.

nonisolated(unsafe) private var savedTermios = termios()
nonisolated(unsafe) private var termiosSaved = false

public final class RawTerminal {
    /// nil when stdin is not a terminal.
    public init?() {
        guard isatty(0) != 0, tcgetattr(0, &savedTermios) == 0 else { return nil }
        termiosSaved = true
        var raw = savedTermios
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(0, TCSANOW, &raw)
        signal(SIGINT) { _ in
            if termiosSaved { tcsetattr(0, TCSANOW, &savedTermios) }
            _exit(130)
        }
    }

    deinit { restore() }

    public func restore() {
        if termiosSaved { tcsetattr(0, TCSANOW, &savedTermios); termiosSaved = false }
    }

    /// The next key press (nil at end of input).
    public func readKey() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n == 1 { return byte }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Columns of the terminal on stdout (80 if unknown).
    public static func width() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
