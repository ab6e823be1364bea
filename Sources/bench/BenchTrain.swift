import ArgumentParser
import FineTuning

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Not implemented yet.")
    @Flag(help: "One JSON object per line per configuration.") var json = false
    func run() throws { throw ValidationError("bench train is not implemented yet") }
}
