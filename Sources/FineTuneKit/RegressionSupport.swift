// The ONE place that decides whether float labels (regression, STS-B) and the GLUE metrics the
// metrics module lacks can run. Regression (`problem_type: "regression"`, one output, MSE) and
// the cola/stsb GLUE metrics are being added to Models/Training/Metrics on another branch; when
// they are merged, replace these checks (and nothing else in FineTuneKit needs to know).

/// What `finetune` can run today, checked before any model is loaded or file written.
public enum RegressionSupport {
    /// Whether a float label column can be trained on (false until the model side has
    /// `problem_type: "regression"`).
    public static let regressionAvailable = false

    /// Throws for float labels while regression is not available.
    static func require(labelsIn source: String, column: String) throws {
        guard regressionAvailable else {
            throw FineTuneError("\(source): column '\(column)' holds decimal numbers, which means regression "
                + "(one output, mean-squared error, as STS-B); regression is not supported yet by this build of the "
                + "toolkit: use whole-number or named classes")
        }
    }

    /// Throws for a GLUE task whose metric the metrics module does not compute yet.
    static func requireGlueMetric(_ task: String) throws {
        if task == "cola" || task == "stsb" {
            throw FineTuneError("--task_name \(task) needs the GLUE metric "
                + (task == "cola" ? "matthews_correlation" : "pearson/spearmanr")
                + ", which is not supported yet by this build of the toolkit")
        }
    }
}
