import Foundation
import Models
import Tensor
import Testing
import Tokenizers
@testable import Training

/// `TrainingArguments.evalQuantization = .int8Dynamic`: `evaluate` and `predict` run the model
/// in dynamic int8 and give it back in floating point and in the mode it had; training a model
/// the caller quantised is a clear error.
@Suite struct Int8TrainerTests {
    @Test func predictInInt8IsCloseToFP32AndScoped() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
        let data = try TrainerTests.dataset(8, tokens: true)
        func trainer(_ q: Quantization) throws -> Trainer<BertForTokenClassification> {
            let t = try Trainer(model: model, args: TrainerTests.args(dir) { $0.evalQuantization = q },
                                trainDataset: data, evalDataset: data,
                                dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
            t.printLine = { _ in }
            return t
        }
        model.train()
        let fp32 = try trainer(.none).predict(data)
        let int8 = try trainer(.int8Dynamic).predict(data)
        #expect(model.quantization == .none && model.training, "the caller's fp32 train-mode model comes back as it was")
        let diff = zip(int8.predictions.scalars, fp32.predictions.scalars).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        // Padding positions hold -100 on both sides (Python's padding index): the scale is the logits'.
        let scale = fp32.predictions.scalars.filter { $0 != -100 }.reduce(Float(0)) { max($0, abs($1)) }
        print("Trainer.predict int8 vs fp32: logits max abs diff \(diff) of scale \(scale)")
        // The tiny model's logits (initializer_range 0.02) are small; int8 moves them by a few
        // percent of their scale at most (the fixture tests bound the error against PyTorch's).
        #expect(diff > 0 && diff <= 0.1 * scale)
        #expect(int8.metrics["test_loss"] != nil)
    }

    /// `bf16: true` with int8 evaluation: the products run in int8 (it takes precedence over
    /// bf16) and give what int8 alone gives.
    @Test func int8UnderBF16ReadsWhatItMultiplies() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
        let data = try TrainerTests.dataset(8, tokens: true)
        func predict(bf16: Bool, _ q: Quantization) throws -> [Float] {
            let t = try Trainer(model: model, args: TrainerTests.args(dir) { $0.evalQuantization = q; $0.bf16 = bf16 },
                                dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
            t.printLine = { _ in }
            return try t.predict(data).predictions.scalars
        }
        let int8 = try predict(bf16: false, .int8Dynamic), both = try predict(bf16: true, .int8Dynamic)
        let fp32 = try predict(bf16: false, .none)
        let scale = fp32.filter { $0 != -100 }.reduce(Float(0)) { max($0, abs($1)) }
        let diff = zip(both, int8).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        #expect(diff <= 0.1 * scale, "int8 under bf16 differs from int8 by \(diff) (logit scale \(scale))")
    }

    @Test func trainingAQuantizedModelThrowsAClearError() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try BertForTokenClassification(config: TrainerTests.config, seed: 1).quantize(.int8Dynamic)
        let data = try TrainerTests.dataset(8, tokens: true)
        let trainer = try Trainer(model: model, args: TrainerTests.args(dir) { $0.maxSteps = 1 }, trainDataset: data, evalDataset: data,
                                  dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
        trainer.printLine = { _ in }
        #expect { try trainer.train() } throws: { "\($0)".contains("quantised to int8 for inference") }
    }
}
