import Accelerate
import Datasets
import Distributed
import Models
import Tensor
import Testing
import Training

/// The Accelerator in one process (no mpirun): what a single-process loop does, unchanged.
@Suite struct AcceleratorSingleProcessTests {
    static func rows(_ n: Int) throws -> Dataset {
        try Dataset(rows: (0..<n).map { i in Row([("input_ids", [2, 5 + i % 50, 3].value), ("labels", .int(i % 2))]) })
    }

    static let collate: @Sendable ([Row]) throws -> Batch = { rows in
        var ids: [Int32] = [], labels: [Int32] = []
        for row in rows {
            guard case .list(let items) = try row["input_ids"], case .int(let label) = try row["labels"] else {
                throw TrainerError("bad row")
            }
            ids += items.compactMap { if case .int(let v) = $0 { Int32(v) } else { nil } }
            labels.append(Int32(label))
        }
        return try Batch(input: try BertInput(batchSize: rows.count, sequenceLength: 3, inputIds: ids), labels: labels,
                         labelsShape: [rows.count], keys: ["input_ids", "attention_mask", "labels"])
    }

    @Test func oneProcessSeesTheLoaderAsItIs() throws {
        let accelerator = try Accelerator(threads: 1)
        #expect(accelerator.numProcesses == 1 && accelerator.processIndex == 0)
        #expect(accelerator.isMainProcess && accelerator.isLocalMainProcess)
        let base = try DataLoader(try Self.rows(9), batchSize: 5, shuffle: true, seed: 3, collateFn: Self.collate)
        let loader = try accelerator.prepare(base)
        #expect(loader.count == base.count)
        #expect(loader.batchIndices(epoch: 0) == base.batchIndices(epoch: 0))
        var seen: [Int] = []
        for batch in loader {
            let labels = BatchTensor(shape: [batch.batchSize], values: (batch.labels ?? []).map(Int.init))
            seen += try accelerator.gatherForMetrics(labels).values
        }
        #expect(seen.count == 9)
        #expect(loader.epoch == 1)
        #expect(loader.batchIndices(epoch: 1) == base.batchIndices(epoch: 1))
    }

    @Test func gatherAndPadAreIdentitiesForOneProcess() throws {
        let accelerator = try Accelerator(threads: 1)
        let t = Tensor(shape: [2, 3])
        for i in 0..<6 { t.data[i] = Float(i) }
        #expect(try accelerator.gather(t).scalars == t.scalars)
        let ids = BatchTensor(shape: [2, 2], values: [1, 2, 3, 4])
        #expect(try accelerator.padAcrossProcesses(ids, dim: 1, padIndex: -100) == ids)
        #expect(try accelerator.gather(1.5) == [1.5])
        #expect(throws: TrainerError.self) { try accelerator.padAcrossProcesses(ids, dim: 2) }
    }

    @Test func prepareBroadcastsNothingAndChecksTheOptimizer() throws {
        let accelerator = try Accelerator(threads: 1)
        let config = BertConfig(vocabSize: 64, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2,
                                intermediateSize: 32, maxPositionEmbeddings: 8, numLabels: 2)
        let model = BertForSequenceClassification(config: config, seed: 1)
        let before = parameterDigest(model.parameters)
        try accelerator.prepare(model)
        #expect(parameterDigest(model.parameters) == before)
        let other = BertForSequenceClassification(config: config, seed: 2)
        #expect(throws: TrainerError.self) { try accelerator.prepare(try AdamW(other.parameters)) }
        _ = try accelerator.prepare(try AdamW(model.parameters))
    }

    @Test func aBatchThatFailsToCollateEndsTheLoopWithItsError() throws {
        let accelerator = try Accelerator(threads: 1)
        // Rows collate one by one (the DataLoader's check), but not four at a time.
        let picky: @Sendable ([Row]) throws -> Batch = { rows in
            if rows.count > 3 { throw TrainerError("too many rows") }
            return try Self.collate(rows)
        }
        let loader = try accelerator.prepare(try DataLoader(try Self.rows(8), batchSize: 4, collateFn: picky))
        var batches = 0
        for _ in loader { batches += 1 }
        #expect(batches == 0)
        #expect("\(loader.lastError.map { "\($0)" } ?? "")".contains("too many rows"))
        #expect(loader.epoch == 0)
    }
}
