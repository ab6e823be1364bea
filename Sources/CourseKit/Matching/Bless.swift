import Foundation

// `course run --bless`: accept what a run printed and drew. Output blocks that differ are
// rewritten (Blesser) and the figures the run produced are copied into Chapters/figures/
// (Figures). Under CI=true nothing in the checkout changes: a CI run must fail, not quietly
// accept, so the rewritten chapter goes to `PATH.new` for a person to look at.

public enum Bless {
    /// Rewrites the chapter (or, under CI, writes `PATH.new`), printing each change. Returns
    /// false when bless could not accept everything (refused under CI, images the run did not
    /// save, failures no output block can fix), which fails the command.
    public static func apply(_ chapter: Chapter, _ result: ChapterResult, environment: Environment) throws -> Bool {
        let figuresRefused = try figures(chapter, environment: environment)
        let missing = Figures.missing(in: chapter)
        for error in missing { print(error) }
        let (text, changes) = Blesser.bless(chapter, results: result.steps)
        let unblessable = result.steps.filter { r in
            guard r.outcome.isFailure else { return false }
            if case .failed = r.outcome, r.output != nil { return false }
            return true
        }
        if changes.isEmpty {
            print("bless: no output block to change in \(chapter.path)")
        } else if ProcessInfo.processInfo.environment["CI"] == "true" {
            try text.write(toFile: chapter.path + ".new", atomically: true, encoding: .utf8)
            print("bless: refused under CI=true; wrote \(chapter.path).new with \(changes.count) changed block(s)")
            return false
        } else {
            try text.write(toFile: chapter.path, atomically: true, encoding: .utf8)
            for change in changes {
                let label = chapter.steps.first { $0.number == change.step }?.label ?? "step \(change.step)"
                if change.inserted {
                    print("bless: \(chapter.path):\(change.line) \(label): added an output block")
                    continue
                }
                // Each line it changed; a block rewritten wholesale is summarised after a few.
                for edit in change.edits.prefix(8) { print("bless: \(chapter.path):\(edit.line) \(label): \(edit.description)") }
                if change.edits.count > 8 { print("bless: \(chapter.path):\(change.line) \(label): and \(change.edits.count - 8) more line(s); see `git diff`") }
            }
        }
        if figuresRefused { return false }
        if !missing.isEmpty {
            print("bless: the chapter shows \(missing.count) image(s) its steps did not save under figures/")
            return false
        }
        if !unblessable.isEmpty {
            print("bless: \(unblessable.count) step(s) failed in ways bless cannot fix (compile errors, crashes, timeouts, checks)")
            return false
        }
        return true
    }

    /// Copies the figures the run produced into Chapters/figures/ (only those that differ).
    /// Returns true when it refused to (under CI=true), which fails the command.
    static func figures(_ chapter: Chapter, environment: Environment) throws -> Bool {
        let changes = Figures.changes(for: chapter, environment: environment)
        guard !changes.isEmpty else { return false }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            print("bless: refused under CI=true; \(changes.count) figure(s) differ: \(changes.map(\.name).joined(separator: ", "))")
            return true
        }
        for path in try Figures.bless(changes, for: chapter, environment: environment) {
            print("bless: wrote \(path)")
        }
        return false
    }
}
