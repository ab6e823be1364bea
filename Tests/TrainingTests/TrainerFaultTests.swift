import Foundation
import Models
@testable import Training
import Testing

/// Faults a user causes around a run — a checkpoint counter out of range, an output folder that
/// cannot be written, a checkpoint path that names nothing — each a clear error before any work
/// or change, never a silent resume with other numbers.
@Suite struct TrainerFaultTests {
    typealias T = TrainerTests
    typealias Damage = CheckpointDamageTests

    /// Rewrites one key of `checkpoint/<file>` (the toolkit's counters live in trainer_state_swift.json).
    func setState(_ key: String, to value: Any, in checkpoint: String, file: String = "trainer_state_swift.json") throws {
        let url = URL(fileURLWithPath: checkpoint + "/" + file)
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        object[key] = value
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    @Test(arguments: [("dropout_forward_count", "18446744073709551615"), ("log_loss_count", "-3"),
                      ("line_loss_count", "1099511627777")])
    func counterOutOfRangeIsRefusedAndTheModelIsUnchanged(key: String, value: String) throws {
        let dir = try Damage.checkpoints()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let checkpoint = dir + "/checkpoint-16"
        try setState(key, to: NSDecimalNumber(string: value), in: checkpoint)
        let (trainer, before) = try Damage.freshTrainer(dir)
        let error = #expect(throws: TrainerError.self) { try trainer.train(resumeFromCheckpoint: checkpoint) }
        let text = error?.description ?? ""
        #expect(text.contains("trainer_state_swift.json: \(key) \(value) is not a"), "\(text)")
        #expect(text.contains("The model was not changed"), "\(text)")
        #expect(text.contains("The newest intact checkpoint is \(dir)/checkpoint-12"), "\(text)")
        #expect(trainer.model.parameters.map(\.value.scalars) == before)
    }

    @Test func resumeFromAFolderThatDoesNotExistSaysSo() throws {
        let dir = T.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (trainer, before) = try Damage.freshTrainer(dir)
        let missing = dir + "/checkpoint-99"
        let error = #expect(throws: TrainerError.self) { try trainer.train(resumeFromCheckpoint: missing) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("resumeFromCheckpoint: \(missing) does not exist"), "\(text)")
        #expect(!text.contains("delete"), "no advice to delete what is not there: \(text)")
        #expect(!text.contains("is not a Trainer checkpoint"), "\(text)")
        #expect(trainer.model.parameters.map(\.value.scalars) == before)
    }

    @Test func resumeFromAFileSaysItIsAFile() throws {
        let dir = T.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/notes.txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        let (trainer, _) = try Damage.freshTrainer(dir)
        let error = #expect(throws: TrainerError.self) { try trainer.train(resumeFromCheckpoint: file) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("resumeFromCheckpoint: \(file) is a file, not a checkpoint folder"), "\(text)")
        #expect(!text.contains("delete"), "\(text)")
    }

    /// A file where outputDir should be: the error comes before the first step, names the path and
    /// says why, and no model weight changed.
    @Test func outputDirBlockedByAFileFailsBeforeTraining() throws {
        let dir = T.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let blocked = dir + "/out"
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: blocked))
        for output in [blocked, blocked + "/run"] {
            let model = BertForTokenClassification(config: T.config, seed: 1)
            let before = model.parameters.map(\.value.scalars)
            let trainer = try Trainer(model: model, args: T.args(output) { $0.saveStrategy = .epoch; $0.evalStrategy = .no },
                                      trainDataset: try T.dataset(16, tokens: true),
                                      dataCollator: DataCollatorForTokenClassification(tokenizer: try T.tokenizer()))
            var steps = 0
            trainer.printLine = { _ in steps += 1 }
            let error = #expect(throws: TrainerError.self) { try trainer.train() }
            let text = error?.description ?? ""
            #expect(text.hasPrefix("cannot use \(output) as the Trainer's outputDir: a file is in the way: \(blocked) is a file"),
                    "\(text)")
            #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("could not be completed"), "\(text)")
            #expect(steps == 0)
            #expect(model.parameters.map(\.value.scalars) == before)
        }
    }

    @Test func tensorBoardFolderBlockedByAFileNamesThePath() throws {
        let dir = T.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let blocked = dir + "/logs"
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: blocked))
        let error = #expect(throws: TrainerError.self) { _ = try SummaryWriter(logDir: blocked + "/run1") }
        let text = error?.description ?? ""
        #expect(text == "cannot create the TensorBoard log directory \(blocked)/run1: a file is in the way: \(blocked) is a file, not a folder",
                "\(text)")
    }

    /// The same run with saving off and no TensorBoard writes nothing, so it needs no outputDir.
    @Test func runThatWritesNothingDoesNotCreateOutputDir() throws {
        let dir = T.tempDir() + "/never"
        let trainer = try Trainer(model: BertForTokenClassification(config: T.config, seed: 1),
                                  args: T.args(dir) { $0.saveStrategy = .no; $0.evalStrategy = .no; $0.numTrainEpochs = 1 },
                                  trainDataset: try T.dataset(8, tokens: true),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try T.tokenizer()))
        trainer.printLine = { _ in }
        try trainer.train()
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}
