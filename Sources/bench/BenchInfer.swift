import ArgumentParser
import FineTuning
import Foundation

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Inference throughput (eval-mode forward) of a MiniLM-shaped token classifier.")
    @OptionGroup var grid: BenchGrid

    func run() throws {
        var results: [BenchResult] = []
        for (b, t, n) in try grid.configurations {
            Threads.count = n
            let peakBefore = sgemmPeak()
            let config = miniLMShape(labels: 9)
            let model = BertForTokenClassification(config: config, seed: 42)
            model.eval()
            let (input, _) = try randomBatch(b: b, t: t, vocab: config.vocabSize, labels: 9)
            let m = try measure(seconds: grid.seconds) { _ = try model.forward(input, labels: nil) }
            let peak = max(peakBefore, sgemmPeak())
            let tokens = Double(b * t * m.steps)
            let flops = forwardFlopsPerToken(config, t: t) * tokens
            results.append(BenchResult(name: "infer b\(b) t\(t) x\(n)", b: b, t: t, threads: n, steps: m.steps,
                                       seconds: m.seconds, tokensPerSecond: tokens / m.seconds,
                                       gflops: flops / m.seconds / 1e9, peak: peak))
        }
        report(results, json: grid.json, title: "bench infer: MiniLM-L6 shape, token classification, eval mode")
    }
}
