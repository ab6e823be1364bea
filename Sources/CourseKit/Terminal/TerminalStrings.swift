import Foundation

// The terminal's own words (`course step`, `course exercise`, `course list`) in each language,
// as SiteStrings are the site's: one table per language (TerminalStrings+Chinese.swift, ...),
// each a value of this struct, so a language is read top to bottom in one file. File names,
// line numbers, step ids and commands are arguments and stay verbatim; errors thrown by the
// toolkit stay English (as Python's do) inside the translated frame. English is the default
// and is the text the tests pin, byte for byte.

public struct TerminalStrings: Sendable {
    /// The language these strings are in.
    public var language: Language

    // MARK: course step

    /// Header above a step's live output.
    public var outputHeader: String
    /// Header above the documented output, shown when it is written differently.
    public var documentedOutputHeader: String
    /// Between the chapter runs when the learner restarts (path verbatim).
    public var restarting: @Sendable (_ path: String) -> String
    /// "N passed" / "P passed, F failed" / "N skipped" / "N not run", joined by `countSeparator`.
    public var passedCount: @Sendable (Int) -> String
    public var passedFailedCount: @Sendable (_ passed: Int, _ failed: Int) -> String
    public var skippedCount: @Sendable (Int) -> String
    public var notRunCount: @Sendable (Int) -> String
    public var countSeparator: String
    /// `step 7 "align"`: the step's number, its id or its exercise, as reports name it.
    public var stepLabel: @Sendable (Step) -> String
    /// In a step's header: `exercise NAME`.
    public var exerciseHeader: @Sendable (_ name: String) -> String
    /// Key help while more prose waits.
    public var readOnKeys: String
    /// Key help before a step (`jump`: whether j is offered).
    public var runKeys: @Sendable (_ jump: Bool) -> String
    /// Key help before an exercise's reference solution.
    public var solutionKeys: @Sendable (_ jump: Bool) -> String
    /// Markdown shown in place of an exercise's solution (`flags`: " --lang xx" or "").
    public var yourTurn: @Sendable (_ name: String, _ flags: String) -> String
    public var jumpPrompt: String
    public var hintLabel: String
    public var noHint: String
    public var referenceSolution: String
    public var noSuchStep: @Sendable (_ number: Int, _ count: Int) -> String
    public var noSuchID: @Sendable (_ id: String, _ ids: String) -> String
    public var runningToward: @Sendable (_ position: Int, _ total: Int) -> String
    public var stoppedBefore: @Sendable (_ label: String, _ path: String) -> String
    /// `quoted`: the step's id in quotes, or "".
    public var ranWithoutPausing: @Sendable (_ position: Int, _ total: Int, _ quoted: String) -> String
    public var quietStepFailed: @Sendable (_ label: String) -> String
    public var matchesDocumented: String
    public var done: String
    public var printsNothing: String
    public var doesNotCompile: String
    public var crashed: String
    public var timedOut: @Sendable (_ seconds: Int) -> String
    /// Between a message and what follows it on the same line (": " or "：").
    public var colon: String
    public var skipReason: @Sendable (SkipReason) -> String
    /// The first line of a failed step's report, when the runner wrote it (the diff stays).
    public var outputDiffers: @Sendable (_ place: String) -> String

    // MARK: course step (the command)

    public var notATerminal: String
    /// `name`: ` "id"` or "".
    public var lastTimeStopped: @Sendable (_ position: Int, _ total: Int, _ name: String) -> String
    public var goOnKeys: String

    // MARK: course list

    public var doesNotParse: @Sendable (_ path: String) -> String
    public var runCounts: @Sendable (_ passed: Int, _ failed: Int, _ skipped: Int) -> String
    public var notRunYet: String
    public var partialRun: @Sendable (_ passed: Int, _ failed: Int, _ notRun: Int) -> String
    /// An exercise's status as the state file keeps it (not started, started, passed, failed).
    public var exerciseStatus: @Sendable (String) -> String

    // MARK: course exercise

    public var wrote: @Sendable (_ path: String, _ checkCommand: String) -> String
    public var alreadyExists: @Sendable (_ path: String, _ resetCommand: String) -> String
    public var exerciseHasNoHint: @Sendable (_ id: String, _ path: String, _ line: Int) -> String
    public var resetToStart: @Sendable (_ path: String) -> String
    /// The two comment lines above the starting code in `Exercises/` (no trailing newline).
    public var starterHeader: @Sendable (_ id: String, _ path: String, _ line: Int, _ check: String, _ hint: String) -> String
    public var checkPassed: @Sendable (_ id: String) -> String
    public var checkNotYet: @Sendable (_ id: String) -> String
    public var printedNothing: String
    public var printed: String
    public var hintCommand: @Sendable (_ command: String) -> String
    public var watchChecking: @Sendable (_ path: String) -> String
    public var watchChanged: @Sendable (_ path: String) -> String
    public var watching: @Sendable (_ path: String) -> String
    /// `place`: a chapter location, or nil for the learner's own code.
    public var attemptDoesNotCompile: @Sendable (_ place: String?) -> String
    public var attemptCrashed: @Sendable (_ place: String?, _ why: String) -> String
    public var attemptTimedOut: @Sendable (_ place: String?, _ seconds: Int, _ limit: String) -> String
    public var checkDidNotRun: String
    /// `at`: the learner's file (and line); `error`: the thrown error, verbatim.
    public var codeThrew: @Sendable (_ at: String, _ error: String) -> String
    public var checkCalledItAt: @Sendable (_ place: String) -> String
    /// Above what the learner's code printed before it threw.
    public var outputBeforeError: String
    public var notStartedYet: @Sendable (_ path: String, _ startCommand: String) -> String
    public var noTranslationYet: @Sendable (_ path: String, _ query: String) -> String
    /// `available`: the tags of the translations there are ("" when none).
    public var noTranslation: @Sendable (_ path: String, _ query: String, _ available: String) -> String
    /// How prose shows an image it cannot draw: `[image: ALT]`.
    public var image: String

    // MARK: course run (and course step without a terminal): the report

    public var reportSkipped: @Sendable (_ why: String) -> String
    public var reportDoesNotCompile: String
    public var reportCrashed: String
    public var outputBeforeCrash: String
    public var reportTimedOut: String
    public var killed: String
    public var reportNotRun: @Sendable (_ why: String) -> String
    public var notRunReason: @Sendable (NotRunReason) -> String
    /// `compiled`: nil when the compile was cached, else its seconds ("12.34s").
    public var compiledAndRan: @Sendable (_ compiled: String?, _ ran: String) -> String
    public var rerun: @Sendable (_ path: String) -> String

    public static let english = TerminalStrings(
        language: .english,
        outputHeader: "── output ──",
        documentedOutputHeader: "── documented output ──",
        restarting: { "— restarting \($0) —" },
        passedCount: { "\($0) passed" },
        passedFailedCount: { "\($0) passed, \($1) failed" },
        skippedCount: { "\($0) skipped" },
        notRunCount: { "\($0) not run" },
        countSeparator: ", ",
        stepLabel: { $0.label },
        exerciseHeader: { "exercise \($0)" },
        readOnKeys: "[enter] read on  [q] quit ",
        runKeys: { "[enter] run  \($0 ? "[j] jump  " : "")[r] restart  [q] quit " },
        solutionKeys: { "[enter] run the solution  [h] hint  [s] solution  \($0 ? "[j] jump  " : "")[r] restart  [q] quit " },
        yourTurn: { name, flags in
            "✏️ **Your turn:** `course exercise start \(name)\(flags)` puts the starting code above in "
                + "`Exercises/`, and `course exercise check \(name)\(flags)` checks your version. Press **h** for the hint, **s** for "
                + "the reference solution; **enter** runs the reference solution so the chapter can go on."
        },
        jumpPrompt: "jump to step (a number or an id, enter to go, Esc to stay): ",
        hintLabel: "hint: ",
        noHint: "this exercise has no hint",
        referenceSolution: "the reference solution:",
        noSuchStep: { "there is no step \($0): steps go from 1 to \($1)" },
        noSuchID: { "no step has id=\($0); ids: \($1)" },
        runningToward: { "running the steps before \($0)/\($1) without pausing (their outputs are checked)" },
        stoppedBefore: { "stopped before \($0); `course step \($1)` offers to go on from here" },
        ranWithoutPausing: { $2.isEmpty ? "\($0)/\($1) ran without pausing" : "\($0)/\($1) \($2) ran without pausing" },
        quietStepFailed: { "✗ \($0) failed" },
        matchesDocumented: "✓ matches the documented output",
        done: "✓ done",
        printsNothing: " (prints nothing)",
        doesNotCompile: "✗ does not compile:\n",
        crashed: "✗ crashed: ",
        timedOut: { "✗ timed out after \($0) s" },
        colon: ": ",
        skipReason: { $0.description },
        outputDiffers: { "output differs from the documented output at \($0):" },
        notATerminal: "course step: not a terminal; running the chapter as `course run` does",
        lastTimeStopped: { "Last time you stopped before step \($0)/\($1)\($2)." },
        goOnKeys: "[enter] go on from there  [b] start at the beginning  [q] quit ",
        doesNotParse: { "(does not parse: run `course run \($0)`)" },
        runCounts: { "\($0) passed, \($1) failed, \($2) skipped" },
        notRunYet: "not run yet",
        partialRun: { "partial run: \($0) passed, \($1) failed, \($2) not run" },
        exerciseStatus: { $0 },
        wrote: { "wrote \($0): edit it, then run `\($1)`" },
        alreadyExists: { "\($0) already exists (your work is kept; `\($1)` starts over)" },
        exerciseHasNoHint: { "exercise \($0) has no hint: reread \($1) around line \($2)" },
        resetToStart: { "reset \($0) to the starting code" },
        starterHeader: { id, path, line, check, hint in
            "// ✏️ Exercise \(id), from \(path) (line \(line)).\n// Replace the TODO, save, then: \(check)   (hint: \(hint))"
        },
        checkPassed: { "✓ \($0): passed" },
        checkNotYet: { "✗ \($0): not yet" },
        printedNothing: "  your code printed nothing",
        printed: "  your code printed:",
        hintCommand: { "  hint: \($0)" },
        watchChecking: { "— checking \($0) —" },
        watchChanged: { "— \($0) changed, checking —" },
        watching: { "watching \($0); Ctrl-C to stop" },
        attemptDoesNotCompile: { "\($0 ?? "your code") does not compile:" },
        attemptCrashed: { "\($0 ?? "your code") crashed: \($1)" },
        attemptTimedOut: { "\($0 ?? "your code") timed out after \($1) s: \($2)" },
        checkDidNotRun: "the check did not run",
        codeThrew: { "\($0): your code threw an error: \($1)" },
        checkCalledItAt: { "  (the check called it at \($0))" },
        outputBeforeError: "its output before the error:",
        notStartedYet: { "\($0) does not exist yet: run `\($1)` first" },
        noTranslationYet: { "note: \($0) has no '\($1)' translation yet (COURSE_LANG); reading it in English" },
        noTranslation: { "\($0) has no '\($1)' translation; " + ($2.isEmpty ? "it has none yet" : "it has: \($2)") },
        image: "image",
        reportSkipped: { "skipped: \($0)" },
        reportDoesNotCompile: "does not compile",
        reportCrashed: "crashed",
        outputBeforeCrash: "its output before the crash:",
        reportTimedOut: "timed out",
        killed: "killed: ",
        reportNotRun: { "not run: \($0)" },
        notRunReason: { $0.description },
        compiledAndRan: { compiled, ran in "\(compiled.map { "compiled in \($0)" } ?? "compile cached"), ran in \(ran); " },
        rerun: { "re-run: course run \($0)" })

    /// A failed step's report with the runner's first line in this language (the diff below
    /// it, and any error it quotes, stay as they are). `place`: where its output block is.
    func framed(failure why: String, place: String) -> String {
        let english = TerminalStrings.english.outputDiffers(place)
        guard why.hasPrefix(english) else { return why }
        return outputDiffers(place) + why.dropFirst(english.count)
    }

    /// Closing line of `course run`: exactly `N passed, N failed, N skipped` in English.
    public func summary(_ s: Summary) -> String { runCounts(s.passed, s.failed, s.skipped) }

    /// The strings for a language (English for one without its own).
    public static func forLanguage(_ language: Language) -> TerminalStrings {
        all.first { $0.language.matches(language.tag) } ?? english
    }

    /// Every language the terminal speaks, English first.
    static let all: [TerminalStrings] = [english, chinese, japanese, german]

    /// The language the terminal speaks, from the first of: `--lang`, `COURSE_LANG`, the
    /// language of the chapter being read (a translation's `lang:`), then the locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`, as POSIX orders them). The first one given decides:
    /// a language without strings of its own (`fr`, or `C.UTF-8`) is spoken in English, so an
    /// explicit choice is never overridden by one further down.
    public static func choose(flag: String?, chapterLanguage: Language? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStrings {
        let given = [flag, environment["COURSE_LANG"], chapterLanguage?.tag,
                     environment["LC_ALL"], environment["LC_MESSAGES"], environment["LANG"]]
        guard let first = given.compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return english }
        return all.first { $0.language.matches(first) } ?? english
    }
}
