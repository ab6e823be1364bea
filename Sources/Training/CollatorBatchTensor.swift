/// One integer column of a collated batch (`batch["labels"]`): a shape and row-major values.
/// Prints like the `torch.Tensor` the Python collator returns, so a chapter step that prints
/// `batch["labels"]` shows what the Python course shows:
///
///     tensor([[-100,    3,    4, -100],
///             [-100,    1,    2, -100]])
public struct BatchTensor: Sendable, Equatable, CustomStringConvertible {
    /// [B, T] for token columns, [B] for sequence labels.
    public let shape: [Int]
    /// Row-major values, `shape.reduce(1, *)` of them.
    public let values: [Int]

    /// A tensor of this shape over these row-major values.
    public init(shape: [Int], values: [Int]) {
        self.shape = shape
        self.values = values
    }

    /// The values as nested rows (Python `tensor.tolist()` of a 2-D tensor); a 1-D tensor is one row.
    public var rows: [[Int]] {
        guard shape.count == 2, shape[1] > 0 else { return [values] }
        return stride(from: 0, to: values.count, by: shape[1]).map { Array(values[$0..<($0 + shape[1])]) }
    }

    /// Python `tensor.shape`.
    public var size: [Int] { shape }

    /// torch's layout: numbers right-aligned to one width, rows wrapped at 80 columns; above
    /// 1,000 values each dimension longer than 6 shows its first and last 3 entries around
    /// `...`, as torch summarises.
    public var description: String {
        if values.isEmpty { return "tensor([], dtype=torch.int64)" }
        let summarize = values.count > 1000
        func kept(_ n: Int) -> [Int?] {
            guard summarize, n > 6 else { return (0..<n).map { $0 } }
            return [0, 1, 2, nil, n - 3, n - 2, n - 1]
        }
        let matrix = shape.count == 2
        let rowsShown = matrix ? kept(shape[0]) : [0]
        let columns = matrix ? shape[1] : values.count
        let columnsShown = kept(columns)
        var width = 1
        for r in rowsShown.compactMap({ $0 }) {
            for c in columnsShown.compactMap({ $0 }) { width = max(width, String(values[r * columns + c]).count) }
        }
        // "tensor(" is 7 columns; each row of a matrix starts one further in.
        let indent = matrix ? 8 : 7
        let perLine = max(1, (80 - indent) / (width + 2))
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        func vector(_ r: Int) -> String {
            let items = columnsShown.map { c in c.map { pad(String(values[r * columns + $0])) } ?? " ..." }
            let lines = stride(from: 0, to: items.count, by: perLine).map {
                items[$0..<min($0 + perLine, items.count)].joined(separator: ", ")
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        if !matrix { return "tensor(" + vector(0) + ")" }
        return "tensor([" + rowsShown.map { r in r.map(vector) ?? "..." }
            .joined(separator: ",\n" + String(repeating: " ", count: 8)) + "])"
    }
}
