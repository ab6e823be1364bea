import Foundation
import Testing

/// `mpirun -n 2 finetune ...` against one process at twice the batch: the same losses, the same
/// evaluation, and one set of files written (by rank 0). Skipped, saying why, without mpirun.
@Suite(.serialized) struct DistributedRunTests {
    static let mpirun: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The `finetune` executable built beside this test bundle.
    static var program: URL {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDir.appendingPathComponent("finetune"),
                          bundleDir.deletingLastPathComponent().appendingPathComponent("finetune")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `executable arguments` (one thread per process) and returns its status and stderr.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        env["COURSE_THREADS"] = "1"
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: mpirun != nil, "mpirun not found: install Open MPI (apt install openmpi-bin libopenmpi-dev, or Scripts/setup.sh)"))
    func twoRanksEqualOneProcessAtTwiceTheBatch() throws {
        // No dropout: its masks are drawn per process, so with it the two runs agree in distribution only.
        let ws = try TinyWorkspace(dropout: 0)
        defer { ws.remove() }
        let train = try ws.sentimentCSV("train.csv", rows: 16), validation = try ws.sentimentCSV("v.csv", rows: 6, offset: 1)
        func arguments(_ out: String, batch: Int) -> [String] {
            ["text-classification", "--model_name_or_path", ws.model, "--train_file", train, "--validation_file", validation,
             "--do_train", "--do_eval", "--output_dir", ws.path(out), "--per_device_train_batch_size", String(batch),
             "--num_train_epochs", "2", "--logging_steps", "1", "--save_steps", "2", "--learning_rate", "1e-3",
             "--max_seq_length", "16"]
        }
        let one = try Self.run(Self.program, arguments("one", batch: 8))
        #expect(one.status == 0, "\(one.stderr.suffix(500))")
        let flags = ["-n", "2", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none", "-x", "COURSE_THREADS=1"]
        let two = try Self.run(try #require(Self.mpirun), flags + [Self.program.path] + arguments("two", batch: 4))
        #expect(two.status == 0, "\(two.stderr.suffix(500))")

        func state(_ out: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: ws.path("\(out)/trainer_state.json")))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return try #require(object["log_history"] as? [[String: Any]])
        }
        let a = try state("one"), b = try state("two")
        #expect(a.count == b.count && a.count > 4)
        for (x, y) in zip(a, b) {
            #expect(Set(x.keys) == Set(y.keys))
            for key in ["loss", "train_loss", "eval_loss", "eval_accuracy"] {
                if let u = x[key] as? Double, let v = y[key] as? Double { #expect(abs(u - v) <= 1e-5 * max(abs(u), 1e-6), "\(key) at step \(x["step"] ?? "?"): \(u) vs \(v)") }
            }
        }
        let filesOne = try FileManager.default.contentsOfDirectory(atPath: ws.path("one")).sorted()
        let filesTwo = try FileManager.default.contentsOfDirectory(atPath: ws.path("two")).sorted()
        #expect(filesOne == filesTwo)
    }
}
