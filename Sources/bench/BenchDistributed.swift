import ArgumentParser
import FineTuning
import Foundation

// Data-parallel benchmarks, run under mpirun (see BENCHMARKS.md for the commands):
//   bench allreduce   the all-reduce of a MiniLM-sized gradient: time and GB/s
//   bench ddp         training steps of the MiniLM shape on N ranks: tokens/s and the all-reduce's share
// Alone (no mpirun) each is one process: `ddp` then measures the single-process step.

/// The median of some timings.
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

struct BenchAllReduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allreduce",
        abstract: "All-reduce (mean over the ranks) of the MiniLM-L6 token classifier's whole gradient, 22.7 M floats.")
    @Option(help: "Floats per bucket (comma-separated list to compare).") var bucket = "1048576,4194304,16777216"
    @Option(help: "Measured seconds per bucket size.") var seconds = 3.0
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let group = try ProcessGroup.world
        let model = BertForTokenClassification(config: miniLMShape(labels: 9), seed: 42)
        let parameters = model.parameters
        for p in parameters { p.grad.data.update(repeating: Float(group.rank + 1), count: p.grad.count) }
        let pieces = parameters.map { ($0.grad.data, $0.grad.count) }
        let floats = pieces.reduce(0) { $0 + $1.1 }
        let sizes = bucket.split(separator: ",").compactMap { Int($0) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1024 }) else {
            throw ValidationError("--bucket takes float counts ≥ 1024 separated by commas, got '\(bucket)'")
        }
        if group.isMain, !json {
            print("bench allreduce: \(floats) floats (\(String(format: "%.1f", Double(floats * 4) / 1e6)) MB), "
                + "\(group.size) ranks, Open MPI MPI_Allreduce in buckets")
            print("bucket floats   median ms   GB/s (bytes / time)")
        }
        for size in sizes {
            var reducer = BucketedAllReduce(bucketElements: size)
            try reducer.average(pieces, group: group) // warm-up: connections, buffers
            var times: [Double] = []
            let start = Date()
            repeat {
                try group.barrier()
                let t0 = Date()
                try reducer.average(pieces, group: group)
                times.append(Date().timeIntervalSince(t0))
                // Rank 0 decides when to stop, so every rank runs the same number of rounds.
                var more = [Date().timeIntervalSince(start) < seconds || times.count < 3 ? 1.0 : 0.0]
                try group.broadcast(&more)
                if more[0] == 0 { break }
            } while true
            let t = median(times)
            let gbps = Double(floats * 4) / t / 1e9
            guard group.isMain else { continue }
            if json {
                print(String(format: #"{"name":"allreduce","ranks":%d,"floats":%d,"bucket":%d,"rounds":%d,"median_s":%.5f,"gb_per_s":%.3f}"#,
                             group.size, floats, size, times.count, t, gbps))
            } else {
                print(String(format: "%13d %11.1f %8.2f", size, t * 1000, gbps))
            }
        }
    }
}

struct BenchDDP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ddp",
        abstract: "Data-parallel training steps of the MiniLM-L6 shape: tokens/s of the job and the all-reduce's share.")
    @Option(help: "Rows per rank per step.") var batch = 16
    @Option(help: "Sequence length.") var seq = 128
    @Option(help: "Measured seconds.") var seconds = 10.0
    @Flag(help: "One JSON object.") var json = false

    func run() throws {
        let accelerator = try Accelerator()
        let group = accelerator.group
        let config = miniLMShape(labels: 9)
        let model = BertForTokenClassification(config: config, seed: 42)
        try accelerator.prepare(model)
        model.train()
        let optimizer = try AdamW(model.parameters, lr: 2e-5, weightDecay: 0.01)
        // Each rank its own rows (a different seed per rank), as sharded data would give it.
        let (input, labels) = try randomBatch(b: batch, t: seq, vocab: config.vocabSize, labels: 9, seed: 1234 + UInt64(group.rank))
        var reduceTimes: [Double] = [], stepTimes: [Double] = [], waitTimes: [Double] = []
        var reducedFloats = 0
        func step() throws {
            let t0 = Date()
            let out = try model.forward(input, labels: labels)
            try out.backward()
            // The wait for the slower rank (load imbalance) apart from the all-reduce itself.
            let t1 = Date()
            try group.barrier()
            let t2 = Date()
            try accelerator.averageGradients()
            waitTimes.append(t2.timeIntervalSince(t1))
            // What crossed: every gradient, but only the union of the ranks' word-embedding rows.
            reducedFloats = model.parameters.reduce(0) { n, p in
                n + (p.recordsGradRows && group.size > 1 ? (p.gradRows?.count).map { $0 * p.shape[1] } ?? p.grad.count : p.grad.count)
            }
            reduceTimes.append(Date().timeIntervalSince(t2))
            let clip = clipCoefficient(norm: gradNorm(model.parameters), maxNorm: 1)
            optimizer.step(gradientScale: clip)
            optimizer.zeroGrad()
            stepTimes.append(Date().timeIntervalSince(t0))
        }
        try step() // warm-up
        reduceTimes = []; stepTimes = []; waitTimes = []
        let start = Date()
        repeat {
            try step()
            var more = [Date().timeIntervalSince(start) < seconds || stepTimes.count < 2 ? 1.0 : 0.0]
            try group.broadcast(&more)
            if more[0] == 0 { break }
        } while true
        let elapsed = Date().timeIntervalSince(start)
        let tokens = Double(group.size * batch * seq * stepTimes.count)
        let stepMedian = median(stepTimes), reduceMedian = median(reduceTimes), waitMedian = median(waitTimes)
        // Every rank must end with the same bits (each applied the same averaged gradient).
        let identical = Set(try group.allGather([parameterDigest(model.parameters)]).map { $0[0] }).count == 1
        guard group.isMain else { return }
        let share = reduceMedian / stepMedian
        if json {
            print(String(format: #"{"name":"ddp","ranks":%d,"threads_per_rank":%d,"batch_per_rank":%d,"seq":%d,"steps":%d,"tokens_per_s":%.1f,"step_median_s":%.4f,"allreduce_median_s":%.4f,"allreduce_share":%.4f,"wait_median_s":%.4f,"reduced_floats":%d,"identical":%@,"blas_core":"%@"}"#,
                         group.size, Threads.count, batch, seq, stepTimes.count, tokens / elapsed, stepMedian, reduceMedian,
                         share, waitMedian, group.size > 1 ? reducedFloats : 0, identical ? "true" : "false", Threads.blasCore))
        } else {
            print("bench ddp: MiniLM-L6 shape, token classification, \(group.size) rank(s) × \(Threads.count) thread(s), "
                + "batch \(batch)/rank × \(seq) tokens (OpenBLAS core: \(Threads.blasCore))")
            print(String(format: "tokens/s %.0f   step %.3f s (median of %d)   all-reduce %.1f ms = %.1f%% of a step   "
                + "waiting for the slower rank %.1f ms   %d floats reduced", tokens / elapsed, stepMedian, stepTimes.count,
                reduceMedian * 1000, 100 * share, waitMedian * 1000, group.size > 1 ? reducedFloats : 0))
            print("weights bit-identical on every rank: \(identical)")
        }
    }
}
