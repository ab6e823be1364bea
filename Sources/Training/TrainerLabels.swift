import Datasets
import Models
import Tensor

// Label ids are checked against the model's classes once, before training, so an error names
// the dataset row that holds the bad label; the loss kernel only sees a flattened batch and
// could name nothing better than a position in it.

extension Trainer {
    /// Throws naming the first row (and token) whose label is neither a class id 0..<L nor -100;
    /// for a regression model, the first label that is not a finite number, and for a
    /// classification model, the first float label (regression data on a classifier).
    func checkLabels(_ dataset: Dataset, split: String) throws {
        let classes = model.config.numLabels
        let column = ["labels", "label"].first { dataset.columnNames.contains($0) }
        guard let column else { return }
        let values = try dataset[column: column]
        if model.config.isRegression {
            for (row, value) in values.enumerated() {
                switch value {
                case .float(let x) where x.isFinite: continue
                case .int: continue
                default:
                    throw TrainerError("the \(split) dataset's row \(row) has label \(value) in '\(column)', but the model is "
                        + "a regression model (num_labels 1 / problem_type regression): give one finite number per row")
                }
            }
            return
        }
        if let row = values.firstIndex(where: { if case .float = $0 { return true } else { return false } }) {
            throw TrainerError("the \(split) dataset's row \(row) has the float label \(values[row]) in '\(column)', but the "
                + "model classifies into \(classes) classes: for regression (e.g. STS-B) load the model with num_labels 1, "
                + "else give integer class ids 0..<\(classes)")
        }
        func bad(_ v: Value) -> Int? {
            guard case .int(let id) = v else { return nil }   // the collator names non-integers
            return id == Int(ignoreIndex) || (0..<classes).contains(id) ? nil : id
        }
        for (row, value) in values.enumerated() {
            var found: (id: Int, token: Int?)?
            if case .list(let items) = value {
                if let t = items.firstIndex(where: { bad($0) != nil }), let id = bad(items[t]) { found = (id, t) }
            } else if let id = bad(value) {
                found = (id, nil)
            }
            if let (id, token) = found {
                throw TrainerError("the \(split) dataset's row \(row) has label \(id)"
                    + (token.map { " at token \($0)" } ?? "") + " in '\(column)', outside the model's \(classes) classes "
                    + "(ids 0..<\(classes), or -100 to ignore a position): check the labels against the model's id2label")
            }
        }
    }
}
