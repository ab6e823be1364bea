import Foundation
import Models
@testable import Training
import Testing

/// `getScheduler` against `transformers.get_scheduler` (Scripts/fixtures/training_scheduler_fixtures.py).
@Suite struct SchedulerTests {
    struct Case: Decodable {
        let name: String, lr: Double, warmup: Int, total: Int
        let kwargs: [String: Double]
        let rates: [Double]
    }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/schedulers.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    /// Every rate of every fixture schedule, before each of total + 3 steps, within 1e-7 of
    /// Python's (and within one Float rounding of it, relatively).
    @Test func ratesMatchTransformersStepForStep() throws {
        let cases = try Self.cases()
        #expect(cases.count == 15)
        #expect(Set(cases.map(\.name)) == Set(SchedulerType.allCases.map(\.rawValue)))
        for c in cases {
            let optimizer = try AdamW([Parameter("w", shape: [1])], lr: Float(c.lr))
            let scheduler = try getScheduler(c.name, optimizer: optimizer, numWarmupSteps: c.warmup, numTrainingSteps: c.total,
                                             numCycles: c.kwargs["num_cycles"], power: c.kwargs["power"] ?? 1,
                                             lrEnd: c.kwargs["lr_end"] ?? 1e-7, timescale: c.kwargs["timescale"].map { Int($0) })
            var worst = 0.0
            for (step, expected) in c.rates.enumerated() {
                let got = Double(scheduler.lastLR)
                worst = max(worst, abs(got - expected))
                #expect(abs(got - expected) <= 1e-7, "\(c.name) lr \(c.lr) warmup \(c.warmup) total \(c.total) step \(step)")
                #expect(abs(got - expected) <= 1.2e-7 * abs(expected) + 1e-12, "\(c.name) step \(step): \(got) vs \(expected)")
                scheduler.step()
            }
            #expect(scheduler.lastEpoch == c.rates.count)
            print("\(c.name) \(c.kwargs): \(c.rates.count) rates, max |Δ| \(worst)")
        }
    }

    @Test func namesAreThePythonOnes() throws {
        #expect(SchedulerType.allCases.map(\.rawValue) == ["linear", "cosine", "cosine_with_restarts", "polynomial",
                                                           "constant", "constant_with_warmup", "inverse_sqrt"])
        let optimizer = try AdamW([Parameter("w", shape: [1])], lr: 1)
        #expect(throws: TrainerError.self) { try getScheduler("cosine_annealing", optimizer: optimizer, numTrainingSteps: 3) }
        do {
            _ = try getScheduler("linaer", optimizer: optimizer, numTrainingSteps: 3)
        } catch {
            #expect("\(error)".contains("linear, cosine, cosine_with_restarts"))
        }
    }

    @Test func badArgumentsThrow() throws {
        let optimizer = try AdamW([Parameter("w", shape: [1])], lr: 1e-3)
        #expect(throws: TrainerError.self) { try getScheduler(.linear, optimizer: optimizer, numWarmupSteps: -1, numTrainingSteps: 3) }
        #expect(throws: TrainerError.self) { try getScheduler(.linear, optimizer: optimizer, numTrainingSteps: -3) }
        #expect(throws: TrainerError.self) { try getScheduler(.polynomial, optimizer: optimizer, numTrainingSteps: 5, lrEnd: 1e-2) }
        #expect(throws: TrainerError.self) { try getScheduler(.polynomial, optimizer: optimizer, numWarmupSteps: 5, numTrainingSteps: 5) }
        #expect(throws: TrainerError.self) { try getScheduler(.cosine, optimizer: optimizer, numTrainingSteps: 5, numCycles: -1) }
        #expect(throws: TrainerError.self) { try getScheduler(.inverseSqrt, optimizer: optimizer, numTrainingSteps: 5, timescale: 0) }
    }

    /// Resuming (`load(lastEpoch:)`) lands on the rate of that step.
    @Test func loadJumpsToAStep() throws {
        let a = try AdamW([Parameter("w", shape: [1])], lr: 1), b = try AdamW([Parameter("w", shape: [1])], lr: 1)
        let s1 = try getScheduler(.cosine, optimizer: a, numWarmupSteps: 2, numTrainingSteps: 10)
        let s2 = try getScheduler(.cosine, optimizer: b, numWarmupSteps: 2, numTrainingSteps: 10)
        for _ in 0..<6 { s1.step() }
        s2.load(lastEpoch: 6)
        #expect(s1.lastLR == s2.lastLR && s2.lastEpoch == 6)
    }

    /// The Trainer follows `lrSchedulerType`: its logged rates are the schedule's.
    @Test func trainerUsesTheChosenSchedule() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TrainerTests.run(TrainerTests.args(dir) {
            $0.lrSchedulerType = .cosine; $0.warmupSteps = 2; $0.numTrainEpochs = 1; $0.evalStrategy = .no
        })
        let logged = r.trainer.state.logHistory.compactMap { $0["learning_rate"] }
        let optimizer = try AdamW([Parameter("w", shape: [1])], lr: 3e-3)
        let scheduler = try getScheduler(.cosine, optimizer: optimizer, numWarmupSteps: 2, numTrainingSteps: 8)
        var expected: [Double] = []
        for _ in 0..<8 { expected.append(Double(scheduler.lastLR)); scheduler.step() }
        #expect(logged == expected)
    }
}
