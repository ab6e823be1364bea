import Foundation
import Datasets

// Which columns hold the text(s) and the label, and what the classes are, found as run_glue
// finds them; every problem with the data is found here, before a model is loaded or a file
// is written, and named by file, column and row.

/// The text columns, the label column and the classes of a text-classification run.
public struct TextColumns: Sendable, Equatable {
    /// The first text column.
    public let sentence1: String
    /// The second text column of a pair task, or nil.
    public let sentence2: String?
    /// The label column ("label").
    public let label: String
    /// Class names by id (empty for regression).
    public let labelNames: [String]
    /// Float labels: one output, mean-squared error (STS-B).
    public let isRegression: Bool

    /// The id of each label value as the data spells it (the class-label id itself for GLUE).
    let ids: [Value: Int]

    /// The class id of `value`, or nil if training never saw it.
    public func id(of value: Value) -> Int? { ids[value] }
}

extension TextColumns {
    /// run_glue's choice of columns and labels for `data` (see the type). Throws a `FineTuneError`
    /// naming file, column and row for a missing column, a missing or mixed-type label, or a
    /// validation label that training never saw.
    public static func infer(_ data: RawData, taskName: String?, needLabels splits: [String]) throws -> TextColumns {
        let label = "label"
        // The split that defines the columns and classes: train, else the first one loaded.
        guard let (reference, dataset) = (["train", "validation", "test"] + data.splits.keys).lazy
            .compactMap({ name in data.split(name).map { (name, $0) } }).first else {
            throw FineTuneError("the data has no splits")
        }
        let s1: String, s2: String?
        if let taskName, let keys = GlueTasks.keys(taskName) {
            (s1, s2) = keys
        } else {
            let others = dataset.columnNames.filter { $0 != label }
            if others.contains("sentence1") && others.contains("sentence2") {
                (s1, s2) = ("sentence1", "sentence2")
            } else if others.count >= 2 {
                (s1, s2) = (others[0], others[1])
            } else if let only = others.first {
                (s1, s2) = (only, nil)
            } else {
                throw FineTuneError("\(data.sources[reference] ?? reference) has no text column, only "
                    + "\(dataset.columnNames): add a column of texts beside 'label'")
            }
        }
        for (split, ds) in data.splits {
            for column in [s1] + (s2.map { [$0] } ?? []) where !ds.columnNames.contains(column) {
                throw FineTuneError("\(data.sources[split] ?? split) has no column '\(column)' (its columns: "
                    + "\(ds.columnNames.joined(separator: ", "))); the \(reference) split uses it as a text column")
            }
        }
        for split in splits where data.split(split) != nil {
            guard try data.splits[split].columnNames.contains(label) else {
                throw FineTuneError("\(data.sources[split] ?? split) has no column '\(label)' (its columns: "
                    + "\(try data.splits[split].columnNames.joined(separator: ", "))): name the label column 'label'")
            }
        }

        // Classes: the features' names when the data declares them, else sorted unique values.
        let labelSplit = data.split("train")?.columnNames.contains(label) == true ? "train"
            : splits.first { data.split($0)?.columnNames.contains(label) == true }
        guard let labelSplit else {
            return TextColumns(sentence1: s1, sentence2: s2, label: label, labelNames: [], isRegression: false, ids: [:])
        }
        let labelData = try data.splits[labelSplit]
        if case .classLabel(let classes) = try labelData.features[label] {
            let ids = Dictionary(uniqueKeysWithValues: classes.names.indices.map { (Value.int($0), $0) })
            let columns = TextColumns(sentence1: s1, sentence2: s2, label: label, labelNames: classes.names,
                                      isRegression: false, ids: ids)
            try columns.checkKnown(data, splits: splits)
            return columns
        }
        let values = try labelData[column: label]
        let kind = try labelKind(values, at: { data.locate(labelSplit, row: $0) }, column: label)
        if kind == .float || taskName == "stsb" {
            // Every labelled split must hold numbers too (a name in validation is an error here).
            for split in splits where split != labelSplit {
                guard let ds = data.split(split), ds.columnNames.contains(label) else { continue }
                // One label that is not a number makes a CSV reader read the whole column as text
                // ("0.5" among them), so the culprit is the first that does not read as a number.
                for (row, value) in try ds[column: label].enumerated() where regressionValue(value) == nil {
                    throw FineTuneError("\(data.locate(split, row: row)): label \(value) in column '\(label)' is not a number, "
                        + "but training's labels are (regression): make every label a number")
                }
            }
            return TextColumns(sentence1: s1, sentence2: s2, label: label, labelNames: [], isRegression: true, ids: [:])
        }
        let unique = Array(Set(values)).sorted(by: labelOrder)
        let names = unique.map(labelName)
        let columns = TextColumns(sentence1: s1, sentence2: s2, label: label, labelNames: names, isRegression: false,
                                  ids: Dictionary(uniqueKeysWithValues: unique.enumerated().map { ($1, $0) }))
        try columns.checkKnown(data, splits: splits)
        return columns
    }

    /// Throws naming the first row of `splits` whose label training never saw.
    func checkKnown(_ data: RawData, splits: [String]) throws {
        for split in splits {
            guard let ds = data.split(split), ds.columnNames.contains(label) else { continue }
            for (row, value) in try ds[column: label].enumerated() where ids[value] == nil {
                // GLUE test rows carry -1 ("no label"), as in Python.
                if split == "test" && value == .int(-1) { continue }
                throw FineTuneError("\(data.locate(split, row: row)): label \(value) in column '\(label)' never occurs in "
                    + "training (classes: \(labelNames.joined(separator: ", "))); fix the label or add training examples of it")
            }
        }
    }
}

/// A regression label as a number: a number, or text that reads as one (a column a CSV reader
/// took for text); nil for anything else.
func regressionValue(_ value: Value) -> Double? {
    switch value {
    case .int(let n): return Double(n)
    case .float(let x): return x.isFinite ? x : nil
    case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
    default: return nil
    }
}

/// What a label column holds.
enum LabelKind: Equatable { case int, float, string }

/// The one kind of every value in a label column; a null or a mixture is an error naming the row.
func labelKind(_ values: [Value], at locate: (Int) -> String, column: String) throws -> LabelKind {
    var kind: LabelKind?, firstRow = 0
    for (row, value) in values.enumerated() {
        let k: LabelKind
        switch value {
        case .int, .bool: k = .int
        case .float: k = .float
        case .string: k = .string
        case .null, .list:
            throw FineTuneError("\(locate(row)): column '\(column)' is \(value.kindName), not a label: every row needs one")
        }
        guard let seen = kind else { kind = k; firstRow = row; continue }
        // Whole and decimal numbers mix (a decimal makes the column float, as pandas reads it); text does not.
        if (seen == .string) != (k == .string) {
            throw FineTuneError("\(locate(row)): column '\(column)' holds \(value.kindName) (\(value)) but row \(firstRow) "
                + "holds \(seen == .string ? "a string" : "a number"): make every label a name, or every label a number")
        }
        if k == .float { kind = .float }
    }
    return kind ?? .string
}

/// Sorted as Python sorts one kind of values: numbers numerically, text by code point.
func labelOrder(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y
    case (.string(let x), .string(let y)): return Array(x.unicodeScalars.map(\.value)).lexicographicallyPrecedes(y.unicodeScalars.map(\.value))
    case (.bool(let x), .bool(let y)): return !x && y
    default: return a.description < b.description
    }
}

/// A label value as a class name: the text itself, or the number written out.
func labelName(_ value: Value) -> String {
    switch value {
    case .string(let s): return s
    case .int(let n): return String(n)
    case .bool(let b): return b ? "True" : "False"
    default: return value.description
    }
}
