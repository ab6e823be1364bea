import Foundation

// Runs one chapter: compile (cached), start the program as a child, split its stdout per step
// at the control lines, enforce the per-step and per-chapter timeouts, and evaluate each step
// as soon as it ends (so reports can be live).

public struct RunOptions: Sendable {
    /// Steps before this one run (their state is needed) but are not checked.
    public var from: Int?
    /// Steps after this one are not run.
    public var until: Int?
    /// Exercise attempts etc.
    public var plan = ProgramPlan()
    /// Pass the child's stderr through to ours (progress bars, warnings).
    public var passStderr = true

    public init() {}
}

public final class ChapterRunner {
    public let environment: Environment
    /// Called as each step's result is known, in order.
    public var onStep: ((StepResult) -> Void)?
    /// Called before a step starts when the program runs paused (`course step`); return false to stop.
    public var beforeStep: ((Step) -> Bool)?
    /// Called with a step's stdout as it arrives (`course step` shows it live).
    public var onOutput: ((Step, [UInt8]) -> Void)?
    /// Called with the child's stderr as it arrives, instead of passing it through (`course step` dims it).
    public var onStderr: (([UInt8]) -> Void)?

    public init(environment: Environment) { self.environment = environment }

    /// Resolves `--from`/`--until` values: a step number, or a step's id written bare (`train`)
    /// or as its fence attribute reads (`id=train`).
    public static func stepNumber(_ value: String, in chapter: Chapter) throws -> Int {
        let value = value.hasPrefix("id=") ? String(value.dropFirst(3)) : value
        if let n = Int(value) {
            guard chapter.steps.contains(where: { $0.number == n }) else {
                throw CourseError("\(chapter.path) has no step \(n) (it has \(chapter.steps.count) steps)")
            }
            return n
        }
        guard let step = chapter.steps.first(where: { $0.attributes.id == value }) else {
            let ids = chapter.steps.compactMap(\.attributes.id)
            throw CourseError("\(chapter.path) has no step with id=\(value); ids: \(ids.isEmpty ? "none" : ids.joined(separator: ", "))")
        }
        return step.number
    }

    public func run(_ chapter: Chapter, options: RunOptions = RunOptions()) throws -> ChapterResult {
        var plan = options.plan
        if let until = options.until { plan.lastStep = min(plan.lastStep ?? until, until) }
        var result = ChapterResult(chapter: chapter, steps: [])
        result.partial = options.from != nil || options.until != nil
        let reported = chapter.steps.filter { if case .exercise = $0.attributes.role { return false }; return true }

        func finish(_ step: Step, _ outcome: StepOutcome, _ seconds: Double = 0, _ output: String? = nil) {
            let r = StepResult(step: step, outcome: outcome, seconds: seconds, output: output)
            result.steps.append(r)
            onStep?(r)
        }
        func inScope(_ step: Step) -> Bool { plan.lastStep.map { step.number <= $0 } ?? true }
        func leftOut(_ step: Step) -> Bool { plan.onlySteps.map { !$0.contains(step.number) } ?? false }

        // Compile.
        let compiled: CompiledProgram
        do {
            compiled = try Compiler(environment: environment).compile(chapter, plan: plan)
        } catch let failure as CompileFailure {
            for step in reported {
                if !step.runs { finish(step, .skipped("no-run")) }
                else if !inScope(step) { finish(step, .skipped("after --until")) }
                else if leftOut(step) { finish(step, .skipped("not needed by the exercise")) }
                else if step.number == failure.step || (failure.step == nil && step.number == reported.first(where: \.runs)?.number) {
                    finish(step, .compileError(failure.diagnostics))
                } else { finish(step, .notRun("the chapter did not compile")) }
            }
            return result
        }
        result.compileSeconds = compiled.seconds
        result.compileCached = compiled.cached

        // Run, holding the work directory's lock (another run of the chapter would delete it).
        let work = environment.cache.appendingPathComponent("work/\(chapter.id)")
        let lock = try WorkLock.acquire(work, chapterPath: chapter.path)
        defer { lock.release() }
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        let processes = chapter.frontMatter.processes ?? 1
        let threads = chapter.frontMatter.threads ?? FrontMatter.defaultThreads
        var launch: MPILaunch?
        if processes > 1 {
            guard let found = MPILaunch.find(processes: processes, work: work, root: environment.root, environment: env) else {
                var first = true
                for step in reported {
                    if !step.runs { finish(step, .skipped("no-run")) }
                    else if !inScope(step) { finish(step, .skipped("after --until")) }
                    else if leftOut(step) { finish(step, .skipped("not needed by the exercise")) }
                    else if first { finish(step, .failed(MPILaunch.missingMessage(processes: processes, environment: env))); first = false }
                    else { finish(step, .notRun("the chapter could not start")) }
                }
                return result
            }
            launch = found
            env["COURSE_RANK_DIR"] = work.path
            // The toolkit's own thread count per rank (it would otherwise take cores ÷ ranks).
            env["COURSE_THREADS"] = String(MPILaunch.threadsPerRank(threads: threads, processes: processes))
        }
        env["OPENBLAS_NUM_THREADS"] = String(MPILaunch.threadsPerRank(threads: threads, processes: processes))
        env["SWIFT_BACKTRACE"] = "enable=no"
        env["COURSE_CHAPTER"] = chapter.path
        env["COURSE_ROOT"] = environment.root.path
        if isatty(2) != 0 { env["COURSE_TTY"] = "1" }
        if beforeStep != nil { env["COURSE_PAUSE"] = "1" }

        let started = Clock.now
        let child = try ChildProcess(executable: launch?.mpirun ?? compiled.executable.path,
                                     arguments: launch?.arguments(program: compiled.executable.path) ?? [], environment: env,
                                     workingDirectory: work.path, pipeStdin: beforeStep != nil, ownGroup: true)
        // mpirun must pass a kill on to the ranks: SIGTERM first, SIGKILL only if it lingers.
        child.terminatesGently = launch != nil
        let chapterDeadline = started + (chapter.frontMatter.timeout ?? FrontMatter.defaultTimeout)
        var stream = ControlStream()
        var current: Step?
        var currentStart = started
        var currentOutput: [UInt8] = []
        var threw: Bool?
        var ended = false
        var endedAt = started
        var stderrTail: [UInt8] = []
        var queue = reported[...]   // results not yet reported, in order

        // Reports everything before `number` that did not run as part of the program.
        func settle(upTo number: Int) {
            while let next = queue.first, next.number < number {
                queue.removeFirst()
                if !next.runs { finish(next, .skipped("no-run")) }
                else if leftOut(next) { finish(next, .skipped("not needed by the exercise")) }
            }
        }
        func endCurrent(at time: Double) {
            guard let step = current else { return }
            let output = String(decoding: currentOutput, as: UTF8.self)
            var outcome: StepOutcome
            if let from = options.from, step.number < from {
                outcome = .skipped("before --from")
            } else {
                outcome = StepChecker.evaluate(step, output: output, threw: step.attributes.expectError ? (threw ?? true) : nil,
                                               chapterPath: chapter.path)
            }
            if let first = queue.first, first.number == step.number { queue.removeFirst() }
            finish(step, outcome, time - currentStart, output)
            current = nil
        }

        /// Applies stdout items; true when the run must stop (the learner quit).
        func handle(_ items: [ControlStream.Item]) -> Bool {
            for item in items {
                switch item {
                case .text(let text):
                    currentOutput += text
                    if let step = current { onOutput?(step, text) }
                case .control(let control):
                    let now = Clock.now
                    if control.hasPrefix("step "), let n = Int(control.dropFirst(5)),
                       let step = chapter.steps.first(where: { $0.number == n }) {
                        endCurrent(at: now)
                        settle(upTo: n)
                        if let beforeStep, !beforeStep(step) {
                            child.closeStdin(); child.kill(); ended = true
                            result.stopped = true
                            result.partial = true
                            return true
                        }
                        current = step
                        currentStart = Clock.now
                        currentOutput = []
                        threw = nil
                        if beforeStep != nil { child.send("run") }
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

        /// What ended the run early (a timeout, a signal), and what the steps after it are told.
        var failure: (outcome: StepOutcome, reason: String)?
        var threwUncaught = false
        var stackDump = false
        // Under mpirun: how often to look for a rank that left early (see RankExit.swift).
        let rankCheckInterval = 0.2
        var nextRankCheck = started
        func rankLeftEarly() -> (StepOutcome, String)? {
            guard let launch, let early = launch.earlyExit() else { return nil }
            return (launch.earlyExitFailure(early, chapter: chapter), "rank \(early.rank) left the job early")
        }
        loop: while true {
            if launch != nil, Clock.now >= nextRankCheck {
                nextRankCheck = Clock.now + rankCheckInterval
                if let early = rankLeftEarly() {
                    failure = early
                    child.kill()
                    break loop
                }
            }
            let stepDeadline = current.map { currentStart + ($0.attributes.timeout ?? StepAttributes.defaultTimeout) } ?? chapterDeadline
            let deadline = min(stepDeadline, chapterDeadline)
            var wait = max(0, deadline - Clock.now)
            if launch != nil { wait = min(wait, rankCheckInterval) }
            switch child.next(timeout: wait) {
            case .stdout(let bytes):
                if handle(stream.feed(bytes)) { break loop }
            case .stderr(let bytes):
                // The runtime's raw stack dump after a trap or an uncaught error names no source
                // line: it is not passed through (the step's report says where and why).
                if options.passStderr && !stackDump {
                    var shown = bytes[...]
                    if let cut = CrashLocator.stackDumpStart(bytes) { shown = bytes[..<cut]; stackDump = true }
                    // mpirun's report that a rank died: the step's report names the rank instead.
                    if launch != nil, let cut = MPILaunch.reportStart(shown) { shown = shown[..<cut]; stackDump = true }
                    if let onStderr { onStderr(Array(shown)) } else { shown.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) } }
                }
                stderrTail += bytes
                if stderrTail.count > 8192 { stderrTail.removeFirst(stderrTail.count - 8192) }
            case .timeout:
                if Clock.now < deadline { continue loop }   // only the look for a rank that left early
                // Which limit fired is the nearer deadline, not the clock (poll may wake early).
                var limit = TimeLimit.describe(chapter: chapter, step: current, chapterFired: chapterDeadline <= stepDeadline)
                // Before the kill, so the ranks' own state is still there to read.
                if let launch { limit += TimeLimit.stillRunning(launch, program: compiled.executable.path, rankZeroStep: current, chapter: chapter) }
                child.kill()
                failure = (.timedOut(Clock.now - currentStart, limit: limit), "an earlier step timed out")
                break loop
            case .interrupted:
                // `course` got SIGTERM/SIGINT/SIGHUP and passed it on: let the program end by it.
                child.endAfterSignal()
                break loop
            case .closed:
                _ = handle(stream.finish())
                break loop
            }
        }
        let termination = child.wait()
        launch?.killLeftoverRanks(program: compiled.executable.path)
        result.runSeconds = Clock.now - started
        if let sig = Interruption.stoppedBy {
            // Stopped from outside: the steps left are not run, whatever the program's end looked like.
            let name = Interruption.name(sig)
            failure = (.notRun("stopped by \(name) while it ran: `course` received it and passed it on to the chapter program"),
                       "the run was stopped by \(name)")
            result.stopped = true
            result.partial = true
        }
        // A rank that left early may also have ended the job itself (a non-zero code, mpirun's rule).
        if failure == nil, !ended || termination != .exited(0), let early = rankLeftEarly() { failure = early }
        let rankFailed = launch != nil && ended && !result.stopped && termination != .exited(0)
        if launch != nil && ended && !rankFailed && failure == nil { endCurrent(at: endedAt) }

        if let (outcome, _) = failure {
            if let step = current {
                if let first = queue.first, first.number == step.number { queue.removeFirst() }
                finish(step, outcome, Clock.now - currentStart, String(decoding: currentOutput, as: UTF8.self))
                current = nil
            } else if let first = queue.first(where: { $0.runs && inScope($0) }) {
                // Out of time (a slow start), or a signal, before the first step began: that step carries it.
                settle(upTo: first.number)
                queue.removeFirst()
                finish(first, outcome, Clock.now - started)
            }
        } else if !ended || rankFailed {
            // The program died (under mpirun: one rank did, and mpirun ended the others).
            // Blame the running step (or the first, if none had started).
            var tail = String(decoding: stderrTail, as: UTF8.self)
            var who = "the chapter program", how = termination.description, onRank = "", note = ""
            var rankStep: Step?   // the step the failing rank was in, when it is not rank 0
            if let launch {
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
            let at = CrashLocator.describe(stderr: tail, executable: compiled.executable, chapterPath: chapter.path, plan: plan)
                .map { " at \($0)" } ?? ""
            let cleaned = CrashLocator.cleaned(tail)
            let message = "\(who) stopped\(at) with \(how)" + (cleaned.isEmpty ? "" : ":\n" + cleaned) + note
            if let step = current, let thrown = CrashLocator.uncaughtError(tail) {
                // An error thrown at the top level of a step is the step's failure, not a trap.
                if let first = queue.first, first.number == step.number { queue.removeFirst() }
                let output = String(decoding: currentOutput, as: UTF8.self)
                let printed = OutputMatcher.normalizedLines(output).isEmpty ? ""
                    : "\nits output before the error:\n" + StepChecker.indentLines(String(output.suffix(2000)))
                // At the step the throwing rank was in, which rank 0 may have left behind.
                finish(step, .failed("the step threw an error\(onRank) at \(chapter.path):\((rankStep ?? step).fenceLine) and nothing caught it "
                    + "(catch it, or mark the step expect-error if the error is the lesson):\n  error: \(thrown)" + printed + note),
                       Clock.now - currentStart, output)
                current = nil
                threwUncaught = true
            } else if let step = current {
                if let first = queue.first, first.number == step.number { queue.removeFirst() }
                finish(step, .crashed(message), Clock.now - currentStart, String(decoding: currentOutput, as: UTF8.self))
                current = nil
            } else if let first = queue.first(where: { $0.runs && inScope($0) }) {
                settle(upTo: first.number)
                queue.removeFirst()
                finish(first, .crashed(message))
            }
        }
        let reason = failure?.reason ?? (result.stopped ? "stopped before it" : ended ? "the program did not reach it"
            : threwUncaught ? "an earlier step threw an error" : "an earlier step crashed")
        while let step = queue.popFirst() {
            if !step.runs { finish(step, .skipped("no-run")) }
            else if !inScope(step) { finish(step, .skipped("after --until")) }
            else if leftOut(step) { finish(step, .skipped("not needed by the exercise")) }
            else { finish(step, .notRun(reason)) }
        }
        return result
    }
}

/// Splits the child's stdout into text and control lines (`\u{1E}course:...\u{1E}\n`), across
/// reads that may cut a control line anywhere. A record separator not followed by `course:` is
/// ordinary text.
struct ControlStream {
    enum Item { case text([UInt8]), control(String) }
    private var pending: [UInt8] = []
    private static let rs: UInt8 = 0x1E
    private static let prefix = Array("course:".utf8)

    mutating func feed(_ bytes: [UInt8]) -> [Item] {
        pending += bytes
        var items: [Item] = []
        var start = 0
        func keep(from index: Int) -> [Item] {
            pending = Array(pending[index...])
            return items
        }
        while let open = pending[start...].firstIndex(of: ControlStream.rs) {
            if open > start { items.append(.text(Array(pending[start..<open]))) }
            let bodyStart = open + 1
            let available = pending.count - bodyStart
            let compared = min(available, ControlStream.prefix.count)
            guard pending[bodyStart..<(bodyStart + compared)].elementsEqual(ControlStream.prefix.prefix(compared)) else {
                items.append(.text([ControlStream.rs]))
                start = bodyStart
                continue
            }
            if available < ControlStream.prefix.count { return keep(from: open) }
            let textStart = bodyStart + ControlStream.prefix.count
            guard let close = pending[textStart...].firstIndex(of: ControlStream.rs), close + 1 < pending.count else {
                return keep(from: open)
            }
            items.append(.control(String(decoding: pending[textStart..<close], as: UTF8.self)))
            start = pending[close + 1] == UInt8(ascii: "\n") ? close + 2 : close + 1
        }
        if start < pending.count { items.append(.text(Array(pending[start...]))) }
        pending = []
        return items
    }

    /// At end of stream: a complete control line still held back, or the rest as text.
    mutating func finish() -> [Item] {
        defer { pending = [] }
        guard !pending.isEmpty else { return [] }
        if pending.count > ControlStream.prefix.count + 1, pending.last == ControlStream.rs,
           pending[1...].starts(with: ControlStream.prefix) {
            return [.control(String(decoding: pending[(1 + ControlStream.prefix.count)..<(pending.count - 1)], as: UTF8.self))]
        }
        return [.text(pending)]
    }
}
