import Foundation

// The chapter program while it runs, and after: `collect` splits its stdout per step at the
// control lines, passes stderr on, and enforces the per-step and per-chapter time limits;
// `conclude` reaps it and reports what the steps it did not finish are told (a timeout, a
// signal, a crash or uncaught error, a rank that failed).

final class ProgramRun {
    let run: ChapterRun
    let child: ChildProcess
    /// Set when the program runs under mpirun (front matter `processes:` above 1).
    let launch: MPILaunch?
    let compiled: CompiledProgram
    let started: Double
    let chapterDeadline: Double
    let beforeStep: ((Step) -> Bool)?
    let onOutput: ((Step, [UInt8]) -> Void)?
    let onStderr: (([UInt8]) -> Void)?

    var chapter: Chapter { run.chapter }

    private var stream = ControlStream()
    private var current: Step?
    private var currentStart: Double
    private var currentOutput: [UInt8] = []
    private var threw: Bool?
    private var ended = false
    private var endedAt: Double
    private var stderrTail: [UInt8] = []
    /// What ended the run early (a timeout, a signal), and what the steps after it are told.
    private var failure: (outcome: StepOutcome, reason: NotRunReason)?
    private var threwUncaught = false
    private var stackDump = false
    // Under mpirun: how often to look for a rank that left early (see RankExit.swift).
    private let rankCheckInterval = 0.2
    private var nextRankCheck: Double

    init(run: ChapterRun, child: ChildProcess, launch: MPILaunch?, compiled: CompiledProgram, started: Double, runner: ChapterRunner) {
        self.run = run
        self.child = child
        self.launch = launch
        self.compiled = compiled
        self.started = started
        chapterDeadline = started + (run.chapter.frontMatter.timeout ?? FrontMatter.defaultTimeout)
        beforeStep = runner.beforeStep
        onOutput = runner.onOutput
        onStderr = runner.onStderr
        currentStart = started
        endedAt = started
        nextRankCheck = started
    }

    /// Reads the program until it ends, is stopped, or exceeds a time limit.
    func collect() {
        while true {
            if launch != nil, Clock.now >= nextRankCheck {
                nextRankCheck = Clock.now + rankCheckInterval
                if let early = rankLeftEarly() {
                    failure = early
                    child.kill()
                    return
                }
            }
            let stepDeadline = current.map { currentStart + ($0.attributes.timeout ?? StepAttributes.defaultTimeout) } ?? chapterDeadline
            let deadline = min(stepDeadline, chapterDeadline)
            var wait = max(0, deadline - Clock.now)
            if launch != nil { wait = min(wait, rankCheckInterval) }
            switch child.next(timeout: wait) {
            case .stdout(let bytes):
                if handle(stream.feed(bytes)) { return }
            case .stderr(let bytes):
                passOn(stderr: bytes)
            case .timeout:
                if Clock.now < deadline { continue }   // only the look for a rank that left early
                // Which limit fired is the nearer deadline, not the clock (poll may wake early).
                var limit = TimeLimit.describe(chapter: chapter, step: current, chapterFired: chapterDeadline <= stepDeadline)
                // Before the kill, so the ranks' own state is still there to read.
                if let launch { limit += TimeLimit.stillRunning(launch, program: compiled.executable.path, rankZeroStep: current, chapter: chapter) }
                child.kill()
                failure = (.timedOut(Clock.now - currentStart, limit: limit), .earlierStepTimedOut)
                return
            case .interrupted:
                // `course` got SIGTERM/SIGINT/SIGHUP and passed it on: let the program end by it.
                child.endAfterSignal()
                return
            case .closed:
                _ = handle(stream.finish())
                return
            }
        }
    }

    /// Applies stdout items; true when the run must stop (the learner quit).
    private func handle(_ items: [ControlStream.Item]) -> Bool {
        for item in items {
            switch item {
            case .text(let text):
                currentOutput += text
                if let step = current { onOutput?(step, text) }
            case .control(let control):
                let now = Clock.now
                if control.hasPrefix("step "), let n = Int(control.dropFirst(5)),
                   let step = chapter.steps.first(where: { $0.number == n }) {
                    // The step's last stderr (a warning, a note) is shown before its result and the pause.
                    let pending = child.pendingStderr()
                    if !pending.isEmpty { passOn(stderr: pending) }
                    endCurrent(at: now)
                    run.settle(upTo: n)
                    if let beforeStep, !beforeStep(step) {
                        child.closeStdin(); child.kill(); ended = true
                        run.result.stopped = true
                        run.result.partial = true
                        return true
                    }
                    current = step
                    currentStart = Clock.now
                    currentOutput = []
                    threw = nil
                    if beforeStep != nil { child.send("run") }
                } else if control.hasPrefix("replayed "), let step = current {
                    // The Trainer replayed a recorded fine-tune in this step: the run is not a full result.
                    run.result.replayedSteps.insert(step.number)
                } else if control.hasPrefix("nothrow ") {
                    threw = false
                } else if control == "end" {
                    // Under mpirun the last step counts once every rank has ended well.
                    if launch == nil { endCurrent(at: now) }
                    ended = true
                    endedAt = now
                }
            }
        }
        return false
    }

    /// The running step ended normally: check its output.
    private func endCurrent(at time: Double) {
        guard let step = current else { return }
        let output = String(decoding: currentOutput, as: UTF8.self)
        var outcome: StepOutcome
        if let from = run.options.from, step.number < from {
            outcome = .skipped(.beforeFrom)
        } else {
            outcome = StepChecker.evaluate(step, output: output, threw: step.attributes.expectError ? (threw ?? true) : nil,
                                           chapterPath: chapter.path)
        }
        run.dequeue(step)
        run.finish(step, outcome, time - currentStart, output)
        current = nil
    }

    /// The running step ends with `outcome` (a failure), with what it printed so far.
    private func failCurrent(_ step: Step, _ outcome: StepOutcome) {
        run.dequeue(step)
        run.finish(step, outcome, Clock.now - currentStart, String(decoding: currentOutput, as: UTF8.self))
        current = nil
    }

    /// The runtime's raw stack dump after a trap or an uncaught error names no source line: it
    /// is not passed through (the step's report says where and why). The tail is kept for that.
    private func passOn(stderr bytes: [UInt8]) {
        if run.options.passStderr && !stackDump {
            var shown = bytes[...]
            if let cut = CrashLocator.stackDumpStart(bytes) { shown = bytes[..<cut]; stackDump = true }
            // mpirun's report that a rank died: the step's report names the rank instead.
            if launch != nil, let cut = MPILaunch.reportStart(shown) { shown = shown[..<cut]; stackDump = true }
            if let onStderr { onStderr(Array(shown)) } else { shown.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) } }
        }
        stderrTail += bytes
        if stderrTail.count > 8192 { stderrTail.removeFirst(stderrTail.count - 8192) }
    }

    private func rankLeftEarly() -> (StepOutcome, NotRunReason)? {
        guard let launch, let early = launch.earlyExit() else { return nil }
        return (launch.earlyExitFailure(early, chapter: chapter), .rankLeftEarly(early.rank))
    }

    /// Reaps the program and reports every step not reported yet.
    func conclude() {
        let termination = child.wait()
        launch?.killLeftoverRanks(program: compiled.executable.path)
        run.result.runSeconds = Clock.now - started
        if let sig = Interruption.stoppedBy {
            // Stopped from outside: the steps left are not run, whatever the program's end looked like.
            let name = Interruption.name(sig)
            failure = (.notRun(.signalledWhileRunning(name)), .runStoppedBy(name))
            run.result.stopped = true
            run.result.partial = true
        }
        // A rank that left early may also have ended the job itself (a non-zero code, mpirun's rule).
        if failure == nil, !ended || termination != .exited(0), let early = rankLeftEarly() { failure = early }
        let rankFailed = launch != nil && ended && !run.result.stopped && termination != .exited(0)
        if launch != nil && ended && !rankFailed && failure == nil { endCurrent(at: endedAt) }

        if let (outcome, _) = failure {
            if let step = current {
                failCurrent(step, outcome)
            } else if let first = run.nextToRun() {
                // Out of time (a slow start), or a signal, before the first step began: that step carries it.
                run.settle(upTo: first.number)
                run.queue.removeFirst()
                run.finish(first, outcome, Clock.now - started)
            }
        } else if !ended || rankFailed {
            blameCrash(termination)
        }
        run.finishRemaining(failure?.reason ?? (run.result.stopped ? .stoppedBeforeIt : ended ? .programDidNotReachIt
            : threwUncaught ? .earlierStepThrew : .earlierStepCrashed))
    }
}

extension ProgramRun {
    /// The program died (under mpirun: one rank did, and mpirun ended the others). Blames the
    /// running step (or the first, if none had started).
    private func blameCrash(_ termination: Termination) {
        let crash = describeCrash(termination)
        if let step = current, let thrown = CrashLocator.uncaughtError(crash.stderr) {
            // An error thrown at the top level of a step is the step's failure, not a trap.
            run.dequeue(step)
            let output = String(decoding: currentOutput, as: UTF8.self)
            let printed = OutputMatcher.normalizedLines(output).isEmpty ? ""
                : "\nits output before the error:\n" + StepChecker.indentLines(String(output.suffix(2000)))
            // At the step the throwing rank was in, which rank 0 may have left behind.
            run.finish(step, .failed("the step threw an error\(crash.onRank) at \(chapter.path):\((crash.rankStep ?? step).fenceLine) and nothing caught it "
                + "(catch it, or mark the step expect-error if the error is the lesson):\n  error: \(thrown)" + printed + crash.note),
                       Clock.now - currentStart, output)
            current = nil
            threwUncaught = true
        } else if let step = current {
            failCurrent(step, .crashed(crash.message))
        } else if let first = run.nextToRun() {
            run.settle(upTo: first.number)
            run.queue.removeFirst()
            run.finish(first, .crashed(crash.message))
        }
    }

    /// Who stopped, where and how: under mpirun, the rank that failed (from mpirun's report
    /// and the ranks' files), else the chapter program; with the location of the crash.
    private func describeCrash(_ termination: Termination)
        -> (message: String, stderr: String, onRank: String, note: String, rankStep: Step?) {
        var tail = String(decoding: stderrTail, as: UTF8.self)
        var who = "the chapter program", how = termination.description, onRank = "", note = ""
        var rankStep: Step?   // the step the failing rank was in, when it is not rank 0
        if let launch {
            let processes = chapter.frontMatter.processes ?? 1
            let rank = launch.failure(mpirunStderr: tail)
            tail = rank.stderr
            if let r = rank.rank {
                who = "rank \(r) of \(processes)"
                onRank = " on rank \(r)"
                how = (rank.termination ?? (r == 0 ? termination : nil))?.description ?? "an error"
                rankStep = rank.step.flatMap { n in chapter.steps.first { $0.number == n } }
                if let stepOfRank = rankStep, stepOfRank.number != current?.number {
                    note += "\n  (rank \(r) was in \(stepOfRank.label) at \(chapter.path):\(stepOfRank.fenceLine))"
                }
                if r > 0 { note += "\n  " + launch.filesNote(rank: r) }
            } else {
                who = "one of the \(processes) ranks"
                note += rank.report.isEmpty ? "" : "\n  mpirun said:\n" + StepChecker.indentLines(rank.report)
                note += "\n  the other ranks' output is in \(launch.workShown)/rank-N.stdout and rank-N.stderr"
            }
        }
        let at = CrashLocator.describe(stderr: tail, executable: compiled.executable, chapterPath: chapter.path, plan: run.plan)
            .map { " at \($0)" } ?? ""
        let cleaned = CrashLocator.cleaned(tail)
        let message = "\(who) stopped\(at) with \(how)" + (cleaned.isEmpty ? "" : ":\n" + cleaned) + note
        return (message, tail, onRank, note, rankStep)
    }
}
