import Foundation
import Testing

/// Runs the `mpi-check` program (built by `swift test` next to the test bundle) alone or under
/// `mpirun -n 2`, with a timeout, and returns its exit status and output.
enum MPIRun {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
        /// stdout's lines parsed as JSON objects (rank 0 prints one per line).
        var objects: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
        }
    }

    /// `mpirun` on PATH, or nil (then the MPI tests are skipped, saying what to install).
    static let mpirun: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
    static let available = mpirun != nil
    static let skipReason: Comment = "mpirun not found: install Open MPI (apt install openmpi-bin libopenmpi-dev, or Scripts/setup.sh)"

    /// The `mpi-check` executable next to this test bundle.
    static var program: URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDir.appendingPathComponent("mpi-check"),
                          bundleDir.deletingLastPathComponent().appendingPathComponent("mpi-check")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// What every run here needs: root is allowed (CI containers), ranks may outnumber cores,
    /// no single-copy shared memory (not permitted in some sandboxes), one thread per rank.
    static let mpirunFlags = ["--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
                              "-x", "COURSE_THREADS=1"]

    /// `mpirun -n ranks [extra] mpi-check arguments`.
    static func ranks(_ n: Int, _ arguments: [String], mpiFlags extra: [String] = [], timeout: Double = 120) throws -> Result {
        guard let mpirun else { throw TestSkip() }
        return try run(mpirun, ["-n", String(n)] + mpirunFlags + extra + [program.path] + arguments, timeout: timeout)
    }

    /// `mpi-check arguments` as a plain process (no MPI at all), one thread.
    static func single(_ arguments: [String], timeout: Double = 120) throws -> Result {
        try run(program, arguments, timeout: timeout)
    }

    struct TestSkip: Error {}

    private static func run(_ executable: URL, _ arguments: [String], timeout: Double) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        env["COURSE_THREADS"] = "1"
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        final class Box: @unchecked Sendable { var data = Data(); var timedOut = false }
        let errBox = Box(), flag = Box()
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread { errBox.data = errHandle.readDataToEndOfFile(); done.signal() }.start()
        // The timeout: a hung job is terminated (mpirun passes the signal to its ranks).
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            if process.isRunning { flag.timedOut = true; kill(pid, SIGTERM) }
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self), timedOut: flag.timedOut)
    }
}
