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
        // Ctrl-C, and SIGTERM or SIGHUP sent to `course`, end `course step` at once even while
        // it waits for a key (a read that would otherwise go on after the signal).
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { sig in
                if termiosSaved { tcsetattr(0, TCSANOW, &savedTermios) }
                // Clear the key prompt, so the shell's prompt starts on a clean line.
                let text: StaticString = sig == SIGINT ? "\r\u{1B}[Kstopped (Ctrl-C)\n" : "\r\u{1B}[Kstopped by a signal\n"
                _ = write(1, text.utf8Start, text.utf8CodeUnitCount)
                // The chapter program runs in a process group of its own: end it with us.
                Interruption.passOnFromHandler(sig)
                _exit(128 + sig)
            }
        }
    }

    deinit { restore() }

    public func restore() {
        if termiosSaved { tcsetattr(0, TCSANOW, &savedTermios); termiosSaved = false }
    }

    /// The next key press (nil at end of input). Esc alone is 27; a key that sends an escape
    /// sequence (arrows, function keys: `ESC [ A`, `ESC O P`) is read whole and returned as 0,
    /// so it is never mistaken for Esc.
    public func readKey() -> UInt8? {
        guard let byte = readByte() else { return nil }
        guard byte == 27, pending(milliseconds: 40), let next = readByte() else { return byte }
        guard next == UInt8(ascii: "[") || next == UInt8(ascii: "O") else { return 0 }   // Alt+key
        // Parameters, then one final byte in 0x40...0x7E.
        while pending(milliseconds: 40), let b = readByte() {
            if (0x40...0x7E).contains(b) { break }
        }
        return 0
    }

    /// A short line typed after `prompt` (the stepper's jump target), echoed as it is typed:
    /// enter ends it, backspace deletes, Esc (or end of input) cancels and returns nil.
    public func readLine(prompt: String, write: (String) -> Void) -> String? {
        var text = ""
        write(prompt)
        while let key = readKey() {
            switch key {
            case 27: return nil
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return text
            case 127, 8:
                if !text.isEmpty { text.removeLast(); write("\u{8} \u{8}") }
            case 0x20...0x7E:
                let c = String(UnicodeScalar(key))
                text += c
                write(c)
            default: continue   // arrows and other keys: nothing to type
            }
        }
        return nil
    }

    private func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n == 1 { return byte }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Whether another byte arrives on stdin within `milliseconds`.
    private func pending(milliseconds: Int32) -> Bool {
        var fd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, milliseconds) > 0
    }

    /// Rows of the terminal on stdout (24 if unknown).
    public static func height() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return 24
    }

    /// Columns of the terminal on stdout (80 if unknown).
    public static func width() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
