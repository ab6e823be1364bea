import Foundation
#if canImport(Glibc)
import Glibc
#endif

// A chapter with `processes: N` runs as N MPI ranks: `mpirun -n N program`. Rank 0 is the
// program the runner talks to: mpirun forwards its stdout (the step markers and the output
// that is checked), its stderr, and the runner's stdin (`course step`'s go-aheads: Open MPI
// sends stdin to rank 0 only). The other ranks run the same program without pausing — they
// keep in step with rank 0 through the collectives the chapter calls — and the prelude
// redirects their stdout and stderr to files in the chapter's work directory, which is where
// a failing rank's own message is read from.
//
// When a rank dies, mpirun ends the others and prints a report between lines of dashes
// ("mpirun noticed that process rank 1 ... exited on signal 4"); that report, or failing it the
// rank whose stderr holds a Swift runtime error, names the rank the step's failure is blamed on.

struct MPILaunch {
    let mpirun: String
    let processes: Int
    /// The chapter's work directory: the ranks' working directory and where ranks 1... write.
    let work: URL
    /// How the work directory is named in messages (relative to the course root when under it).
    let workShown: String

    /// What the runner reports when a `processes:` chapter meets a machine without mpirun.
    static func missingMessage(processes: Int, environment: [String: String]) -> String {
        let where_ = environment["COURSE_MPIRUN"].flatMap { $0.isEmpty ? nil : "COURSE_MPIRUN names \($0), which is not an executable file" }
            ?? "which is not on PATH"
        return "this chapter runs as \(processes) processes (front matter `processes: \(processes)`) under `mpirun`, "
            + "\(where_): install Open MPI (`sudo apt-get install openmpi-bin libopenmpi-dev`, "
            + "or run Scripts/setup.sh), or put the directory holding mpirun on PATH"
    }

    /// Finds mpirun on PATH (`COURSE_MPIRUN` overrides); nil when there is none.
    static func find(processes: Int, work: URL, root: URL, environment: [String: String]) -> MPILaunch? {
        let path: String?
        if let override = environment["COURSE_MPIRUN"], !override.isEmpty {
            path = FileManager.default.isExecutableFile(atPath: override) ? override : nil
        } else {
            path = Environment.findOnPath("mpirun", environment["PATH"] ?? "")
        }
        guard let path else { return nil }
        let rootPath = root.standardizedFileURL.path + "/"
        let workPath = work.standardizedFileURL.path
        let shown = workPath.hasPrefix(rootPath) ? String(workPath.dropFirst(rootPath.count)) : workPath
        return MPILaunch(mpirun: path, processes: processes, work: work, workShown: shown)
    }

    /// OpenBLAS threads for each rank: the chapter's threads shared out, at least one each.
    static func threadsPerRank(threads: Int, processes: Int) -> Int { max(1, threads / max(1, processes)) }

    /// mpirun's arguments before the program. Root needs `--allow-run-as-root`; the ranks
    /// may outnumber the cores (`--oversubscribe`) and are not pinned to one core each
    /// (`--bind-to none`: a rank with two threads pinned to one core would run at half speed);
    /// the shared-memory transport copies through a buffer, since the kernel's single-copy
    /// mechanism is refused in containers and sandboxes.
    func arguments(program: String) -> [String] {
        var args: [String] = []
        if geteuid() == 0 { args.append("--allow-run-as-root") }
        args += ["--oversubscribe", "--bind-to", "none",
                 "--mca", "btl_vader_single_copy_mechanism", "none",
                 "-n", String(processes), program]
        return args
    }

    /// Ends every rank still running `program` once mpirun is gone: mpirun normally ends them
    /// itself, but one killed (or slow to die under load) can leave a rank behind, reparented.
    /// Each rank wrote its pid to `rank-N.pid`; a pid now running something else is left alone.
    func killLeftoverRanks(program: String) {
        for (_, pid) in runningRanks(program: program) { _ = kill(pid, SIGKILL) }
    }

    /// The ranks whose process (from `rank-N.pid`) still runs `program`, with their pids; an
    /// exited rank (a zombie mpirun has not reaped yet) does not count.
    func runningRanks(program: String) -> [(rank: Int, pid: pid_t)] {
        let target = URL(fileURLWithPath: program).resolvingSymlinksInPath().path
        return (0..<processes).compactMap { rank in
            guard let text = try? String(contentsOf: work.appendingPathComponent("rank-\(rank).pid"), encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
                  let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"),
                  URL(fileURLWithPath: exe).resolvingSymlinksInPath().path == target,
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  !stat.contains(") Z ") else { return nil }
            return (rank, pid)
        }
    }

    func stdoutFile(rank: Int) -> URL { work.appendingPathComponent("rank-\(rank).stdout") }
    func stderrFile(rank: Int) -> URL { work.appendingPathComponent("rank-\(rank).stderr") }

    /// Where rank `rank`'s output is, for a message.
    func filesNote(rank: Int) -> String {
        "rank \(rank)'s output is in \(workShown)/rank-\(rank).stdout and rank-\(rank).stderr"
    }

    /// What is known about a failed run: the rank, how it ended, the stderr to read the crash
    /// from, and the step that rank was in.
    struct Failure {
        var rank: Int?
        var termination: Termination?
        var stderr: String
        var step: Int?
        /// mpirun's own report, when no rank could be named.
        var report: String
    }

    /// Reads mpirun's stderr (rank 0's stderr with mpirun's reports) and the other ranks' files.
    func failure(mpirunStderr: String) -> Failure {
        let (rank0, reports) = MPILaunch.splitReports(mpirunStderr)
        let reported = MPILaunch.failedRank(reports.joined(separator: "\n"))
        var rank = reported?.rank
        if rank == nil {
            // No report (mpirun itself was killed, say): the first rank whose stderr shows a
            // Swift runtime error.
            rank = (0..<processes).first { r in
                let text = r == 0 ? rank0 : ((try? String(contentsOf: stderrFile(rank: r), encoding: .utf8)) ?? "")
                return text.contains("Fatal error") || text.contains("Current stack trace:")
            }
        }
        var stderr = rank0
        var step: Int?
        if let r = rank, r > 0 {
            stderr = String(((try? String(contentsOf: stderrFile(rank: r), encoding: .utf8)) ?? "").suffix(8192))
            step = lastStep(rank: r)
        }
        return Failure(rank: rank, termination: reported?.termination, stderr: stderr, step: step,
                       report: reports.joined(separator: "\n"))
    }

    /// The step rank `rank` last started, from the markers in its stdout file.
    func lastStep(rank: Int) -> Int? {
        guard let text = try? String(contentsOf: stdoutFile(rank: rank), encoding: .utf8) else { return nil }
        var last: Int?
        for line in text.split(separator: "\n") where line.hasPrefix(MPILaunch.stepMarker) {
            last = Int(line.dropFirst(MPILaunch.stepMarker.count).prefix { $0.isNumber })
        }
        return last
    }

    /// How ranks 1... mark a step in their stdout file (readable; rank 0's markers are control lines).
    static let stepMarker = "--- course: step "

    /// Where mpirun's first report (a line of dashes at a line start) begins in a chunk of its
    /// stderr, if it does.
    static func reportStart(_ bytes: ArraySlice<UInt8>) -> Int? {
        let dash = UInt8(ascii: "-"), newline = UInt8(ascii: "\n")
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let lineStart = i
            while i < bytes.endIndex && bytes[i] == dash { i += 1 }
            if i - lineStart >= 20 && (i == bytes.endIndex || bytes[i] == newline) { return lineStart }
            while i < bytes.endIndex && bytes[i] != newline { i += 1 }
            i += 1
        }
        return nil
    }

    /// Splits mpirun's stderr into the ranks' own text and mpirun's reports (blocks between
    /// lines of dashes).
    static func splitReports(_ stderr: String) -> (text: String, reports: [String]) {
        var text: [Substring] = [], reports: [String] = [], block: [Substring]?
        for line in stderr.split(separator: "\n", omittingEmptySubsequences: false) {
            let isRule = line.count >= 20 && line.allSatisfy { $0 == "-" }
            if isRule {
                if let open = block { if !open.isEmpty { reports.append(open.joined(separator: "\n")) }; block = nil }
                else { block = [] }
            } else if block != nil {
                block!.append(line)
            } else {
                text.append(line)
            }
        }
        if let open = block, !open.isEmpty { reports.append(open.joined(separator: "\n")) }
        return (text.joined(separator: "\n"), reports)
    }

    /// The rank Open MPI's report names and how it ended: "process rank 1 with PID 0 on node vm
    /// exited on signal 4 (Illegal instruction)", or "Process name: [[30862,1],1]" followed by
    /// "Exit code:    3".
    static func failedRank(_ report: String) -> (rank: Int, termination: Termination?)? {
        let lines = report.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for (i, line) in lines.enumerated() {
            // "MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD with errorcode 1."
            if let r = line.range(of: "MPI_ABORT was invoked on rank "),
               let rank = Int(line[r.upperBound...].prefix { $0.isNumber }) {
                var termination: Termination?
                if let c = line.range(of: "errorcode ") { termination = Int32(line[c.upperBound...].prefix { $0.isNumber }).map { .exited($0) } }
                return (rank, termination)
            }
            if let r = line.range(of: "process rank ") {
                let rest = line[r.upperBound...]
                guard let rank = Int(rest.prefix { $0.isNumber }) else { continue }
                var termination: Termination?
                if let s = line.range(of: "on signal ") { termination = Int32(line[s.upperBound...].prefix { $0.isNumber }).map { .signaled($0) } }
                return (rank, termination)
            }
            if line.hasPrefix("Process name: [["), let job = line.range(of: "],"),
               let rank = Int(line[job.upperBound...].prefix { $0.isNumber }) {
                var termination: Termination?
                if i + 1 < lines.count, lines[i + 1].hasPrefix("Exit code:") {
                    termination = Int32(lines[i + 1].dropFirst("Exit code:".count).trimmingCharacters(in: .whitespaces)).map { .exited($0) }
                }
                return (rank, termination)
            }
        }
        return nil
    }
}
