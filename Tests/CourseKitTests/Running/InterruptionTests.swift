import Foundation
import Testing

/// A signal sent to the `course` process alone (a CI runner's SIGTERM, `timeout`, `kill PID`)
/// must end the chapter program too, report the steps that did not run, and exit with
/// 128 + the signal. Through the real binary, signalling only its pid.
@Suite struct InterruptionTests {
    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func aSignalToCourseAloneEndsTheChapterProgram(signal: Int32) throws {
        let dir = try CourseCLI.workspace(["sleeper.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent(".course")
        let course = try RunningCourse(["run", "Chapters/sleeper.md"], in: dir, environment: ["COURSE_CACHE_DIR": cache.path])
        let pidFile = cache.appendingPathComponent("work/sleeper/program.pid")
        #expect(waitForFile(pidFile, seconds: 120), "the step never started")
        Thread.sleep(forTimeInterval: 0.3)   // the file is written: the program is about to sleep
        let program = try #require(pid(in: pidFile))
        // Whatever fails below, no orphan outlives the test.
        defer { if isAlive(program) { kill(program, SIGKILL) } }
        #expect(isAlive(program))
        kill(course.pid, signal)
        let r = try #require(course.finish(within: 15), "course did not exit, or what it started still holds its output open")
        #expect(r.status == 128 + signal, "\(r.stdout)\n\(r.stderr)")
        let name = signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "SIGHUP"
        #expect(r.stdout.contains("step 1 \"sleep\"") && r.stdout.contains("not run: stopped by \(name) while it ran"), "\(r.stdout)")
        #expect(r.stdout.contains("step 2 \"after\"") && r.stdout.contains("not run: the run was stopped by \(name)"), "\(r.stdout)")
        #expect(r.lines.last(where: { !$0.isEmpty }) == "0 passed, 2 failed, 0 skipped", "\(r.stdout)")
        // The program is gone, not sleeping on as an orphan.
        var alive = true
        for _ in 0..<50 where alive { alive = isAlive(program); if alive { Thread.sleep(forTimeInterval: 0.1) } }
        #expect(!alive, "the chapter program (pid \(program)) outlived course")
    }

    /// SIGTERM while the chapter compiles ends the compiler too (a stand-in swiftc that sleeps).
    @Test func aSignalWhileCompilingEndsTheCompiler() throws {
        let dir = try CourseCLI.workspace(["sleeper.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        // A committed script: one written here could fail to start ("Text file busy") while a
        // parallel test's child still holds it open.
        let swiftc = CourseCLI.fixtures.appendingPathComponent("slow-swiftc")
        let pidFile = dir.appendingPathComponent("swiftc.pid")
        let course = try RunningCourse(["run", "Chapters/sleeper.md"], in: dir,
                                       environment: ["COURSE_CACHE_DIR": dir.appendingPathComponent(".course").path, "SWIFTC": swiftc.path])
        guard waitForFile(pidFile, seconds: 30) else {
            kill(course.pid, SIGKILL)
            let r = course.finish(within: 5)
            Issue.record("the stand-in swiftc did not start: \(r?.stdout ?? "")\n\(r?.stderr ?? "")")
            return
        }
        Thread.sleep(forTimeInterval: 0.2)
        let compiler = try #require(pid(in: pidFile))
        defer { if isAlive(compiler) { kill(compiler, SIGKILL) } }
        kill(course.pid, SIGTERM)
        let r = try #require(course.finish(within: 15), "course did not exit, or what it started still holds its output open")
        #expect(r.status == 143, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("stopped by SIGTERM while compiling the chapter"), "\(r.stderr)")
        var alive = true
        for _ in 0..<50 where alive { alive = isAlive(compiler); if alive { Thread.sleep(forTimeInterval: 0.1) } }
        #expect(!alive, "the compiler (pid \(compiler)) outlived course")
    }

    /// `course step` waiting for a key, its chapter program paused: SIGTERM ends both at once.
    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func aSignalEndsCourseStepWaitingForAKey() throws {
        let dir = try CourseCLI.workspace(["sleeper.md"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent(".course")
        let programs = cache.path + "/build/"   // where the chapter program's binary is (the shell's line names only .course)
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start("'\(CourseCLI.binary.path)' step Chapters/sleeper.md", in: dir,
                       environment: ["COURSE_CACHE_DIR": cache.path, "NO_COLOR": "1"])
        #expect(try tmux.waitFor("[enter] run", timeout: 120))
        defer { for p in livingProcesses(mentioning: programs) { if let p = pid_t(p) { kill(p, SIGKILL) } } }
        #expect(!livingProcesses(mentioning: programs).isEmpty, "the chapter program waits, paused")
        let course = try #require(coursePid(in: dir))
        kill(course, SIGTERM)
        let exited = try tmux.waitFor("[exit 143]", timeout: 10)
        #expect(exited, "\((try? tmux.screen()) ?? "")")
        let alive = processesLeft(mentioning: programs)
        #expect(alive.isEmpty, "left running: \(alive)")
    }
}
