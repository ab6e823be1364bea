import Foundation
import Testing
@testable import CourseKit
import TestSupport

// `processes: N` chapters under the real mpirun (issue 17). The fixture programs read
// OMPI_COMM_WORLD_RANK themselves, so they need no MPI library: what is tested is the runner —
// rank 0's stdout checked, the other ranks' output in files, a failing rank named, no hang.

private let hasMPI = Environment.findOnPath("mpirun", ProcessInfo.processInfo.environment["PATH"] ?? "") != nil

/// A workspace with its own cache, so `.course/work/<id>/rank-N.*` can be read back.
private func ownWorkspace(_ names: [String]) throws -> (URL, [String: String]) {
    let dir = try CourseCLI.workspace(names)
    return (dir, ["COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path])
}

private func read(_ dir: URL, _ path: String) -> String {
    (try? String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)) ?? ""
}

@Suite(.enabled(if: hasMPI, "needs mpirun (apt-get install openmpi-bin libopenmpi-dev)"))
struct MultiProcessTests {
    @Test func rankZeroIsCheckedAndTheOtherRanksWriteFiles() throws {
        let (dir, env) = try ownWorkspace(["ranks.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters/ranks.md"], in: dir, environment: env)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "4 passed, 0 failed, 0 skipped")
        #expect(!r.stdout.contains("rank 1"), "rank 1's output is not the step's: \(r.stdout)")
        // threads: 2 shared by 2 ranks: one each.
        let out = read(dir, ".course/work/ranks/rank-1.stdout")
        #expect(out.contains("--- course: step 1 ---\nrank 1 of 2, 1 thread(s)\n--- course: step 2 ---\nsecond step on rank 1\n"), "\(out)")
        #expect(out.contains("PASS double(21) is 42 on rank 1") && out.hasSuffix("--- course: end ---\n"), "\(out)")
        #expect(read(dir, ".course/work/ranks/rank-1.stderr") == "a warning from rank 1\n")
        #expect(r.stderr.contains("a warning from rank 0"), "rank 0's stderr passes through: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".course/work/ranks/rank-0.stdout").path))
        #expect(Int(read(dir, ".course/work/ranks/rank-1.pid").trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
    }

    @Test func aTrapOnRankOneFailsTheStepAndNamesTheRank() throws {
        let (dir, env) = try ownWorkspace(["rank-crash.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let started = Date()
        let r = try CourseCLI.run(["run", "Chapters/rank-crash.md"], in: dir, environment: env)
        // Rank 0 sleeps 60 s in that step: mpirun must end it when rank 1 dies.
        #expect(Date().timeIntervalSince(started) < 40, "no wait for rank 0's sleep")
        #expect(r.status == 1)
        #expect(r.stdout.contains("✓ step 1 \"start\""), "\(r.stdout)")
        #expect(r.stdout.contains("rank 1 of 2 stopped at Chapters/rank-crash.md:19 with signal 4 (SIGILL: a Swift runtime trap):"), "\(r.stdout)")
        #expect(r.stdout.contains("Fatal error: Index out of range"), "\(r.stdout)")
        #expect(r.stdout.contains("rank 1's output is in .course/work/rank-crash/rank-1.stdout and rank-1.stderr"), "\(r.stdout)")
        #expect(r.stdout.contains("not run: an earlier step crashed"), "\(r.stdout)")
        #expect(!r.stderr.contains("mpirun noticed"), "mpirun's own report is folded into the step's: \(r.stderr)")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "1 passed, 2 failed, 0 skipped")
    }

    @Test func anErrorThrownOnRankOneIsTheStepsFailure() throws {
        let (dir, env) = try ownWorkspace(["rank-throws.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters/rank-throws.md"], in: dir, environment: env)
        #expect(r.status == 1)
        #expect(r.stdout.contains("the step threw an error on rank 1 at Chapters/rank-throws.md:6 and nothing caught it"), "\(r.stdout)")
        #expect(r.stdout.contains("error: Chapter.LoadError(file: \"shard-1.safetensors\")"), "\(r.stdout)")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "0 passed, 1 failed, 0 skipped")
    }

    @Test func aRankFailingAfterRankZeroFinishedStillFails() throws {
        let (dir, env) = try ownWorkspace(["rank-late.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters/rank-late.md"], in: dir, environment: env)
        #expect(r.status == 1)
        #expect(r.stdout.contains("rank 1 of 2 stopped with exit code 3"), "\(r.stdout)")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "0 passed, 1 failed, 0 skipped")
    }

    @Test func aHangingRankTimesOutAndNoRankIsLeftRunning() throws {
        let (dir, env) = try ownWorkspace(["rank-hang.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let started = Date()
        let r = try CourseCLI.run(["run", "Chapters/rank-hang.md"], in: dir, environment: env)
        #expect(Date().timeIntervalSince(started) < 40)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✗ step 1 \"hang\"") && r.stdout.contains("timed out"), "\(r.stdout)")
        // The chapter binary lives under dir/.course/build: no live process may still run it.
        let alive = processesLeft(mentioning: dir.path)
        #expect(alive.isEmpty, "left running: \(alive)")
    }

    /// rank 0 is in step 2 when rank 1 throws in step 1: the error is at rank 1's own line.
    @Test func aRanksErrorIsAtItsOwnStepsLine() throws {
        let (dir, env) = try ownWorkspace(["rank-throws-earlier.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters/rank-throws-earlier.md"], in: dir, environment: env)
        #expect(r.status == 1)
        #expect(r.stdout.contains("✓ step 1 \"load\""), "\(r.stdout)")
        #expect(r.stdout.contains("the step threw an error on rank 1 at Chapters/rank-throws-earlier.md:6 and nothing caught it"), "\(r.stdout)")
        #expect(r.stdout.contains("(rank 1 was in step 1 \"load\" at Chapters/rank-throws-earlier.md:6)"), "\(r.stdout)")
        #expect(!r.stdout.contains("rank 1 at Chapters/rank-throws-earlier.md:18"), "\(r.stdout)")
    }

    /// The chapter's limit fired (not the step's): the report says so and names the rank left running.
    @Test func aChapterTimeoutNamesItsLimitAndTheRanksStillRunning() throws {
        let (dir, env) = try ownWorkspace(["rank-chapter-timeout.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let started = Date()
        let r = try CourseCLI.run(["run", "Chapters/rank-chapter-timeout.md"], in: dir, environment: env)
        #expect(Date().timeIntervalSince(started) < 40)
        #expect(r.status == 1)
        #expect(r.stdout.contains("killed: the chapter may run 10 s in all (`timeout: 10` in its front matter)"), "\(r.stdout)")
        #expect(!r.stdout.contains("the step may run 60 s"), "\(r.stdout)")
        #expect(r.stdout.contains("still running when the time ran out: rank 1 of 2 (in step 1 \"hang\" at Chapters/rank-chapter-timeout.md:7)"), "\(r.stdout)")
    }

    /// SIGTERM to `course` alone ends mpirun and every rank (each rank's pid is in rank-N.pid).
    @Test func aSignalToCourseAloneEndsMpirunAndEveryRank() throws {
        let (dir, env) = try ownWorkspace(["rank-sleeper.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let course = try RunningCourse(["run", "Chapters/rank-sleeper.md"], in: dir, environment: env)
        let work = dir.appendingPathComponent(".course/work/rank-sleeper")
        #expect(waitForFile(work.appendingPathComponent("rank-0.pid"), seconds: 120)
                && waitForFile(work.appendingPathComponent("rank-1.pid"), seconds: 30), "the ranks never started")
        Thread.sleep(forTimeInterval: 0.5)
        let ranks = [0, 1].compactMap { pid(in: work.appendingPathComponent("rank-\($0).pid")) }
        // Whatever fails below, neither mpirun nor a rank outlives the test.
        defer { for p in livingProcesses(mentioning: dir.path) { if let p = pid_t(p) { kill(p, SIGKILL) } } }
        #expect(ranks.count == 2 && ranks.allSatisfy(isAlive))
        kill(course.pid, SIGTERM)
        let r = try #require(course.finish(within: 20), "course did not exit, or what it started still holds its output open")
        #expect(r.status == 143, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("not run: stopped by SIGTERM while it ran") && r.stdout.contains("not run: the run was stopped by SIGTERM"), "\(r.stdout)")
        // Neither mpirun nor a rank (their command lines name the program under dir) is left.
        let alive = processesLeft(mentioning: dir.path)
        #expect(alive.isEmpty, "left running: \(alive)")
    }

    /// A rank that calls exit() (code 0 too) while rank 0 waits for it: seen at once, named with
    /// its exit code and its own step's line, and the job ended within seconds, not at the step's
    /// timeout of 40 s. `rank-exit-mpi.md` waits in a real MPI barrier, where the leaving rank
    /// blocks in MPI_Finalize.
    @Test(arguments: [("rank-exit.md", 16), ("rank-exit-mpi.md", 16)])
    func aRankThatLeavesEarlyIsNamedAtOnce(fixture: String, line: Int) throws {
        let (dir, env) = try ownWorkspace([fixture])
        defer { try? FileManager.default.removeItem(at: dir) }
        // A chapter importing the toolkit needs its C libraries' module maps, under Sources/.
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("Sources"),
                                                   withDestinationURL: TestPaths.packageRoot.appendingPathComponent("Sources"))
        let id = String(fixture.dropLast(3))
        let r = try CourseCLI.run(["run", "Chapters/\(fixture)"], in: dir, environment: env)
        // The run's own time (the compile aside): seen at once, not at the step's timeout.
        let ran = r.stdout.range(of: "ran in ").flatMap { Double(r.stdout[$0.upperBound...].prefix { $0.isNumber || $0 == "." }) }
        #expect(ran.map { $0 < 15 } == true, "\(r.stdout)")
        #expect(r.status == 1)
        #expect(r.stdout.contains("✗ step 2 \"leave\""), "\(r.stdout)")
        #expect(r.stdout.contains("rank 1 of 2 stopped with exit code 0 in step 2 \"leave\" (Chapters/\(fixture):\(line)), before the chapter's end"), "\(r.stdout)")
        #expect(r.stdout.contains("rank 1's output is in .course/work/\(id)/rank-1.stdout"), "\(r.stdout)")
        #expect(!r.stdout.contains("timed out"), "\(r.stdout)")
        let alive = processesLeft(mentioning: dir.path)
        #expect(alive.isEmpty, "left running: \(alive)")
    }

    @Test func withoutMPIRunTheMessageSaysWhatToInstall() throws {
        let (dir, env) = try ownWorkspace(["ranks.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CourseCLI.run(["run", "Chapters/ranks.md"], in: dir,
                                  environment: env.merging(["COURSE_MPIRUN": "/nonexistent/mpirun"]) { $1 })
        #expect(r.status == 1)
        #expect(r.stdout.contains("this chapter runs as 2 processes (front matter `processes: 2`) under `mpirun`"), "\(r.stdout)")
        #expect(r.stdout.contains("sudo apt-get install openmpi-bin libopenmpi-dev"), "\(r.stdout)")
        #expect(r.stdout.contains("not run: the chapter could not start"), "\(r.stdout)")
    }

    @Test func exercisesWorkOnAMultiProcessChapter() throws {
        let (dir, env) = try ownWorkspace(["ranks.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let dev = try CourseCLI.run(["dev", "check-exercises", "Chapters/ranks.md"], in: dir, environment: env)
        #expect(dev.status == 0, "\(dev.stdout)\n\(dev.stderr)")
        #expect(dev.stdout.contains("✓ double fails as shipped") && dev.stdout.contains("✓ double passes with its solution"), "\(dev.stdout)")
        _ = try CourseCLI.run(["exercise", "start", "double"], in: dir, environment: env)
        let attempt = try CourseCLI.run(["exercise", "check", "double"], in: dir, environment: env)
        #expect(attempt.status == 1)
        #expect(attempt.stdout.contains("FAIL double(21) is 21"), "\(attempt.stdout)")
        try "func double(_ x: Int) -> Int { x + x }\n".write(to: dir.appendingPathComponent("Exercises/ranks/double.swift"), atomically: true, encoding: .utf8)
        let solved = try CourseCLI.run(["exercise", "check", "double"], in: dir, environment: env)
        #expect(solved.status == 0, "\(solved.stdout)")
        #expect(solved.stdout.contains("PASS double(21) is 42 on rank 0"), "\(solved.stdout)")
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func steppingDrivesRankZeroWhileTheOthersRunOn() throws {
        let (dir, env) = try ownWorkspace(["ranks.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step Chapters/ranks.md", in: dir, environment: env.merging(["NO_COLOR": "1"]) { $1 })
        #expect(try tmux.waitFor("[enter] run"))
        let finished = try tmux.pressEnter(until: "[exit 0]")
        let screen = try tmux.screen()
        #expect(finished, "\(screen)")
        #expect(screen.contains("rank 0 of 2, 1 thread(s)") && screen.contains("second step on rank 0"), "\(screen)")
        // Rank 1 got no stdin from mpirun and so never paused: it ran every step.
        #expect(read(dir, ".course/work/ranks/rank-1.stdout").contains("PASS double(21) is 42 on rank 1"))
    }
}

/// Two runs of one chapter at once share `.course/work/<id>/`: the second waits for the first.
@Test func concurrentRunsOfAChapterTakeTurns() throws {
    let (dir, env) = try ownWorkspace(["slow.md"])
    defer { try? FileManager.default.removeItem(at: dir) }
    final class Box: @unchecked Sendable { var result: CLIResult? }
    let first = Box()
    let thread = Thread { first.result = try? CourseCLI.run(["run", "Chapters/slow.md"], in: dir, environment: env) }
    thread.start()
    Thread.sleep(forTimeInterval: 0.5)
    let second = try CourseCLI.run(["run", "Chapters/slow.md"], in: dir, environment: env)
    while first.result == nil { Thread.sleep(forTimeInterval: 0.1) }
    let results = [first.result!, second]
    for r in results { #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)") }
    #expect(results.contains { $0.stderr.contains("another run of Chapters/slow.md (process ") && $0.stderr.contains("waiting for it to finish") },
            "\(results.map(\.stderr))")
}

@Test func mpirunReportsNameTheFailedRank() {
    let signal = """
        --------------------------------------------------------------------------
        mpirun noticed that process rank 1 with PID 0 on node vm exited on signal 4 (Illegal instruction).
        --------------------------------------------------------------------------
        """
    let (text, reports) = MPILaunch.splitReports("progress 10%\n" + signal)
    #expect(text == "progress 10%" && reports.count == 1)
    #expect(MPILaunch.failedRank(reports[0])?.rank == 1)
    #expect(MPILaunch.failedRank(reports[0])?.termination == .signaled(4))
    let exit = "mpirun detected that one or more processes exited with non-zero status, thus causing\n"
        + "the job to be terminated. The first process to do so was:\n\n  Process name: [[30862,1],3]\n  Exit code:    7\n"
    #expect(MPILaunch.failedRank(exit)?.rank == 3)
    #expect(MPILaunch.failedRank(exit)?.termination == .exited(7))
    #expect(MPILaunch.failedRank("Primary job terminated normally") == nil)
    let abort = "MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD\nwith errorcode 1.\n"
    #expect(MPILaunch.failedRank("MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD with errorcode 1.")?.rank == 1)
    #expect(MPILaunch.failedRank(abort)?.rank == 1)
    #expect(MPILaunch.reportStart(Array(("abc\n" + signal).utf8)[...]) == 4)
    #expect(MPILaunch.reportStart(Array("a line --------------------------------\n".utf8)[...]) == nil)
}

@Test func threadsAreSharedBetweenRanks() {
    #expect(MPILaunch.threadsPerRank(threads: 2, processes: 2) == 1)
    #expect(MPILaunch.threadsPerRank(threads: 8, processes: 2) == 4)
    #expect(MPILaunch.threadsPerRank(threads: 2, processes: 4) == 1)
    #expect(MPILaunch.threadsPerRank(threads: 3, processes: 1) == 3)
}
