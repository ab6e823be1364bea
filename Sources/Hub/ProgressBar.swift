import Foundation

// A progress bar for stderr, in the spirit of tqdm: on a terminal one line redrawn in place
//     model.safetensors  45%|█████▍      | 40.9M/90.9M [00:03<00:04, 12.3MB/s]
// and, when stderr is a file or a pipe (CI logs, the course runner), a plain line every few
// seconds plus a last one, so logs stay readable. Only stderr: stdout is what chapters check.
// Downloads use it with `.bytes`; a training loop can use it with `.items("it")`.

/// A tqdm-like progress bar on stderr: one line redrawn in place on a terminal, a plain line
/// every few seconds (and a last one) in a log. Downloads use `.bytes`; loops `.items("it")`.
public final class ProgressBar: @unchecked Sendable {
    /// How counts are shown: `.bytes` scales to k/M/G with a `B/s` rate; `.items(name)` shows
    /// plain counts and `name/s` (e.g. `.items("it")`, `.items("ex")`).
    public enum Unit: Sendable, Equatable {
        case bytes
        case items(String)
    }

    /// Where lines go and whether it is a terminal (redraw with `\r`) or a log (whole lines).
    public struct Output: Sendable {
        /// True to redraw one line with `\r`; false to write whole lines (a file or pipe).
        public var isTerminal: Bool
        /// Writes text as it is (no newline added).
        public var write: @Sendable (String) -> Void

        /// An output writing with `write`, redrawn in place when `isTerminal`.
        public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
            self.isTerminal = isTerminal
            self.write = write
        }

        /// Standard error, a terminal when it is a tty.
        public static var standardError: Output {
            Output(isTerminal: isatty(STDERR_FILENO) == 1) { text in
                FileHandle.standardError.write(Data(text.utf8))
            }
        }
    }

    /// The count at 100 %, or nil when unknown (no percentage, no ETA).
    public let total: Int64?
    public let description: String
    /// How counts and the rate are shown (bytes or named items).
    public let unit: Unit
    /// Count already done before this bar started (a resumed download): shown, but not in the rate.
    public let initial: Int64
    private let output: Output
    private let clock: @Sendable () -> TimeInterval
    private let terminalInterval: TimeInterval
    private let logInterval: TimeInterval
    private let lock = NSLock()
    private let start: TimeInterval
    private var lastDraw: TimeInterval?
    private var completed: Int64 = 0
    private var finished = false
    private var postfix: String?

    /// - Parameters:
    ///   - description: the text before the bar (a file name, "Training").
    ///   - unit: `.bytes` or `.items(name)`: how counts and the rate are shown.
    ///   - initial: the count already done (a resumed download), shown but not in the rate.
    ///   - output: where lines go (default: standard error).
    ///   - total: the count at 100 %, or nil when unknown (no percentage, no ETA).
    ///   - logInterval: seconds between lines when the output is not a terminal.
    ///   - clock: seconds on any monotonic scale; injectable for tests.
    public init(total: Int64?, description: String, unit: Unit = .items("it"), initial: Int64 = 0,
                output: Output = .standardError, logInterval: TimeInterval = 5,
                clock: @escaping @Sendable () -> TimeInterval = ProgressBar.now) {
        self.total = total
        self.initial = initial
        self.completed = initial
        self.description = description
        self.unit = unit
        self.output = output
        self.clock = clock
        self.terminalInterval = 0.1
        self.logInterval = logInterval
        self.start = clock()
    }

    /// The default clock: seconds since boot (monotonic).
    public static let now: @Sendable () -> TimeInterval = { ProcessInfo.processInfo.systemUptime }

    /// Sets the count, redrawing when enough time has passed since the last line.
    public func update(to count: Int64) {
        lock.lock(); defer { lock.unlock() }
        guard !finished else { return }
        completed = count
        let now = clock()
        let interval = output.isTerminal ? terminalInterval : logInterval
        if let lastDraw, now - lastDraw < interval { return }
        // A log gets its first line only after one interval: short tasks print just the last.
        if lastDraw == nil && !output.isTerminal && now - start < interval { return }
        draw(at: now, final: false)
    }

    /// Extra text shown after the rate, like tqdm's postfix (`loss=0.231`); nil removes it.
    /// Shown from the next draw on.
    public func set(postfix: String?) {
        lock.lock(); self.postfix = postfix; lock.unlock()
    }

    /// Adds `count` to the count (thread-safe), redrawing as `update(to:)` does.
    public func advance(by count: Int64 = 1) {
        lock.lock(); let next = completed + count; lock.unlock()
        update(to: next)
    }

    /// Draws the last state and ends the line. Later calls do nothing.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        draw(at: clock(), final: true)
    }

    private func draw(at now: TimeInterval, final: Bool) {
        lastDraw = now
        let line = Self.line(description: description, completed: completed, total: total,
                             elapsed: now - start, unit: unit, barWidth: output.isTerminal ? 20 : 0, initial: initial,
                             postfix: postfix)
        if output.isTerminal {
            output.write("\r" + line + "\u{1B}[K" + (final ? "\n" : ""))
        } else {
            output.write(line + "\n")
        }
    }

    /// One rendered line. `barWidth` 0 leaves the bar out (logs). The rate counts only what was
    /// done after `initial`.
    public static func line(description: String, completed: Int64, total: Int64?, elapsed: TimeInterval,
                            unit: Unit, barWidth: Int, initial: Int64 = 0, postfix: String? = nil) -> String {
        let rate = elapsed > 0 ? Double(max(0, completed - initial)) / elapsed : 0
        let extra = postfix.map { $0.isEmpty ? "" : ", " + $0 } ?? ""
        var parts: [String] = []
        if !description.isEmpty { parts.append(description + " ") }
        if let total, total > 0 {
            let fraction = min(1, max(0, Double(completed) / Double(total)))
            var bar = String(format: "%3d%%", Int(fraction * 100))
            if barWidth > 0 { bar += "|" + Self.bar(fraction, width: barWidth) + "|" }
            parts.append(bar + " ")
            parts.append("\(format(completed, unit))/\(format(total, unit)) ")
            let eta = rate > 0 ? Double(total - completed) / rate : nil
            parts.append("[\(clockTime(elapsed))<\(eta.map(clockTime) ?? "?"), \(formatRate(rate, unit))\(extra)]")
        } else {
            parts.append("\(format(completed, unit)) [\(clockTime(elapsed)), \(formatRate(rate, unit))\(extra)]")
        }
        return parts.joined()
    }

    /// Eighth-block bar: `█████▍      `.
    static func bar(_ fraction: Double, width: Int) -> String {
        let eighths = Int((fraction * Double(width * 8)).rounded(.down))
        let full = eighths / 8
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: full)
        if full < width { text += partials[eighths % 8] }
        let shown = full + (full < width && eighths % 8 > 0 ? 1 : 0)
        return text + String(repeating: " ", count: width - shown)
    }

    /// 0:07, 1:02:03.
    static func clockTime(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) }
        return String(format: "%02d:%02d", s / 60, s % 60)
    }

    /// Bytes as 512B, 40.9M, 1.25G (powers of 1000 like tqdm's unit_scale); items as counts.
    static func format(_ count: Int64, _ unit: Unit) -> String {
        switch unit {
        case .items: return String(count)
        case .bytes: return scaled(Double(count)) + "B"
        }
    }

    static func formatRate(_ rate: Double, _ unit: Unit) -> String {
        switch unit {
        case .items(let name): return String(format: rate >= 100 ? "%.0f" : "%.2f", rate) + "\(name)/s"
        case .bytes: return scaled(rate) + "B/s"
        }
    }

    private static func scaled(_ value: Double) -> String {
        let prefixes = ["", "k", "M", "G", "T"]
        var v = value, i = 0
        while v >= 1000 && i < prefixes.count - 1 { v /= 1000; i += 1 }
        if i == 0 { return String(format: "%.0f", v) }
        return String(format: v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v) + prefixes[i]
    }
}
