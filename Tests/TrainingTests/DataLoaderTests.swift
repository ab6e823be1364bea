import Datasets
import Foundation
import Models
import Tensor
@testable import Training
import Testing

/// DataLoader order and errors, and the claim Chapter 3 makes: a loop written by hand from
/// the public pieces ends at the Trainer's bits.
@Suite struct DataLoaderTests {
    static func collator() throws -> DataCollatorForTokenClassification {
        DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer())
    }

    @Test func countAndUnshuffledOrder() throws {
        let data = try TrainerTests.dataset(10, tokens: true)
        let loader = try DataLoader(data, batchSize: 4, collateFn: try Self.collator())
        #expect(loader.count == 3)
        #expect(loader.batchIndices(epoch: 0) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        #expect(loader.batchIndices(epoch: 5) == loader.batchIndices(epoch: 0))
        let sizes = loader.map(\.batchSize)
        #expect(sizes == [4, 4, 2])
        let dropping = try DataLoader(data, batchSize: 4, dropLast: true, collateFn: try Self.collator())
        #expect(dropping.count == 2 && dropping.batchIndices(epoch: 0) == [[0, 1, 2, 3], [4, 5, 6, 7]])
        // A batch holds exactly the collated rows.
        let first = try #require(Array(loader).first)
        let direct = try Self.collator()((0..<4).map { try data[$0] })
        #expect(first.input.inputIds == direct.input.inputIds && first.labels == direct.labels)
    }

    /// Shuffled epochs are the Trainer's epochs for the same seed; a `for` loop run to its end
    /// moves to the next epoch, one left with `break` does not; `setEpoch` picks one.
    @Test func shuffledOrderIsTheTrainers() throws {
        let data = try TrainerTests.dataset(10, tokens: true)
        let loader = try DataLoader(data, batchSize: 4, shuffle: true, seed: 42, collateFn: try Self.collator())
        for epoch in 0..<3 {
            #expect(loader.batchIndices(epoch: epoch) == Trainer<BertForTokenClassification>.epochBatches(
                count: 10, batchSize: 4, seed: 42, epoch: epoch))
        }
        #expect(loader.batchIndices(epoch: 0) != loader.batchIndices(epoch: 1))
        #expect(Set(loader.batchIndices(epoch: 0).joined()) == Set(0..<10))
        for _ in loader { break }
        #expect(loader.epoch == 0)
        var seen = 0
        for _ in loader { seen += 1 }
        #expect(seen == 3 && loader.epoch == 1)
        loader.setEpoch(7)
        #expect(loader.epoch == 7)
        let other = try DataLoader(data, batchSize: 4, shuffle: true, seed: 7, collateFn: try Self.collator())
        #expect(other.batchIndices(epoch: 0) != loader.batchIndices(epoch: 0))
        // dropLast removes the short batch of a shuffled epoch too.
        let dropping = try DataLoader(data, batchSize: 4, shuffle: true, dropLast: true, collateFn: try Self.collator())
        #expect(dropping.batchIndices(epoch: 0) == Array(loader.batchIndices(epoch: 0).prefix(2)))
    }

    @Test func badInputThrowsAtConstruction() throws {
        let data = try TrainerTests.dataset(6, tokens: true)
        let c = try Self.collator()
        #expect(throws: TrainerError.self) { try DataLoader(data, batchSize: 0, collateFn: c) }
        #expect(throws: TrainerError.self) { try DataLoader(data, batchSize: 8, dropLast: true, collateFn: c) }
        #expect(throws: TrainerError.self) { try DataLoader(data, batchSize: 2, collateFn: c, lengths: [1, 2, 3, 4, 5, 6]) }
        #expect(throws: TrainerError.self) { try DataLoader(data, batchSize: 2, shuffle: true, collateFn: c, lengths: [1]) }
        // A text column where the collator needs token ids: named at construction, not mid-loop.
        let text = try Dataset([("input_ids", [Value.string("hello"), .string("world")])])
        do {
            _ = try DataLoader(text, batchSize: 2, collateFn: c)
            Issue.record("a text input_ids column was accepted")
        } catch {
            #expect("\(error)".contains("row 0 cannot be collated"), "\(error)")
        }
    }

    /// A closure collate function that fails on a later batch ends the loop, with the error kept.
    @Test func aFailingBatchEndsTheLoopWithItsError() throws {
        let data = try TrainerTests.dataset(6, tokens: true)
        let c = try Self.collator()
        final class Calls: @unchecked Sendable { var batches = 0 }
        let calls = Calls()
        let loader = try DataLoader(data, batchSize: 2, collateFn: { rows in
            if rows.count == 2 {   // not the one-row collations of the check at construction
                calls.batches += 1
                if calls.batches == 3 { throw TrainerError("batch with row 5") }
            }
            return try c(rows)
        })
        var seen = 0
        for _ in loader { seen += 1 }
        #expect(seen == 2)
        #expect(loader.lastError.map { "\($0)" } == "batch with row 5")
        #expect(loader.epoch == 0)
    }

    /// The tiny token classifier with dropout, a fresh copy per run (model seed 1).
    static func model() -> BertForTokenClassification {
        var config = TrainerTests.config
        config.hiddenDropoutProb = 0.1
        config.attentionProbsDropoutProb = 0.1
        return BertForTokenClassification(config: config, seed: 1)
    }

    /// The loop of Chapter 3 (shuffled DataLoader, AdamW, getScheduler, forward, backward with
    /// accumulation, clipGradNorm, step, zeroGrad) against the Trainer with the same settings:
    /// the same losses at every step and the same final weights, bit for bit.
    @Test(arguments: [(1, Float(0)), (2, Float(1)), (1, Float(0.05))])
    func handWrittenLoopEqualsTheTrainer(accumulation: Int, maxGradNorm: Float) throws {
        let data = try TrainerTests.dataset(32, tokens: true)
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let trained = Self.model()
        let args = TrainingArguments(dir, saveStrategy: .no, loggingSteps: 1, learningRate: 3e-3, maxGradNorm: maxGradNorm,
                                     numTrainEpochs: 2, lrSchedulerType: .cosine, warmupSteps: 1,
                                     perDeviceTrainBatchSize: 4, gradientAccumulationSteps: accumulation, disableTqdm: true)
        let trainer = try Trainer(model: trained, args: args, trainDataset: data, dataCollator: try Self.collator())
        trainer.printLine = { _ in }
        try trainer.train()
        let trainerLosses = trainer.state.logHistory.compactMap { $0["loss"] }

        let model = Self.model()
        model.bert.seed = 42 // the Trainer's seed, which also seeds dropout
        let loader = try DataLoader(data, batchSize: 4, shuffle: true, collateFn: try Self.collator())
        let optimizer = try AdamW(model.parameters, lr: 3e-3)
        let stepsPerEpoch = loader.count / accumulation
        let scheduler = try getScheduler(.cosine, optimizer: optimizer, numWarmupSteps: 1,
                                         numTrainingSteps: 2 * stepsPerEpoch)
        model.train()
        var losses: [Double] = []
        for _ in 0..<2 {
            var stepLoss = 0.0, inStep = 0
            for batch in loader {
                let outputs = try model(batch)
                try outputs.backward(scale: 1 / Float(accumulation))
                stepLoss += Double(try #require(outputs.loss))
                inStep += 1
                guard inStep == accumulation else { continue }
                if maxGradNorm > 0 { clipGradNorm(model.parameters, maxNorm: maxGradNorm) }
                optimizer.step()
                scheduler.step()
                optimizer.zeroGrad()
                losses.append(stepLoss / Double(accumulation))
                stepLoss = 0; inStep = 0
            }
        }
        model.eval()
        #expect(losses.count == 16 / accumulation)
        #expect(losses == trainerLosses)
        for (a, b) in zip(model.parameters, trained.parameters) {
            #expect(a.value.scalars == b.value.scalars, "\(a.name)")
        }
    }
}
