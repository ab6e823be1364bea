import Datasets
import Foundation
import Models
import Tensor
import Tokenizers
@testable import Training
import Testing

/// Resuming from a damaged checkpoint: every file is checked before anything is loaded, the
/// model keeps its weights, and the error names the newest intact checkpoint.
@Suite struct CheckpointDamageTests {
    typealias T = TrainerTests

    /// Trains 2 epochs saving every 4 steps: checkpoint-4, -8, -12, -16.
    static func checkpoints() throws -> String {
        let dir = T.tempDir()
        _ = try T.run(T.args(dir) { $0.saveStrategy = .steps; $0.saveSteps = 4; $0.numTrainEpochs = 2; $0.evalStrategy = .no })
        return dir
    }

    /// A fresh trainer on a fresh model (seed 1), and a copy of its weights before resuming.
    static func freshTrainer(_ dir: String) throws -> (Trainer<BertForTokenClassification>, [[Float]]) {
        let model = BertForTokenClassification(config: T.config, seed: 1)
        let trainer = try Trainer(model: model, args: T.args(dir) { $0.evalStrategy = .no; $0.numTrainEpochs = 2 },
                                  trainDataset: try T.dataset(32, tokens: true),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try T.tokenizer()))
        trainer.printLine = { _ in }
        return (trainer, model.parameters.map(\.value.scalars))
    }

    func truncate(_ url: URL, by bytes: Int) throws {
        let data = try Data(contentsOf: url)
        try data.prefix(data.count - bytes).write(to: url)
    }

    @Test func truncatedOptimizerLeavesTheModelUnchangedAndNamesTheIntactCheckpoint() throws {
        let dir = try Self.checkpoints()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try truncate(URL(fileURLWithPath: dir + "/checkpoint-16/optimizer.safetensors"), by: 100)
        let (trainer, before) = try Self.freshTrainer(dir)
        let error = #expect(throws: TrainerError.self) { try trainer.train(resumeFromCheckpoint: dir + "/checkpoint-16") }
        let text = error?.description ?? ""
        #expect(text.contains("checkpoint-16/optimizer.safetensors is not a valid safetensors file"), "\(text)")
        #expect(text.contains("The model was not changed"), "\(text)")
        #expect(text.contains("The newest intact checkpoint is \(dir)/checkpoint-12"), "\(text)")
        #expect(trainer.model.parameters.map(\.value.scalars) == before)
    }

    @Test func corruptSchedulerIsAnErrorNotIgnored() throws {
        let dir = try Self.checkpoints()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("{\"last_ep".utf8).write(to: URL(fileURLWithPath: dir + "/checkpoint-16/scheduler.json"))
        // checkpoint-12 is damaged too: the advice skips it.
        try FileManager.default.removeItem(atPath: dir + "/checkpoint-12/model.safetensors")
        let (trainer, before) = try Self.freshTrainer(dir)
        let error = #expect(throws: TrainerError.self) { try trainer.train(resumeFromCheckpoint: dir + "/checkpoint-16") }
        let text = error?.description ?? ""
        #expect(text.contains("checkpoint-16/scheduler.json is not a scheduler state"), "\(text)")
        #expect(text.contains("The newest intact checkpoint is \(dir)/checkpoint-8"), "\(text)")
        #expect(trainer.model.parameters.map(\.value.scalars) == before)
    }

    @Test func damagedModelWeightsAndNoIntactCheckpoint() throws {
        let dir = try Self.checkpoints()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for step in [4, 8, 12, 16] {
            try truncate(URL(fileURLWithPath: dir + "/checkpoint-\(step)/model.safetensors"), by: 4)
        }
        let (trainer, before) = try Self.freshTrainer(dir)
        let error = #expect(throws: TrainerError.self) { try trainer.train(resumeFromCheckpoint: true) }
        let text = error?.description ?? ""
        #expect(text.contains("checkpoint-16/model.safetensors is not a valid safetensors file"), "\(text)")
        #expect(text.contains("No other checkpoint in \(dir) is intact either"), "\(text)")
        #expect(trainer.model.parameters.map(\.value.scalars) == before)
    }

    @Test func intactCheckpointStillResumes() throws {
        let dir = try Self.checkpoints()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (trainer, _) = try Self.freshTrainer(dir)
        let out = try trainer.train(resumeFromCheckpoint: dir + "/checkpoint-12")
        #expect(out.globalStep == 16)
    }
}

@Test func emptyTrainingSetIsNamedAsEmpty() throws {
    let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
    let empty = try TrainerTests.dataset(4, tokens: true).select([])
    let trainer = try Trainer(model: model, args: TrainerTests.args(TrainerTests.tempDir()) { $0.evalStrategy = .no },
                              trainDataset: empty,
                              dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
    let error = #expect(throws: TrainerError.self) { try trainer.train() }
    #expect(error?.description == "the trainDataset has 0 rows: check how it was loaded, filtered or split")
}

@Test func outOfRangeLabelNamesTheDatasetRow() throws {
    let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
    var rows = try (0..<6).map { try TrainerTests.dataset(6, tokens: true)[$0] }
    var labels = try rows[4]["labels"].intList
    labels[2] = 7
    rows[4].set("labels", to: labels.value)
    let trainer = try Trainer(model: model, args: TrainerTests.args(TrainerTests.tempDir()) { $0.evalStrategy = .no },
                              trainDataset: try Dataset(rows: rows),
                              dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
    let error = #expect(throws: TrainerError.self) { try trainer.train() }
    #expect(error?.description.contains("the training dataset's row 4 has label 7 at token 2 in 'labels', outside the model's 3 classes") == true,
            "\(error?.description ?? "")")
}
