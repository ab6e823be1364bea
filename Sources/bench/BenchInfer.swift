import ArgumentParser
import FineTuning

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "infer", abstract: "Not implemented yet.")
    @Flag(help: "One JSON object per line per configuration.") var json = false
    func run() throws { throw ValidationError("bench infer is not implemented yet") }
}
