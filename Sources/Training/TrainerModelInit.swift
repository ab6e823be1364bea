import Datasets
import Foundation
import Metrics
import Models
import Tokenizers

extension Trainer {
    /// A Trainer that makes its model with `modelInit` (Python `Trainer(model_init=...)`):
    ///
    ///     let trainer = try Trainer(modelInit: {
    ///         try AutoModelForSequenceClassification.fromPretrained(checkpoint, numLabels: 2)
    ///     }, args: args, trainDataset: train, evalDataset: validation, dataCollator: collator)
    ///
    /// `modelInit` runs once here (so `evaluate` works before training) and again at the start
    /// of every `train()`: a second `train()`, or a run with other arguments, starts from the
    /// pretrained weights rather than from the model the last run fine-tuned.
    public convenience init(modelInit: @escaping () throws -> Model, args: TrainingArguments,
                            trainDataset: Dataset? = nil, evalDataset: Dataset? = nil,
                            dataCollator: (any DataCollator)? = nil, tokenizer: Tokenizer? = nil,
                            computeMetrics: ((EvalPrediction) throws -> MetricResult)? = nil,
                            callbacks: [any TrainerCallback] = []) throws {
        try self.init(model: try modelInit(), args: args, trainDataset: trainDataset, evalDataset: evalDataset,
                      dataCollator: dataCollator, tokenizer: tokenizer, computeMetrics: computeMetrics,
                      callbacks: callbacks)
        self.modelInit = modelInit
    }
}
