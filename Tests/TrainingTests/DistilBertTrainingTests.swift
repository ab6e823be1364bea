import Datasets
import Foundation
import Models
import Tensor
import Tokenizers
@testable import Training
import Testing

/// The Trainer takes a DistilBERT through the same call as a BERT: the Auto class's type
/// (`Trainer<AutoModelForTokenClassification>`) holds the DistilBERT subclass, batches have no
/// token_type_ids, dropout is seeded through the shared encoder, and the saved model and card
/// name the DistilBERT architecture.
@Suite struct DistilBertTrainingTests {
    static let config = DistilBertConfig(vocabSize: 64, dim: 32, nLayers: 2, nHeads: 4, hiddenDim: 64,
                                         maxPositionEmbeddings: 16, numLabels: 3)

    /// A tiny DistilBERT saved in the transformers layout, loaded back through the Auto class.
    static func model(_ dir: String) throws -> AutoModelForTokenClassification {
        try DistilBertForTokenClassification(config: config, seed: 1).savePretrained(dir + "/init")
        return try AutoModelForTokenClassification.fromPretrained(dir + "/init")
    }

    /// The Trainer tests' token task (each token's label is its id mod 3), rows without token_type_ids.
    static func train(_ dir: String, bf16: Bool = false) throws -> Trainer<AutoModelForTokenClassification> {
        let args = TrainerTests.args(dir) {
            $0.numTrainEpochs = 6
            $0.bf16 = bf16
        }
        let trainer = try Trainer(model: try model(dir), args: args,
                                  trainDataset: try TrainerTests.dataset(32, tokens: true),
                                  evalDataset: try TrainerTests.dataset(12, tokens: true, seed: 99),
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
        trainer.printLine = { _ in }
        _ = try trainer.train()
        return trainer
    }

    @Test func trainerLearnsDeterministicallyAndSavesDistilBert() throws {
        let dirA = TrainerTests.tempDir(), dirB = TrainerTests.tempDir()
        defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
        let a = try Self.train(dirA)
        #expect(a.model is DistilBertForTokenClassification)
        let losses = a.state.logHistory.compactMap { $0["loss"] }
        #expect(losses.count == 48)
        let first: Double = losses.prefix(8).reduce(0, +), last: Double = losses.suffix(8).reduce(0, +)
        print("DistilBERT Trainer: first-epoch loss \(first / 8), last-epoch loss \(last / 8)")
        #expect(last < first * 0.8)
        // Dropout (0.1 on the hidden states and attention) draws from the Trainer's seed: a second run is identical.
        let b = try Self.train(dirB)
        #expect(a.state.reproducibleLogHistory == b.state.reproducibleLogHistory)
        #expect(a.model.bert.forwardCount == 48 && a.model.bert.seed == UInt64(a.args.seed))

        try a.saveModel()
        let config = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: dirA + "/config.json"))) as? [String: Any])
        #expect(config["model_type"] as? String == "distilbert")
        #expect(config["architectures"] as? [String] == ["DistilBertForTokenClassification"])
        let card = try String(contentsOfFile: dirA + "/README.md", encoding: .utf8)
        #expect(card.contains("This DistilBertForTokenClassification model was fine-tuned"))
        let reloaded = try AutoModelForTokenClassification.fromPretrained(dirA)
        for (p, q) in zip(reloaded.parameters, a.model.parameters) { #expect(p.value.maxAbsDiff(q.value) == 0, "\(p.name)") }
    }

    @Test func bf16TrainingFollowsFP32() throws {
        let dirA = TrainerTests.tempDir(), dirB = TrainerTests.tempDir()
        defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
        let fp32 = try Self.train(dirA), bf16 = try Self.train(dirB, bf16: true)
        #expect(!bf16.model.usesBF16) // the Trainer restores the caller's precision
        let a = fp32.state.logHistory.compactMap { $0["loss"] }, b = bf16.state.logHistory.compactMap { $0["loss"] }
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
        print("DistilBERT bf16 vs fp32 Trainer losses: worst |Δ| \(worst)")
        #expect(worst > 0 && worst <= 0.05)
    }
}
