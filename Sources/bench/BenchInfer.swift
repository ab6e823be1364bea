import ArgumentParser
import FineTuning
import Foundation

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Inference throughput (eval-mode forward) of a MiniLM-shaped token classifier or a DistilBERT.")
    @OptionGroup var grid: BenchGrid

    func run() throws {
        let results = try runGrid(grid, name: "infer", flopsPerForward: 1) { model, input, _ in
            model.eval()
            return { _ = try model.withNoGrad { try model.forward(input, labels: nil) } }
        }
        report(results, json: grid.json, title: "bench infer: \(grid.modelDescription), eval mode")
    }
}
