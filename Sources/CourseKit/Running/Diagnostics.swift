// Compiler output for a learner: swiftc reports the same mistake once per use (a missing `try`
// on every call of a throwing function, each with the same notes and source excerpts), which
// buries the one thing to fix. Each distinct message is shown once, with its excerpt; later
// repeats become one line naming where else it occurs.

enum Diagnostics {
    /// `lines` (swiftc's output) with repeated diagnostics folded.
    static func deduplicated(_ lines: [String]) -> [String] {
        // Split into diagnostics: a `file:line:col: error|warning|note: message` line and the
        // excerpt lines under it.
        var blocks: [(head: Parsed?, lines: [String])] = []
        for line in lines {
            if let parsed = Parsed(line) { blocks.append((parsed, [line])) }
            else if blocks.isEmpty { blocks.append((nil, [line])) }
            else { blocks[blocks.count - 1].lines.append(line) }
        }
        var out: [String] = []
        var seen = Set<String>()
        var also: [String: [String]] = [:]
        var order: [String] = []
        var position: [String: Int] = [:]
        for block in blocks {
            guard let head = block.head else { out += block.lines; continue }
            let key = head.kind + ": " + head.message
            if !seen.contains(key) {
                seen.insert(key)
                out += block.lines
                order.append(key)
                position[key] = out.count
            } else if head.kind != "note" {
                also[key, default: []].append(head.location)
            }
            // A repeated note (the same advice again) is dropped.
        }
        // Insert "also at" lines after each first occurrence, from the bottom up.
        for key in order.reversed() {
            guard let places = also[key], let at = position[key] else { continue }
            let shown = places.prefix(6).joined(separator: ", ")
            let more = places.count > 6 ? " and \(places.count - 6) more" : ""
            out.insert("(the same \(key.hasPrefix("warning") ? "warning" : "error") at \(shown)\(more))", at: at)
        }
        return out
    }

    struct Parsed {
        var location: String
        var kind: String
        var message: String

        init?(_ line: String) {
            for kind in ["error", "warning", "note"] {
                guard let range = line.range(of: ": \(kind): ") else { continue }
                let location = String(line[..<range.lowerBound])
                // file:line:col, where the file has no spaces at the start (excerpts are indented).
                guard let first = location.first, first != " ", location.split(separator: ":").count >= 3 else { return nil }
                self.location = location
                self.kind = kind
                self.message = String(line[range.upperBound...])
                return
            }
            return nil
        }
    }
}
