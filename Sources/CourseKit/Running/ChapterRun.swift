import Foundation

// The results of one run of a chapter as they become known. The phases of ChapterRunner.run
// (compile, launch, collect, conclude) share it: each reported step is reported exactly once,
// in document order, as soon as its result is known (so reports can be live).

final class ChapterRun {
    let chapter: Chapter
    let options: RunOptions
    /// The options' plan with `--until` folded in (steps after it are not generated).
    let plan: ProgramPlan
    var result: ChapterResult
    /// The steps the reports show: all but exercise blocks (their solution and check stand in).
    let reported: [Step]
    /// Reported steps whose results are not known yet, in order.
    var queue: ArraySlice<Step>
    private let onStep: ((StepResult) -> Void)?

    init(chapter: Chapter, options: RunOptions, onStep: ((StepResult) -> Void)?) {
        var plan = options.plan
        if let until = options.until { plan.lastStep = min(plan.lastStep ?? until, until) }
        self.chapter = chapter
        self.options = options
        self.plan = plan
        self.onStep = onStep
        result = ChapterResult(chapter: chapter, steps: [])
        result.partial = options.from != nil || options.until != nil
        reported = chapter.steps.filter { if case .exercise = $0.attributes.role { return false }; return true }
        queue = reported[...]
    }

    func finish(_ step: Step, _ outcome: StepOutcome, _ seconds: Double = 0, _ output: String? = nil) {
        let r = StepResult(step: step, outcome: outcome, seconds: seconds, output: output)
        result.steps.append(r)
        onStep?(r)
    }

    func inScope(_ step: Step) -> Bool { plan.lastStep.map { step.number <= $0 } ?? true }
    func leftOut(_ step: Step) -> Bool { plan.onlySteps.map { !$0.contains(step.number) } ?? false }

    /// Why `step` is skipped whatever the program does, or nil when it is one to run.
    func skipReason(_ step: Step) -> SkipReason? {
        if !step.runs { return .noRun }
        if !inScope(step) { return .afterUntil }
        if leftOut(step) { return .notNeededByExercise }
        return nil
    }

    /// The program never ran (it did not compile, or could not start): every step is reported
    /// at once, the one `blame` gives an outcome carrying the failure, the others not run.
    func reportWithoutRunning(blame: (Step) -> StepOutcome?, others: NotRunReason) {
        for step in reported {
            if let skip = skipReason(step) { finish(step, .skipped(skip)) }
            else if let outcome = blame(step) { finish(step, outcome) }
            else { finish(step, .notRun(others)) }
        }
    }

    /// Reports everything before `number` that did not run as part of the program.
    func settle(upTo number: Int) {
        while let next = queue.first, next.number < number {
            queue.removeFirst()
            if !next.runs { finish(next, .skipped(.noRun)) }
            else if leftOut(next) { finish(next, .skipped(.notNeededByExercise)) }
        }
    }

    /// Takes `step` off the queue when it is next (its result is being reported).
    func dequeue(_ step: Step) {
        if let first = queue.first, first.number == step.number { queue.removeFirst() }
    }

    /// The first step still to report that the program would have run.
    func nextToRun() -> Step? { queue.first { $0.runs && inScope($0) } }

    /// Reports the steps left: skipped as ever, or not run for `reason`.
    func finishRemaining(_ reason: NotRunReason) {
        while let step = queue.popFirst() {
            if let skip = skipReason(step) { finish(step, .skipped(skip)) }
            else { finish(step, .notRun(reason)) }
        }
    }
}
