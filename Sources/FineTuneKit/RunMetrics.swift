import Metrics
import Training

// The metric dictionaries run_glue and run_ner log and save. The Trainer already measures
// Python's speeds (`*_runtime`, `*_samples_per_second`, `*_steps_per_second`); this picks the
// keys the scripts keep and adds what they add.

/// The train / eval metric dictionaries as run_glue and run_ner save them.
public enum RunMetrics {
    /// The keys of Python's `train_result.metrics` in `train_results.json`: `train_runtime`,
    /// `train_samples_per_second`, `train_steps_per_second`, `total_flos`, `train_loss`, `epoch`,
    /// then `train_samples` = `rows`. (With `--disable_tqdm`, Python's PrinterCallback pops
    /// `total_flos` out of that very dictionary when it logs it, so the file lacks it: the same here.)
    public static func train(_ output: TrainOutput, rows: Int, disableTqdm: Bool = false) -> MetricResult {
        let keys = ["epoch", "total_flos", "train_loss", "train_runtime", "train_samples_per_second", "train_steps_per_second"]
        var result = MetricResult(keys.filter { !(disableTqdm && $0 == "total_flos") }
            .compactMap { key in output.metrics[key].map { (key, MetricValue.double($0)) } })
        result[value: "train_samples"] = .int(rows)
        return result
    }

    /// An evaluation's metrics (speeds included by the Trainer) plus `epoch` when given (Python's
    /// `evaluate` logs its metrics, which adds the epoch; `predict` does not: pass nil) and
    /// `<prefix>_samples` = `rows` when `countRows` (run_glue and run_ner add `eval_samples`).
    public static func evaluation(_ metrics: MetricResult, prefix: String, rows: Int, epoch: Double?,
                                  countRows: Bool = true) -> MetricResult {
        var out = metrics
        if let epoch { out[value: "epoch"] = .double(epoch) }
        if countRows { out[value: "\(prefix)_samples"] = .int(rows) }
        return out
    }

    /// run_glue's and run_ner's `--do_train`: train (resuming from `resumeFrom` if given), save
    /// the model, tokenizer and training_args.json, then print, save (`train_results.json`,
    /// `all_results.json`) the train metrics and save the trainer state.
    public static func trainAndSave<Model>(_ trainer: Trainer<Model>, rows: Int, resumeFrom: String?) throws {
        let output = try trainer.train(resumeFromCheckpoint: resumeFrom)
        let metrics = train(output, rows: rows, disableTqdm: trainer.args.disableTqdm)
        try trainer.saveModel()
        try trainer.saveTrainingArguments()
        trainer.logMetrics(split: "train", metrics: metrics)
        try trainer.saveMetrics(split: "train", metrics: metrics)
        try trainer.saveState()
    }
}
