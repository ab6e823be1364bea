import ArgumentParser
import FineTuning

struct BenchData: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "data", abstract: "Not implemented yet.")
    @Flag(help: "One JSON object per line per configuration.") var json = false
    func run() throws { throw ValidationError("bench data is not implemented yet") }
}
