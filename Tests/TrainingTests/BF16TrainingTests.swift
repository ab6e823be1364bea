import Foundation
import Models
import Tensor
@testable import Training
import Testing

/// `TrainingArguments(bf16: true)` on the Trainer's tiny model: the loss trajectory follows fp32's,
/// evaluation runs in bf16 too, and the checkpoint holds plain fp32 weights.
@Suite struct BF16TrainingTests {
    @Test func twentyStepLossTrajectoryFollowsFP32AndCheckpointIsF32() throws {
        let dirA = TrainerTests.tempDir(), dirB = TrainerTests.tempDir()
        defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
        func args(_ dir: String, bf16: Bool) -> TrainingArguments {
            TrainerTests.args(dir) {
                $0.maxSteps = 20
                $0.saveStrategy = .steps
                $0.saveSteps = 20
                $0.bf16 = bf16
            }
        }
        let fp32 = try TrainerTests.run(args(dirA, bf16: false))
        let bf16 = try TrainerTests.run(args(dirB, bf16: true))
        // The Trainer switches precision for the run only: the caller's model is fp32 again.
        #expect(!fp32.trainer.model.usesBF16 && !bf16.trainer.model.usesBF16)
        let a = fp32.trainer.state.logHistory.compactMap { $0["loss"] }
        let b = bf16.trainer.state.logHistory.compactMap { $0["loss"] }
        #expect(a.count == 20 && b.count == 20)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
        print("bf16 vs fp32 loss over 20 steps: worst |Δ| \(worst); fp32 \(a.first!) → \(a.last!), bf16 \(b.first!) → \(b.last!)")
        // bf16 products move each step's loss by well under 1% here (losses 1.1 → ~0.5); the
        // trajectories must stay within 0.03 of each other and both learn.
        #expect(worst <= 0.03)
        #expect(worst > 0) // the bf16 run really differs
        #expect(b.last! < b.first! * 0.8)
        let evalA = fp32.trainer.state.logHistory.compactMap { $0["eval_loss"] }
        let evalB = bf16.trainer.state.logHistory.compactMap { $0["eval_loss"] }
        #expect(!evalB.isEmpty && abs(evalA.last! - evalB.last!) <= 0.03)

        // The checkpoint: every tensor F32, equal to the fp32 master weights.
        let file = try Safetensors.read(URL(fileURLWithPath: dirB + "/checkpoint-20/model.safetensors"))
        #expect(file.entries.values.allSatisfy { $0.dtype == "F32" })
        for p in bf16.trainer.model.parameters {
            #expect(try file.tensor(p.name).scalars == p.value.scalars, "\(p.name)")
        }
    }

    @Test func bf16ArgumentRoundTripsThroughJSON() throws {
        let args = TrainingArguments("out", bf16: true)
        let back = try JSONDecoder().decode(TrainingArguments.self, from: JSONEncoder().encode(args))
        #expect(back.bf16 && back == args)
        #expect(!TrainingArguments("out").bf16)
    }
}

/// Precision is scoped: `train`, `evaluate` and `predict` with `bf16: true` leave a caller's fp32
/// model in fp32, and a model the caller switched to bf16 stays in bf16.
@Test func trainerRestoresTheCallersPrecision() throws {
    let dir = TrainerTests.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let model = BertForTokenClassification(config: TrainerTests.config, seed: 1)
    let data = try TrainerTests.dataset(8, tokens: true)
    let trainer = try Trainer(model: model, args: TrainerTests.args(dir) { $0.maxSteps = 2; $0.bf16 = true },
                              trainDataset: data, evalDataset: data,
                              dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
    trainer.printLine = { _ in }
    try trainer.train()
    #expect(!model.usesBF16)
    _ = try trainer.predict(data)
    #expect(!model.usesBF16)
    try model.setBF16(true)
    _ = try trainer.evaluate()
    #expect(model.usesBF16, "a model the caller put in bf16 stays there")
}
