import Metrics
import Testing
import Models
import Training

/// A seqeval-shaped result for the flattening test.
enum MetricResultBuilder {
    static func seqevalLike() -> MetricResult {
        MetricResult([("PER", .nested(MetricResult([("precision", .double(1)), ("f1", .double(0.5))]))),
                      ("overall_precision", .double(0.5)), ("overall_recall", .double(0.25)),
                      ("overall_f1", .double(1.0 / 3)), ("overall_accuracy", .double(0.75))])
    }
}

/// Python's `log_metrics` block: sorted keys padded to the longest, values right-aligned,
/// floats rounded to 4 places, runtimes as h:mm:ss.cc.
@Suite struct MetricsBlockTests {
    @Test func theBlockReadsLikePythons() {
        let metrics = MetricResult([("train_loss", .double(0.69594657)), ("epoch", .double(3)),
                                    ("train_runtime", .double(3723.456)), ("train_samples", .int(3668)),
                                    ("train_samples_per_second", .double(2.955))])
        // As transformers 5.24 prints these values (Trainer.log_metrics).
        #expect(Trainer<BertForSequenceClassification>.metricsBlock(split: "train", metrics: metrics) == [
            "***** train metrics *****",
            "  epoch                    =        3.0",
            "  train_loss               =     0.6959",
            "  train_runtime            = 1:02:03.45",
            "  train_samples            =       3668",
            "  train_samples_per_second =      2.955",
        ])
    }
}
