import Datasets
import Foundation
import Models
import Tokenizers
@testable import Training
import Testing

/// The file faults a user meets across the toolkit, each caught and its message read: none may be
/// Foundation's "The operation could not be completed. (NSCocoaErrorDomain error 512.)" as the
/// whole explanation. Each must name the path and say what is wrong.
@Suite struct FaultMessageTests {
    static let rawMarkers = ["NSCocoaErrorDomain", "NSPOSIXErrorDomain", "Error Domain=", "could not be completed"]

    /// A folder with a plain file `blocker` in it and a folder `folder` in it.
    static func scene() throws -> (dir: String, blocker: String, folder: String) {
        let dir = TrainerTests.tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: dir + "/blocker"))
        return (dir, dir + "/blocker", dir + "/folder")
    }

    /// Runs `body`, which must throw, and returns the message.
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "<no error>" } catch { return "\(error)" }
    }

    @Test func fileFaultsAcrossTheToolkitSayWhatIsWrong() throws {
        let (dir, blocker, folder) = try Self.scene()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
        let tokenizer = try TrainerTests.tokenizer()
        let cases: [(String, String, () throws -> Void)] = [
            ("model.savePretrained under a file", blocker, { try model.savePretrained(blocker + "/model") }),
            ("tokenizer.savePretrained under a file", blocker, { try tokenizer.savePretrained(blocker + "/tok") }),
            ("Safetensors.read of a folder", folder, { _ = try Safetensors.read(URL(fileURLWithPath: folder)) }),
            ("Safetensors.write under a file", blocker, {
                try Safetensors.write([], to: URL(fileURLWithPath: blocker + "/x.safetensors"))
            }),
            ("TrainerState.save under a file", blocker, { try TrainerState().save(to: URL(fileURLWithPath: blocker + "/s.json")) }),
            ("TrainerState.load of a missing file", dir, { _ = try TrainerState.load(URL(fileURLWithPath: dir + "/none.json")) }),
            ("SummaryWriter under a file", blocker, { _ = try SummaryWriter(logDir: blocker + "/runs") }),
            ("CSV of a folder", folder, { _ = try loadDataset("csv", dataFiles: ["train": folder]) }),
            ("CoNLL file that is a folder", folder, { _ = try CoNLL2003.read(URL(fileURLWithPath: folder)) }),
            ("Trainer outputDir under a file", blocker, {
                let trainer = try Trainer(model: model, args: TrainerTests.args(blocker + "/out") { $0.saveStrategy = .epoch; $0.evalStrategy = .no },
                                          trainDataset: try TrainerTests.dataset(8, tokens: true),
                                          dataCollator: DataCollatorForTokenClassification(tokenizer: tokenizer))
                try trainer.train()
            }),
        ]
        for (name, path, body) in cases {
            let text = message(body)
            #expect(text != "<no error>", "\(name) did not fail")
            for marker in Self.rawMarkers {
                #expect(!text.contains(marker), "\(name): a raw Foundation error: \(text)")
            }
            #expect(text.contains(path), "\(name): the message does not name \(path): \(text)")
        }
    }
}
