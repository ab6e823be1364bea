import Datasets
import Digest
import Foundation
import Tensor

// Evaluation and prediction under a `TrainingReplayStore` (`course step`, `course exercise
// check`): the model's forward passes over a dataset are a pure function of the weights, the
// rows, the collator, the batch size and the thread count, so their result is kept and reused
// when all of these are the same. Everything after the forward passes (`computeMetrics`, the
// log entry, the callbacks, the speed metrics) runs for real on the kept logits. Without a
// store (`course check`, `course run`, any program of one's own) nothing is kept.

/// Every row's logits and labels in dataset order, and Python's `eval_loss`.
struct ForwardRows {
    var predictions: Tensor
    var labelIds: BatchTensor?
    var floatLabelIds: [Float]?
    var loss: Double?
}

extension Trainer {
    /// `compute()`, or the kept result of the same forward passes.
    func cachedForwardRows(_ dataset: Dataset, _ compute: () throws -> ForwardRows) throws -> ForwardRows {
        guard let store = replayStore, group.size == 1 else { return try compute() }
        let url = store.directory.appendingPathComponent("predictions/\(try predictionKey(dataset, build: store.build)).bin")
        if let data = try? Data(contentsOf: url), data.count >= 9,
           let kept = try? RecordedEvaluation(decoding: Data(data.dropFirst(9))) {
            let hasLoss = data[data.startIndex] == 1
            let loss = data.subdata(in: data.startIndex + 1..<data.startIndex + 9).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            return ForwardRows(predictions: kept.prediction.predictions, labelIds: kept.prediction.labelIds,
                               floatLabelIds: kept.prediction.floatLabelIds,
                               loss: hasLoss ? Double(bitPattern: UInt64(littleEndian: loss)) : nil)
        }
        let rows = try compute()
        // [has loss: 1 byte][loss: 8 bytes][predictions and labels as a recorded evaluation]
        var data = Data([rows.loss == nil ? 0 : 1])
        withUnsafeBytes(of: (rows.loss ?? 0).bitPattern.littleEndian) { data.append(contentsOf: $0) }
        data.append(RecordedEvaluation(EvalPrediction(predictions: rows.predictions, labelIds: rows.labelIds,
                                                      floatLabelIds: rows.floatLabelIds)).encoded())
        let folder = url.deletingLastPathComponent()
        let tmp = folder.appendingPathComponent(".tmp-\(getpid())-\(url.lastPathComponent)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: tmp)
            _ = try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: tmp, to: url)
            keepNewest(32, in: folder)
        } catch {
            try? FileManager.default.removeItem(at: tmp)   // keeping is an optimisation: the rows are computed
        }
        return rows
    }

    /// SHA-256 over what decides every logit: build, CPU, threads, model class, config, weights
    /// and bf16, the eval batch size and length column (they decide the batches), every value of
    /// the rows, and the collator.
    private func predictionKey(_ dataset: Dataset, build: String) throws -> String {
        var h = SHA256()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        h.update("predictions 1|\(build)|\(TrainingReplayKey.cpuModel)|\(Threads.inUse)|\(String(reflecting: Model.self))|")
        h.update(String(decoding: try encoder.encode(model.config), as: UTF8.self))
        h.update("|bf16 \(args.bf16) \(model.usesBF16)|quantization \(args.evalQuantization) \(model.quantization)|batch \(args.perDeviceEvalBatchSize)|length \(args.lengthColumnName)|")
        for p in model.parameters {
            h.update(p.name)
            h.update(buffer: UnsafeRawBufferPointer(start: p.value.data, count: p.value.count * MemoryLayout<Float>.size))
        }
        try TrainingReplayKey.hash(dataset, into: &h)
        h.update(String(reflecting: dataCollator))
        return SHA256.hex(h.finalize())
    }
}
