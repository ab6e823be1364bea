import Foundation
import Testing

/// Real `mpirun -n 2` runs of mpi-check (Sources/mpi-check) on a tiny random BERT (and DistilBERT), against the
/// same program run as one process. Skipped, saying what to install, when mpirun is absent.
@Suite(.serialized, .enabled(if: MPIRun.available, MPIRun.skipReason))
struct DataParallelTests {
    /// Per-step records ({"step", "loss", "lr", "identical"}) of a train run.
    func steps(_ r: MPIRun.Result) -> [[String: Any]] { r.objects.filter { $0["step"] != nil && $0["loss"] != nil } }

    func check(_ r: MPIRun.Result, _ what: String) {
        #expect(r.status == 0 && !r.timedOut, "\(what) failed (status \(r.status)):\n\(r.stderr)")
    }

    func weights(_ path: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test func nineRowsBatchFiveOnTwoRanks() throws {
        let r = try MPIRun.ranks(2, ["shard"])
        check(r, "mpirun -n 2 mpi-check shard")
        let out = try #require(r.objects.first)
        #expect(out["ranks"] as? [[Int]] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 0]])
        #expect(out["gather"] as? [Int] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 0])
        #expect(out["gather_for_metrics"] as? [Int] == Array(0...8))
        #expect(out["steps"] as? Int == 1)
        // padAcrossProcesses(dim: 1, padIndex: -100) then gather: rank 0's [1, 2] row padded to 3.
        #expect(out["padded_shape"] as? [Int] == [2, 3])
        #expect(out["padded"] as? [Int] == [1, 1, -100, 2, 2, 2])
        #expect(out["float_shape"] as? [Int] == [2, 2])
        #expect(out["floats"] as? [Double] == [0, 0.5, 1, 0.5])
    }

    /// `ragged`: rows of 4–8 tokens padded per batch, so each rank pads to its own longest row
    /// while the batch of 8 pads to the longest of all (as dynamic padding does).
    @Test(arguments: [false, true])
    func twoRanksAtBatchFourEqualOneProcessAtBatchEight(ragged: Bool) throws {
        try twoRanksEqualOneProcess(ragged ? ["--ragged"] : [], architecture: "BertForSequenceClassification")
    }

    /// The same equivalence for DistilBERT (its own tensor names, no token types, `pre_classifier`
    /// with ReLU), on padded rows: the Accelerator needs nothing of a model but its parameters.
    @Test func distilBertOnTwoRanksEqualsOneProcessAtDoubleBatch() throws {
        try twoRanksEqualOneProcess(["--model", "distilbert", "--ragged"], architecture: "DistilBertForSequenceClassification")
    }

    /// `mpi-check train` at batch 8 in one process against `mpirun -n 2` at batch 4: step losses
    /// within 1e-5 relative, identical learning rates, identical weights on both ranks after every
    /// step, and final weights within 1e-5 of the largest.
    func twoRanksEqualOneProcess(_ flags: [String], architecture: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try MPIRun.single(["train", "--batch", "8", "--out", dir.appendingPathComponent("one.bin").path] + flags)
        let two = try MPIRun.ranks(2, ["train", "--batch", "4", "--out", dir.appendingPathComponent("two.bin").path] + flags)
        check(one, "mpi-check train --batch 8 \(flags.joined(separator: " "))")
        check(two, "mpirun -n 2 mpi-check train --batch 4 \(flags.joined(separator: " "))")
        #expect(one.objects.first?["architecture"] as? String == architecture)
        #expect(two.objects.first?["architecture"] as? String == architecture)
        #expect(two.objects.first?["broadcast_identical"] as? Bool == true, "ranks differ after the initial broadcast")
        let a = steps(one), b = steps(two)
        #expect(a.count == 10 && b.count == 10)
        for (x, y) in zip(a, b) {
            let lx = try #require(x["loss"] as? Double), ly = try #require(y["loss"] as? Double)
            #expect(abs(lx - ly) <= 1e-5 * abs(lx), "step \(x["step"] ?? "?"): loss \(lx) vs \(ly)")
            // The schedule sees the same step numbers: the same learning rate, exactly.
            #expect(x["lr"] as? Double == y["lr"] as? Double, "step \(x["step"] ?? "?"): lr")
            #expect(y["identical"] as? Bool == true, "ranks' weights differ after step \(y["step"] ?? "?")")
        }
        let wa = try weights(dir.appendingPathComponent("one.bin").path)
        let wb = try weights(dir.appendingPathComponent("two.bin").path)
        #expect(wa.count == wb.count && wa.count > 20_000)
        // Relative to the largest weight: single elements near zero have no meaningful relative error.
        let scale = wa.map(abs).max() ?? 1
        let worst = zip(wa, wb).map { abs($0 - $1) }.max() ?? 0
        let firstLoss = a.first?["loss"] as? Double ?? 0, lastLoss = a.last?["loss"] as? Double ?? 0
        print("\(architecture) \(flags.joined(separator: " ")): 2 ranks × 4 vs 1 × 8, loss \(firstLoss) → \(lastLoss), "
            + "final weights max-abs-diff \(worst) (largest weight \(scale))")
        #expect(worst <= 1e-5 * scale, "final weights differ by \(worst) (largest weight \(scale))")
    }

    @Test func sameSeedTwiceIsBitwiseIdenticalAndTCPEqualsSharedMemory() throws {
        let first = try MPIRun.ranks(2, ["train", "--batch", "4", "--dropout", "0.1"])
        let second = try MPIRun.ranks(2, ["train", "--batch", "4", "--dropout", "0.1"])
        // The transport between machines: TCP only, no shared memory.
        let tcp = try MPIRun.ranks(2, ["train", "--batch", "4", "--dropout", "0.1"], mpiFlags: ["--mca", "btl", "tcp,self"])
        for (r, what) in [(first, "first"), (second, "second"), (tcp, "tcp")] { check(r, what) }
        #expect(steps(first).count == 10)
        #expect(first.stdout == second.stdout, "two runs with one seed differ")
        #expect(first.stdout == tcp.stdout, "TCP and shared memory differ:\n\(first.stdout)\n\(tcp.stdout)")
        #expect(steps(first).allSatisfy { $0["identical"] as? Bool == true })
    }

    /// `best`: saveTotalLimit 1 and loadBestModelAtEnd (by eval_loss), so the end of training loads
    /// a checkpoint on every rank and deletes the others on rank 0.
    @Test(arguments: [false, true])
    func trainerOnTwoRanksEqualsOneProcessAtDoubleBatch(best: Bool) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-trainer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let flags = best ? ["--best"] : []
        let one = try MPIRun.single(["trainer", "--batch", "8", "--out", dir.appendingPathComponent("one").path] + flags)
        let two = try MPIRun.ranks(2, ["trainer", "--batch", "4", "--out", dir.appendingPathComponent("two").path] + flags)
        check(one, "mpi-check trainer --batch 8")
        check(two, "mpirun -n 2 mpi-check trainer --batch 4")
        let a = try #require(one.objects.first), b = try #require(two.objects.first)
        let ha = try #require(a["log_history"] as? [[String: Double]]), hb = try #require(b["log_history"] as? [[String: Double]])
        #expect(ha.count == hb.count && ha.count == 13)
        for (x, y) in zip(ha, hb) {
            #expect(Set(x.keys) == Set(y.keys))
            #expect(x["step"] == y["step"] && x["learning_rate"] == y["learning_rate"], "\(x) vs \(y)")
            for key in ["loss", "grad_norm", "train_loss"] {
                if let u = x[key], let v = y[key] { #expect(abs(u - v) <= 1e-5 * abs(u), "\(key): \(x) vs \(y)") }
            }
            // Sharded and gathered evaluation: the same rows through the same batches.
            for key in ["eval_loss", "eval_accuracy"] { #expect(x[key] == y[key], "\(key): \(x) vs \(y)") }
        }
        #expect(a["printed"] as? [String] == b["printed"] as? [String])
        #expect(b["printed_lines"] as? [Int] == [2, 0], "only world process zero prints")
        #expect(b["world_process_zero"] as? [Int] == [1, 0])
        #expect(b["identical"] as? Bool == true)
        let saved = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("two").path).sorted()
        let checkpoints = best ? [try #require(b["best_checkpoint"] as? String)] : ["checkpoint-10", "checkpoint-5"]
        #expect(a["best_checkpoint"] as? String == b["best_checkpoint"] as? String)
        #expect(saved == (["README.md"] + checkpoints + ["config.json", "model.safetensors"]).sorted())
    }

    @Test(arguments: ["throw", "crash"])
    func aFailingRankEndsTheJobNamingIt(how: String) throws {
        let started = Date()
        let r = try MPIRun.ranks(2, ["fail", "--rank", "1", "--how", how, "--at-step", "2"], timeout: 60)
        #expect(!r.timedOut, "the job hung after rank 1 failed")
        #expect(r.status != 0)
        #expect(Date().timeIntervalSince(started) < 60)
        let named = how == "throw" ? "rank 1 of 2: error: rank 1 failed on purpose at step 2" : "process rank 1"
        #expect(r.stderr.contains(named), "stderr does not name rank 1:\n\(r.stderr)")
    }
}
