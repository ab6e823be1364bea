import Datasets
import Foundation
import Models
import Tokenizers
@testable import Training
import Testing

/// Which collator a Trainer uses when none is given (Python: DataCollatorWithPadding when the
/// Trainer gets a tokenizer).
@Suite struct TrainerDefaultCollatorTests {
    @Test func aTokenizerAndNoCollatorPadsEachBatch() throws {
        let model = BertForSequenceClassification(config: TrainerTests.config, seed: 1)
        let args = TrainingArguments(TrainerTests.tempDir(), saveStrategy: .no, disableTqdm: true)
        let trainer = try Trainer(model: model, args: args, tokenizer: try TrainerTests.tokenizer())
        let collator = try #require(trainer.dataCollator as? DataCollatorWithPadding)
        #expect(collator.padding == .longest)
        // Rows of 5 and 12 tokens become one [2, 12] batch, the shorter row padded.
        let data = try TrainerTests.dataset(6, tokens: false)
        let rows = try (0..<6).map { try data[$0] }
        let lengths = try rows.map { try $0["input_ids"].intList.count }
        let batch = try trainer.dataCollator(rows)
        #expect(batch.input.sequenceLength == lengths.max())
        #expect(batch.labels?.count == 6)
    }

    @Test func aGivenCollatorIsKept() throws {
        let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
        let args = TrainingArguments(TrainerTests.tempDir(), saveStrategy: .no, disableTqdm: true)
        let tokenizer = try TrainerTests.tokenizer()
        let trainer = try Trainer(model: model, args: args, dataCollator: DataCollatorForTokenClassification(tokenizer: tokenizer),
                                  tokenizer: tokenizer)
        #expect(trainer.dataCollator is DataCollatorForTokenClassification)
    }

    @Test func neitherCollatorNorTokenizerIsAClearError() throws {
        let model = BertForSequenceClassification(config: TrainerTests.config, seed: 1)
        let args = TrainingArguments(TrainerTests.tempDir(), saveStrategy: .no, disableTqdm: true)
        do {
            _ = try Trainer(model: model, args: args)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("needs a dataCollator: or a tokenizer:"))
        }
    }
}
