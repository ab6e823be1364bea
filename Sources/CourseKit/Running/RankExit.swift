import Foundation

// A rank that calls exit() before the chapter's end (any code, 0 too) would hang the job: the
// other ranks wait for it in their next collective, and it waits for them in MPI_Finalize, so
// nothing ends before the time limit and mpirun has nothing to report. The chapter program
// writes `rank-N.exit` ("CODE STEP") as such a rank exits (see the prelude); the runner looks
// for it while the job runs, ends the job at once and names the rank, its code and its step.

extension MPILaunch {
    struct EarlyExit {
        var rank: Int
        var code: Int32
        /// The step the rank was in (nil: before its first).
        var step: Int?
    }

    /// The first rank (by number) that reported leaving before the end, if any.
    func earlyExit() -> EarlyExit? {
        for rank in 0..<processes {
            guard let text = try? String(contentsOf: work.appendingPathComponent("rank-\(rank).exit"), encoding: .utf8) else { continue }
            let fields = text.split(whereSeparator: \.isWhitespace)
            // An empty file is one being written: the next look reads it whole.
            guard let code = fields.first.flatMap({ Int32($0) }) else { continue }
            let step = fields.dropFirst().first.flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
            return EarlyExit(rank: rank, code: code, step: step)
        }
        return nil
    }

    /// The failure of the step rank 0 was in, naming the rank, its exit code and its own step.
    func earlyExitFailure(_ early: EarlyExit, chapter: Chapter) -> StepOutcome {
        let step = early.step.flatMap { n in chapter.steps.first { $0.number == n } }
        let place = step.map { " in \($0.label) (\(chapter.path):\($0.fenceLine))" } ?? " before its first step"
        var message = "rank \(early.rank) of \(processes) stopped with exit code \(early.code)\(place), before the chapter's end: "
            + "it called exit(), and the other ranks would have waited for it (in their next collective, or in MPI_Finalize) "
            + "until the time limit, so the job was ended. Let every rank run every step to the end (skip work with an `if`; "
            + "throw an error to stop the whole job)"
        if early.rank > 0 { message += "\n  " + filesNote(rank: early.rank) }
        return .failed(message)
    }
}
