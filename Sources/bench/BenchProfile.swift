import FineTuning
import Foundation

/// `bench train --profile`: where one training step's time goes, by kind of work
/// (`StepProfile`), for each grid configuration: milliseconds per step and share of the step.
/// The same step as `bench train` (forward, backward, gradient norm, AdamW, zero_grad), run for
/// `grid.seconds` after two warm-up steps; "other" is the step time no region claimed.
func profileTrain(_ grid: BenchGrid) throws {
    for (b, t, n) in try grid.configurations {
        Threads.count = n
        let (model, perToken) = try grid.makeModel()
        if grid.bf16 { try model.setBF16(true) }
        let config = model.config
        let (input, tokenLabels) = try randomBatch(b: b, t: t, vocab: config.vocabSize, labels: config.numLabels)
        let labels = perToken ? tokenLabels : Array(tokenLabels.prefix(b))
        model.train()
        let optimizer = try AdamW(model.parameters, lr: 2e-5, weightDecay: 0.01)
        func step() throws {
            let out = try model.forward(input, labels: labels)
            try out.backward()
            let norm = StepProfile.measure(.gradNorm) { gradNorm(model.parameters) }
            StepProfile.measure(.optimizer) { optimizer.step(gradientScale: clipCoefficient(norm: norm, maxNorm: 1)) }
            StepProfile.measure(.zeroGrad) { optimizer.zeroGrad() }
        }
        try step()
        try step()
        StepProfile.reset()
        StepProfile.enabled = true
        defer { StepProfile.enabled = false }
        // At least 5 steps: on a shared machine single steps vary by tens of percent.
        var count = 0
        let start = Date()
        repeat { try step(); count += 1 } while Date().timeIntervalSince(start) < grid.seconds || count < 5
        let elapsed = Date().timeIntervalSince(start)
        StepProfile.enabled = false
        let steps = Double(count)
        let stepMs = 1000 * elapsed / steps
        print("\nprofile: \(grid.bf16 ? "bf16" : "fp32") train b\(b) t\(t), \(n) threads, \(count) steps, "
            + String(format: "%.1f ms/step, %.0f tokens/s", stepMs, Double(b * t) * steps / elapsed))
        print("| kind | ms/step | share |\n|---|---:|---:|")
        var claimed = 0.0
        for kind in StepProfile.Kind.allCases {
            let ms = 1000 * StepProfile.seconds[kind.rawValue] / steps
            claimed += ms
            print(String(format: "| %@ | %.2f | %.1f%% |", kind.label, ms, 100 * ms / stepMs))
        }
        print(String(format: "| other (not in a region) | %.2f | %.1f%% |", stepMs - claimed, 100 * (stepMs - claimed) / stepMs))
    }
}
