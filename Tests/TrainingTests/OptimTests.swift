import Foundation
import Models
import Tensor
@testable import Training
import Testing

/// AdamW, the linear warmup schedule, clipping and gradient accumulation, against PyTorch.
@Suite struct OptimTests {
    struct Trajectory: Decodable {
        let lr: Float, weight_decay: Float, warmup: Int, total: Int, max_grad_norm: Float
        let input_ids: [[Int]], attention_mask: [[Int]], token_type_ids: [[Int]], labels: [[Int]]
        let losses: [Float], lrs: [Float], grad_norms: [Float]
        let final_classifier_weight: [Float], final_classifier_bias: [Float]
    }

    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The tiny random BERT of Tests/ModelsTests/Fixtures (the same initial weights the
    /// trajectory script starts from), as a checkpoint directory.
    func tinyModel(dropout: Float = 0) throws -> (BertForTokenClassification, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = BertConfig(vocabSize: 64, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4,
                                intermediateSize: 64, maxPositionEmbeddings: 16, hiddenDropoutProb: dropout,
                                attentionProbsDropoutProb: dropout, numLabels: 5)
        try JSONEncoder().encode(config).write(to: dir.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(
            at: Self.here.deletingLastPathComponent().appendingPathComponent("ModelsTests/Fixtures/tiny_token.safetensors"),
            to: dir.appendingPathComponent("model.safetensors"))
        return (try BertForTokenClassification.fromPretrained(dir.path), dir)
    }

    func load() throws -> Trajectory {
        try JSONDecoder().decode(Trajectory.self, from: Data(contentsOf: Self.here.appendingPathComponent("Fixtures/adamw_trajectory.json")))
    }

    @Test func fiveStepsMatchPyTorch() throws {
        let fx = try load()
        let (model, dir) = try tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        model.train()
        let optimizer = try AdamW(model.parameters, lr: fx.lr, weightDecay: fx.weight_decay)
        let scheduler = getLinearScheduleWithWarmup(optimizer, numWarmupSteps: fx.warmup, numTrainingSteps: fx.total)
        let batch = try BertInput(inputIds: fx.input_ids, attentionMask: fx.attention_mask, tokenTypeIds: fx.token_type_ids)
        var losses: [Float] = [], lrs: [Float] = [], norms: [Float] = []
        for _ in 0..<fx.total {
            let out = try model(batch, labels: fx.labels)
            try out.backward()
            norms.append(clipGradNorm(model.parameters, maxNorm: fx.max_grad_norm))
            lrs.append(scheduler.lastLR)
            optimizer.step()
            scheduler.step()
            optimizer.zeroGrad()
            losses.append(try #require(out.loss))
        }
        print("losses \(losses) vs PyTorch \(fx.losses)")
        for i in 0..<fx.total {
            #expect(abs(losses[i] - fx.losses[i]) <= 1e-4 * abs(fx.losses[i]), "loss of step \(i)")
            #expect(abs(norms[i] - fx.grad_norms[i]) <= 1e-4 * fx.grad_norms[i], "grad norm of step \(i)")
            #expect(abs(lrs[i] - fx.lrs[i]) <= 1e-9, "lr of step \(i)")
        }
        #expect(maxAbsDiff(model.classifier.weight.value.scalars, fx.final_classifier_weight) <= 1e-5)
        #expect(maxAbsDiff(model.classifier.bias.value.scalars, fx.final_classifier_bias) <= 1e-5)
        #expect(optimizer.stepCount == 5 && scheduler.lastLR == 0)
    }

    /// The Trainer's path — norm over the word embeddings' recorded rows, the clip factor
    /// applied inside `step(gradientScale:)`, zeroing only recorded rows — gives the same bits
    /// as clipGradNorm + step() + a dense zero, step after step.
    @Test func fusedClipAndRecordedRowsMatchTheDensePath() throws {
        let fx = try load()
        let batch = try BertInput(inputIds: fx.input_ids, attentionMask: fx.attention_mask, tokenTypeIds: fx.token_type_ids)
        let (fused, dir1) = try tinyModel(dropout: 0.1), (dense, dir2) = try tinyModel(dropout: 0.1)
        defer { try? FileManager.default.removeItem(at: dir1); try? FileManager.default.removeItem(at: dir2) }
        fused.train(); dense.train()
        let optFused = try AdamW(fused.parameters, lr: 1e-2, weightDecay: 0.01)
        let optDense = try AdamW(dense.parameters, lr: 1e-2, weightDecay: 0.01)
        let wordEmbeddings = try #require(fused.parameter("bert.embeddings.word_embeddings.weight"))
        for step in 0..<4 {
            try fused(batch, labels: fx.labels).backward()
            try dense(batch, labels: fx.labels).backward()
            // Every gradient row outside the record is zero, and the record is not everything.
            if step > 0 {
                let rows = try #require(wordEmbeddings.gradRows)
                #expect(!rows.isEmpty && rows.count < wordEmbeddings.shape[0])
                let c = wordEmbeddings.shape[1], recorded = Set(rows)
                for r in 0..<wordEmbeddings.shape[0] where !recorded.contains(r) {
                    #expect((0..<c).allSatisfy { wordEmbeddings.grad.data[r * c + $0] == 0 })
                }
            }
            let norm = gradNorm(fused.parameters)
            let denseNorm = clipGradNorm(dense.parameters, maxNorm: 0.5)
            #expect(norm == denseNorm, "step \(step)")
            optFused.step(gradientScale: clipCoefficient(norm: norm, maxNorm: 0.5))
            optDense.step()
            optFused.zeroGrad()
            for p in dense.parameters { p.grad.zero() }
            for (a, b) in zip(fused.parameters, dense.parameters) {
                #expect(a.value.scalars == b.value.scalars, "\(a.name) after step \(step)")
                #expect(a.grad.scalars.allSatisfy { $0 == 0 }, "\(a.name) cleared")
            }
        }
    }

    /// Saving after 2 steps and resuming in a fresh optimizer continues the PyTorch trajectory.
    @Test func resumingFromOptimizerStateContinuesTheTrajectory() throws {
        let fx = try load()
        let batch = try BertInput(inputIds: fx.input_ids, attentionMask: fx.attention_mask, tokenTypeIds: fx.token_type_ids)
        let (model, dir) = try tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        model.train()
        var optimizer = try AdamW(model.parameters, lr: fx.lr, weightDecay: fx.weight_decay)
        var scheduler = getLinearScheduleWithWarmup(optimizer, numWarmupSteps: fx.warmup, numTrainingSteps: fx.total)
        var losses: [Float] = []
        for step in 0..<fx.total {
            if step == 2 {
                let saved = optimizer.stateDict()
                let url = dir.appendingPathComponent("optimizer.safetensors")
                try Safetensors.write(saved.tensors, to: url)
                let file = try Safetensors.read(url)
                var tensors: [String: Tensor] = [:]
                for name in file.entries.keys { tensors[name] = try file.tensor(name) }
                optimizer = try AdamW(model.parameters, lr: fx.lr, weightDecay: fx.weight_decay)
                try optimizer.loadStateDict(step: saved.step, tensors: tensors)
                scheduler = getLinearScheduleWithWarmup(optimizer, numWarmupSteps: fx.warmup, numTrainingSteps: fx.total)
                scheduler.load(lastEpoch: step)
                #expect(throws: (any Error).self) { try optimizer.loadStateDict(step: 1, tensors: [:]) }
            }
            let out = try model(batch, labels: fx.labels)
            try out.backward()
            clipGradNorm(model.parameters, maxNorm: fx.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zeroGrad()
            losses.append(try #require(out.loss))
        }
        for i in 0..<fx.total { #expect(abs(losses[i] - fx.losses[i]) <= 1e-4 * abs(fx.losses[i]), "loss of step \(i)") }
        #expect(maxAbsDiff(model.classifier.weight.value.scalars, fx.final_classifier_weight) <= 1e-5)
    }

    @Test func linearScheduleWarmsUpThenDecays() throws {
        let p = Parameter("w", shape: [1])
        let opt = try AdamW([p], lr: 1)
        let s = LinearScheduleWithWarmup(optimizer: opt, numWarmupSteps: 2, numTrainingSteps: 5)
        var seen = [s.lastLR]
        for _ in 0..<6 { s.step(); seen.append(s.lastLR) }
        let expected: [Float] = [0, 0.5, 1, 2.0 / 3, 1.0 / 3, 0, 0]
        #expect(zip(seen, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(seen)")
    }

    @Test func clipScalesToTheGlobalNorm() throws {
        let a = Parameter("a", shape: [2]), b = Parameter("b", shape: [1])
        a.grad.data[0] = 3; a.grad.data[1] = 0; b.grad.data[0] = 4
        #expect(clipGradNorm([a, b], maxNorm: 10) == 5)
        #expect(a.grad.scalars == [3, 0])
        #expect(clipGradNorm([a, b], maxNorm: 1) == 5)
        let after = (a.grad.scalars + b.grad.scalars).map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        #expect(abs(after - 1) < 1e-5)
    }

    @Test func weightDecaySkipsBiasesAndLayerNorm() throws {
        let w = Parameter("encoder.layer.0.output.dense.weight", shape: [2])
        let bias = Parameter("encoder.layer.0.output.dense.bias", shape: [2])
        let norm = Parameter("encoder.layer.0.output.LayerNorm.weight", shape: [2])
        for p in [w, bias, norm] { p.value.data[0] = 2; p.value.data[1] = -4 }
        let opt = try AdamW([w, bias, norm], lr: 0.1, weightDecay: 0.5)
        opt.step() // zero gradients: only the decay moves anything
        #expect(w.value.scalars == [2 * 0.95, -4 * 0.95])
        #expect(bias.value.scalars == [2, -4] && norm.value.scalars == [2, -4])
        #expect(throws: (any Error).self) { try AdamW([w], lr: -1) }
    }

    @Test func gradientAccumulationEqualsTheFullBatch() throws {
        let (model, dir) = try tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ids = [[2, 17, 33, 9], [2, 8, 60, 22], [2, 50, 7, 3], [2, 5, 6, 1]]
        let labels = [[1, 2, 0, 4], [0, 1, 3, 3], [3, 4, 2, 0], [1, 1, 0, 2]]
        try model(BertInput(inputIds: ids), labels: labels).backward()
        let full = model.parameters.map(\.grad.scalars)
        model.zeroGrad()
        for half in [0..<2, 2..<4] {
            try model(BertInput(inputIds: Array(ids[half])), labels: Array(labels[half])).backward(scale: 0.5)
        }
        for (p, g) in zip(model.parameters, full) {
            let scale = max(g.map(abs).max() ?? 0, 1e-6)
            #expect(maxAbsDiff(p.grad.scalars, g) / scale <= 1e-5, "\(p.name)")
        }
    }

    @Test func sameSeedGivesIdenticalLossesWithDropout() throws {
        func run(seed: UInt64) throws -> [Float] {
            let (model, dir) = try tinyModel(dropout: 0.1)
            defer { try? FileManager.default.removeItem(at: dir) }
            model.bert.seed = seed
            model.train()
            let opt = try AdamW(model.parameters, lr: 1e-3, weightDecay: 0.01)
            let fx = try load()
            let batch = try BertInput(inputIds: fx.input_ids, attentionMask: fx.attention_mask)
            var losses: [Float] = []
            for _ in 0..<3 {
                let out = try model(batch, labels: fx.labels)
                try out.backward()
                clipGradNorm(model.parameters, maxNorm: 1)
                opt.step()
                opt.zeroGrad()
                losses.append(try #require(out.loss))
            }
            return losses
        }
        let a = try run(seed: 42), b = try run(seed: 42), c = try run(seed: 7)
        #expect(a == b)
        #expect(a != c)
    }
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } }
