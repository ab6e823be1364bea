import ArgumentParser
import FineTuning
import Foundation

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Inference throughput (eval-mode forward) of a MiniLM-shaped token classifier or a DistilBERT.")
    @OptionGroup var grid: BenchGrid
    @Flag(help: "With --int8: time the phases of each configuration's last step (activation quantisation, int8 matmul, the rest).")
    var profile = false

    func validate() throws {
        if profile && !grid.int8 { throw ValidationError("--profile times the int8 phases: add --int8") }
    }

    func run() throws {
        var phases: [String] = []
        let results = try runGrid(grid, name: "infer", flopsPerForward: 1) { model, input, _ in
            model.eval()
            let step = { _ = try model.withNoGrad { try model.forward(input, labels: nil) } }
            guard profile else { return step }
            // Profiled separately from the measured steps (timing adds a clock read per product).
            try step()
            Int8Profile.reset()
            Int8Profile.enabled = true
            let start = Date()
            let reps = 5
            for _ in 0..<reps { try step() }
            let total = Date().timeIntervalSince(start) / Double(reps)
            Int8Profile.enabled = false
            let q = Int8Profile.quantizeSeconds / Double(reps), g = Int8Profile.gemmSeconds / Double(reps)
            phases.append(String(format: "b%d t%d: step %.1f ms = quantise %.1f ms (%.0f%%) + int8 matmul %.1f ms (%.0f%%) "
                + "+ rest (attention, softmax, LayerNorm, GELU, embeddings) %.1f ms (%.0f%%); %d products per step",
                input.batchSize, input.sequenceLength, total * 1e3, q * 1e3, 100 * q / total, g * 1e3, 100 * g / total,
                (total - q - g) * 1e3, 100 * (total - q - g) / total, Int8Profile.products / reps))
            return step
        }
        report(results, json: grid.json, title: "bench infer: \(grid.modelDescription), eval mode")
        for line in phases { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
