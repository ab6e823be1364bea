import Foundation

// Turns a crash's stack dump into a Markdown location. The chapter program is built with line
// tables, and `#sourceLocation` makes those lines Markdown lines, so the innermost frame in
// the chapter binary, given to addr2line, names `Chapters/x.md:LINE` of the trapping
// statement. Without addr2line the report falls back to the step's fence line.

enum CrashLocator {
    /// The Markdown line of the innermost chapter frame in `stderr`, if it can be found.
    static func line(stderr: String, executable: URL) -> Int? { location(stderr: stderr, executable: executable)?.line }

    /// Where the crash is, as `file:line`: the chapter (`chapterPath`), or the file of a
    /// replacement (a learner's exercise, `Exercises/<chapter>/<id>.swift`) when the innermost
    /// frame is in its code.
    static func describe(stderr: String, executable: URL, chapterPath: String, plan: ProgramPlan) -> String? {
        guard let (file, line) = location(stderr: stderr, executable: executable) else { return nil }
        let replaced = plan.replacements.values.map(\.file).first { file == $0 || file.hasSuffix("/" + $0) }
        return "\(replaced ?? chapterPath):\(line)"
    }

    /// The file (as the line tables name it) and line of the innermost chapter frame.
    static func location(stderr: String, executable: URL) -> (file: String, line: Int)? {
        let name = executable.lastPathComponent
        for raw in stderr.split(separator: "\n") {
            // "5    chapter    0x000056536e9e1996 <unavailable> + 6550"
            let fields = raw.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == name, fields[fields.count - 2] == "+",
                  let offset = Int(fields[fields.count - 1]), offset > 0 else { continue }
            guard let addr2line = Environment.findOnPath("addr2line", ProcessInfo.processInfo.environment["PATH"] ?? ""),
                  let (status, out, _) = try? runCapturing(addr2line, ["-e", executable.path, "0x" + String(offset - 1, radix: 16)],
                                                           environment: ProcessInfo.processInfo.environment, timeout: 10),
                  status == .exited(0) else { return nil }
            // "/abs/Chapters/x.md:14" or "...:14 (discriminator 1)": take the first line's number.
            let location = (out.split(separator: "\n").first.map(String.init) ?? "").split(separator: " ").first.map(String.init) ?? ""
            guard let colon = location.lastIndex(of: ":"), let line = Int(location[location.index(after: colon)...]) else { return nil }
            return (String(location[..<colon]), line)
        }
        return nil
    }

    /// The crash message without the raw stack frames (they name no source, only addresses).
    static func cleaned(_ stderr: String) -> String {
        var lines: [Substring] = []
        for line in stderr.split(separator: "\n") {
            if line.hasPrefix("Current stack trace:") { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 3, Int(fields[0]) != nil, fields[2].hasPrefix("0x") { continue }
            lines.append(line)
        }
        return lines.suffix(12).map { "  " + $0 }.joined(separator: "\n")
    }

    /// The message of an error that reached the top level of the program uncaught (the Swift
    /// runtime's "Fatal error: Error raised at top level: ..."), else nil.
    static func uncaughtError(_ stderr: String) -> String? {
        let marker = "Fatal error: Error raised at top level: "
        guard let range = stderr.range(of: marker, options: .backwards) else { return nil }
        let rest = stderr[range.upperBound...]
        // The message runs until the stack dump (it may span lines).
        let end = rest.range(of: "\nCurrent stack trace:")?.lowerBound ?? rest.endIndex
        return String(rest[..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Where the runtime's "Current stack trace:" dump starts in a chunk of stderr, if it does.
    /// The runtime's line for an uncaught error (`Swift/ErrorType.swift:254: Fatal error: Error
    /// raised at top level: ...`) counts as its start too: the step's report shows the error
    /// once, where it belongs, so the raw line is not passed through as well.
    static func stackDumpStart(_ bytes: [UInt8]) -> Int? {
        if let i = find(Array("Fatal error: Error raised at top level: ".utf8), in: bytes) {
            return bytes[..<i].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        }
        return find(Array("Current stack trace:".utf8), in: bytes)
    }

    private static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        for i in 0...(bytes.count - marker.count) where bytes[i] == marker[0] && bytes[i..<(i + marker.count)].elementsEqual(marker) {
            return i
        }
        return nil
    }
}
