import Datasets
import Models
import Tensor

// Label ids are checked against the model's classes once, before training, so an error names
// the dataset row that holds the bad label; the loss kernel only sees a flattened batch and
// could name nothing better than a position in it.

extension Trainer {
    /// Throws naming the first row (and token) whose label is neither a class id 0..<L nor -100.
    func checkLabels(_ dataset: Dataset, split: String) throws {
        let classes = model.config.numLabels
        let column = ["labels", "label"].first { dataset.columnNames.contains($0) }
        guard let column else { return }
        let values = try dataset[column: column]
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
