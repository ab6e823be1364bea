import Foundation

// An exercise attempt whose code throws: the runner's report for a step that threw (ProgramRun)
// names the step and suggests `expect-error`, which is right for a chapter's author and wrong
// for a learner, whose own function threw while the hidden check called it. This says so, at
// the learner's file and line, with the error once.

enum ThrownError {
    /// The learner-facing message for `why` (a step's "the step threw an error" report), or nil
    /// when `why` is another failure. `calledFrom`: where the check called the learner's code
    /// (nil when the learner's top-level code threw itself).
    static func blame(_ why: String, code: String, file: String, strings: TerminalStrings = .english, calledFrom: String?) -> String? {
        guard why.hasPrefix("the step threw an error") else { return nil }
        let lines = why.components(separatedBy: "\n")
        let error = lines.first { $0.hasPrefix("  error: ") }.map { String($0.dropFirst("  error: ".count)) } ?? why
        let before = "its output before the error:"   // as ProgramRun writes it
        var restLines = Array(lines.drop { !$0.hasPrefix(before) })
        if let first = restLines.first { restLines[0] = strings.outputBeforeError + first.dropFirst(before.count) }
        let rest = restLines.joined(separator: "\n")
        guard let calledFrom else {
            // Thrown at the top level of the learner's file: the runner's location is already theirs.
            let at = why.range(of: #" at [^ ]+:\d+"#, options: .regularExpression).map { String(why[$0].dropFirst(4)) } ?? file
            return strings.codeThrew(at, error) + (rest.isEmpty ? "" : "\n" + rest)
        }
        return strings.codeThrew(where_(code, file: file), error) + "\n" + strings.checkCalledItAt(calledFrom)
            + (rest.isEmpty ? "" : "\n" + rest)
    }

    /// The learner's `throw`, when the file has exactly one; else the file.
    static func where_(_ code: String, file: String) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        let throws_ = lines.indices.filter { i in
            let text = lines[i].trimmingCharacters(in: .whitespaces)
            return !text.hasPrefix("//") && text.range(of: #"(^|[^A-Za-z_])throw\s"#, options: .regularExpression) != nil
        }
        return throws_.count == 1 ? "\(file):\(throws_[0] + 1)" : file
    }
}
