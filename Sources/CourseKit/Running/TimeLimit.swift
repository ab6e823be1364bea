import Foundation

// What a timeout's report says: which of the two limits fired (the step's `timeout=` or the
// chapter's `timeout:`, each with where to raise it), and under mpirun which ranks were still
// running and where, since the rank that hangs is the one to look at.

enum TimeLimit {
    static func describe(chapter: Chapter, step: Step?, chapterFired: Bool) -> String {
        if chapterFired {
            let seconds = Int(chapter.frontMatter.timeout ?? FrontMatter.defaultTimeout)
            let given = chapter.frontMatter.timeout == nil ? "the default, as no `timeout:` is set" : "`timeout: \(seconds)`"
            return "the chapter may run \(seconds) s in all (\(given) in its front matter), and ran out during this step "
                + "(raise `timeout:` in the front matter)"
        }
        let seconds = Int(step?.attributes.timeout ?? StepAttributes.defaultTimeout)
        return "the step may run \(seconds) s (set timeout=SECONDS on the step, or timeout: in the front matter for the chapter)"
    }

    /// "; still running: rank 1 of 2 (in step 1 "hang" at Chapters/x.md:6)" for the ranks alive
    /// at the timeout; rank 0's step is the runner's current one, the others' from their files.
    static func stillRunning(_ launch: MPILaunch, program: String, rankZeroStep: Step?, chapter: Chapter) -> String {
        let ranks = launch.runningRanks(program: program)
        guard !ranks.isEmpty else { return "" }
        let named = ranks.map { (rank, _) -> String in
            let number = rank == 0 ? rankZeroStep?.number : launch.lastStep(rank: rank)
            let step = number.flatMap { n in chapter.steps.first { $0.number == n } }
            let place = step.map { " (in \($0.label) at \(chapter.path):\($0.fenceLine))" } ?? ""
            return "rank \(rank) of \(launch.processes)\(place)"
        }
        return "\n  still running when the time ran out: " + named.joined(separator: ", ")
    }
}
