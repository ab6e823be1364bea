import Foundation

// Compiler output for a learner's exercise file, cleaned of what belongs to the generated
// program: a missing `)` or `}` at the end of their file makes swiftc report the line after
// it (past the file's end, showing the generated `#sourceLocation(...)` line) or a line of the
// generated main.swift; both are put back on the file's last line. Fix-its that would insert
// `try!` or a force cast (`as!`) are left out: they trade a compile error for a crash.

enum LearnerDiagnostics {
    /// `lines`: normalized compiler output. `file`: the learner's file as diagnostics name it.
    static func clean(_ lines: [String], file: String, code: String) -> [String] {
        let codeLines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let last = max(1, codeLines.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { $0 + 1 } ?? 1)
        let lastText = codeLines.indices.contains(last - 1) ? codeLines[last - 1] : ""
        let mentionsFile = lines.contains { $0.hasPrefix(file + ":") }
        var out: [String] = []
        for block in blocks(lines) {
            guard let header = block.first, let (path, line, severity, message) = parse(header) else { out += block; continue }
            let body = block.dropFirst()
            let forced = body.contains { text in
                ["try!", "as!"].contains(text.trimmingCharacters(in: .whitespaces)) || text.contains(" as! ")
            }
            if severity == "note", forced { continue }
            let pastEnd = path == file && line > last
            let generated = mentionsFile && path.hasSuffix("/main.swift")
            if pastEnd || generated {
                out += ["\(file):\(last):\(lastText.count + 1): \(severity): \(message)", lastText, String(repeating: " ", count: lastText.count) + "^"]
            } else {
                out += block
            }
        }
        return out
    }

    /// Whether the compiler output names the learner's file (the failure is theirs).
    static func blamesFile(_ lines: [String], file: String) -> Bool { lines.contains { $0.hasPrefix(file + ":") } }

    /// Diagnostics split at their header lines (`path:LINE:COL: severity: message`).
    private static func blocks(_ lines: [String]) -> [[String]] {
        var blocks: [[String]] = []
        for line in lines {
            if parse(line) != nil || blocks.isEmpty { blocks.append([line]) } else { blocks[blocks.count - 1].append(line) }
        }
        return blocks
    }

    private static func parse(_ line: String) -> (path: String, line: Int, severity: String, message: String)? {
        guard let match = line.range(of: #"^(.+?):(\d+):(\d+): (error|warning|note): "#, options: .regularExpression) else { return nil }
        let head = line[match].dropLast(2)   // "path:L:C: severity"
        let parts = head.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 4, let n = Int(parts[parts.count - 3]) else { return nil }
        let path = parts.dropLast(3).joined(separator: ":")
        return (path, n, parts[parts.count - 1].trimmingCharacters(in: .whitespaces), String(line[match.upperBound...]))
    }
}
