import Distributed
import Foundation

/// The per-row results of a prediction loop (see `predictionLoop`), in dataset order: each
/// row's T and T·L logits, its labels, and the sum and count of its token losses.
struct PredictionRows {
    var logits: [(t: Int, values: [Float])]
    var labels: [[Float]]
    var rowLoss: [(sum: Double, count: Int)]
    var haveLabels: Bool
    var labelShape2D: Bool
    var numLabels: Int
    var tokenLevel: Bool
}

extension Trainer {
    /// Under MPI: every rank computed the rows `computed` (its batches of the in-order loop); this
    /// gives every rank every row, so the metrics are computed from the same numbers one process
    /// computes. One all-gather of a flat [Double] record per rank (floats and ints are exact in
    /// Double): a header (rows, has labels, 2-D labels, labels per row, token level), then per
    /// row: index, T, loss sum, loss count, label count, labels, logit count, logits.
    func gatherPredictionRows(_ rows: inout PredictionRows, computed: [Int]) throws {
        var record: [Double] = [Double(computed.count), rows.haveLabels ? 1 : 0, rows.labelShape2D ? 1 : 0,
                                Double(rows.numLabels), rows.tokenLevel ? 1 : 0]
        for i in computed {
            record += [Double(i), Double(rows.logits[i].t), rows.rowLoss[i].sum, Double(rows.rowLoss[i].count),
                       Double(rows.labels[i].count)]
            record += rows.labels[i].map(Double.init)
            record.append(Double(rows.logits[i].values.count))
            record += rows.logits[i].values.map(Double.init)
        }
        let all = try group.allGather(record)
        for part in all {
            var at = 0
            func next() throws -> Double {
                guard at < part.count else { throw TrainerError("internal: a rank's gathered predictions are cut short") }
                defer { at += 1 }
                return part[at]
            }
            let count = Int(try next())
            let have = try next() != 0, twoD = try next() != 0, labels = Int(try next()), token = try next() != 0
            guard count > 0 else { continue } // a rank without a batch says nothing about the rows
            rows.haveLabels = rows.haveLabels && have
            rows.labelShape2D = rows.labelShape2D || twoD
            rows.numLabels = max(rows.numLabels, labels)
            rows.tokenLevel = rows.tokenLevel || token
            for _ in 0..<count {
                let i = Int(try next()), t = Int(try next())
                guard rows.logits.indices.contains(i) else { throw TrainerError("internal: gathered row \(i) is out of range") }
                let sum = try next(), lossCount = Int(try next())
                let labelCount = Int(try next())
                let rowLabels = try (0..<labelCount).map { _ in Float(try next()) }
                let valueCount = Int(try next())
                let values = try (0..<valueCount).map { _ in Float(try next()) }
                rows.logits[i] = (t, values)
                rows.labels[i] = rowLabels
                rows.rowLoss[i] = (sum, lossCount)
            }
        }
    }
}
