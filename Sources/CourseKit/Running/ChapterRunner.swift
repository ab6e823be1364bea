import Foundation

// Runs one chapter: compile (cached), start the program as a child, split its stdout per step
// at the control lines, enforce the per-step and per-chapter timeouts, and evaluate each step
// as soon as it ends (so reports can be live). The phases share a ChapterRun (the results so
// far); ProgramRun is the program while it runs.

public struct RunOptions: Sendable {
    /// Steps before this one run (their state is needed) but are not checked.
    public var from: Int?
    /// Steps after this one are not run.
    public var until: Int?
    /// Exercise attempts etc.
    public var plan = ProgramPlan()
    /// Pass the child's stderr through to ours (progress bars, warnings).
    public var passStderr = true
    /// Let the Trainer replay a fine-tune recorded earlier with exactly the same inputs
    /// (`course step`, `course exercise check`; never `course check` or `course run`).
    public var replay = false

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

    /// Resolves `--from`/`--until` values: a step's number as the learner counts them (the
    /// number `course step`'s headers and `course run`'s lines show), or a step's id written
    /// bare (`train`) or as its fence attribute reads (`id=train`). Returns the step's position
    /// among all the chapter's blocks (`Step.number`).
    public static func stepNumber(_ value: String, in chapter: Chapter) throws -> Int {
        let value = value.hasPrefix("id=") ? String(value.dropFirst(3)) : value
        if let n = Int(value) {
            guard let step = chapter.steps.first(where: { $0.shownNumber == n }) else {
                let count = chapter.steps.filter(\.isShown).count
                throw CourseError("\(chapter.path) has no step \(n) (its steps go from 1 to \(count))")
            }
            return step.number
        }
        guard let step = chapter.steps.first(where: { $0.attributes.id == value }) else {
            let ids = chapter.steps.compactMap(\.attributes.id)
            throw CourseError("\(chapter.path) has no step with id=\(value); ids: \(ids.isEmpty ? "none" : ids.joined(separator: ", "))")
        }
        return step.number
    }

    /// Runs the chapter in its phases: compile, launch (holding the work directory), collect
    /// the steps' results as the program runs, conclude when it ends.
    public func run(_ chapter: Chapter, options: RunOptions = RunOptions()) throws -> ChapterResult {
        let run = ChapterRun(chapter: chapter, options: options, onStep: onStep)
        guard let compiled = try compile(run) else { return run.result }
        // Run, holding the work directory's lock (another run of the chapter would delete it).
        let work = environment.cache.appendingPathComponent("work/\(chapter.id)")
        let lock = try WorkLock.acquire(work, chapterPath: chapter.path)
        defer { lock.release() }
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        guard let program = try launch(run, compiled: compiled, work: work) else { return run.result }
        program.collect()
        program.conclude()
        return run.result
    }

    /// Compiles the chapter program (cached); when it does not compile, reports every step and returns nil.
    private func compile(_ run: ChapterRun) throws -> CompiledProgram? {
        let compiled: CompiledProgram
        do {
            compiled = try Compiler(environment: environment).compile(run.chapter, plan: run.plan)
        } catch let failure as CompileFailure {
            // The step the error is in carries it (or the first that runs, for an error outside the steps).
            let firstRunning = run.reported.first(where: \.runs)?.number
            run.reportWithoutRunning(blame: { step in
                step.number == failure.step || (failure.step == nil && step.number == firstRunning) ? .compileError(failure.diagnostics) : nil
            }, others: .chapterDidNotCompile)
            return nil
        }
        run.result.compileSeconds = compiled.seconds
        run.result.compileCached = compiled.cached
        return compiled
    }

    /// Starts the program in `work` (under mpirun with `processes:` above 1); when mpirun is
    /// missing, reports every step and returns nil.
    private func launch(_ run: ChapterRun, compiled: CompiledProgram, work: URL) throws -> ProgramRun? {
        let chapter = run.chapter
        var env = ProcessInfo.processInfo.environment
        let processes = chapter.frontMatter.processes ?? 1
        let threads = chapter.frontMatter.threads ?? FrontMatter.defaultThreads
        var launch: MPILaunch?
        if processes > 1 {
            guard let found = MPILaunch.find(processes: processes, work: work, root: environment.root, environment: env) else {
                var first = true   // the first step to run carries the failure
                run.reportWithoutRunning(blame: { _ in
                    defer { first = false }
                    return first ? .failed(MPILaunch.missingMessage(processes: processes, environment: env)) : nil
                }, others: .chapterCouldNotStart)
                return nil
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
        // The toolkit's command-line tools (`finetune`) sit beside the library it was built
        // with: a chapter that runs them as a child process finds them on PATH, the same build.
        if let toolkit = environment.toolkit {
            env["PATH"] = toolkit.path + (env["PATH"].map { ":" + $0 } ?? "")
        }
        if isatty(2) != 0 { env["COURSE_TTY"] = "1" }
        env["COURSE_REPLAY_DIR"] = nil
        env["COURSE_REPLAY_BUILD"] = nil
        if run.options.replay, processes == 1 {
            env["COURSE_REPLAY_DIR"] = environment.cache.appendingPathComponent("replay").path
            env["COURSE_REPLAY_BUILD"] = Compiler(environment: environment).toolkitBuildKey()
        }
        if beforeStep != nil { env["COURSE_PAUSE"] = "1" }

        let started = Clock.now
        let child = try ChildProcess(executable: launch?.mpirun ?? compiled.executable.path,
                                     arguments: launch?.arguments(program: compiled.executable.path) ?? [], environment: env,
                                     workingDirectory: work.path, pipeStdin: beforeStep != nil, ownGroup: true)
        // mpirun must pass a kill on to the ranks: SIGTERM first, SIGKILL only if it lingers.
        child.terminatesGently = launch != nil
        return ProgramRun(run: run, child: child, launch: launch, compiled: compiled, started: started, runner: self)
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
