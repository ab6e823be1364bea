// What a sequence-classification head's loss is, as transformers decides it: config.json's
// `problem_type`, or when absent, inferred from num_labels and the labels at the first loss
// (one label: regression with mean-squared error; int labels: single-label cross-entropy).

extension BertConfig {
    /// The `problem_type` values transformers knows.
    public static let problemTypes = ["regression", "single_label_classification", "multi_label_classification"]

    /// True when the head is a regression head: `problem_type` "regression", or no
    /// `problem_type` and one label (transformers' inference: `num_labels == 1` → regression).
    public var isRegression: Bool {
        problemType == "regression" || (problemType == nil && numLabels == 1)
    }

    /// `value` when it is one of `problemTypes` (or nil); otherwise an error naming them.
    static func checkedProblemType(_ value: String?) throws -> String? {
        guard let value else { return nil }
        guard problemTypes.contains(value) else {
            throw ModelError("problem_type '\(value)' is not one of \(problemTypes.joined(separator: ", ")); "
                + "remove it from config.json to let the first loss infer it")
        }
        return value
    }
}
