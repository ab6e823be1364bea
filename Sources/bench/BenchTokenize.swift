import ArgumentParser
import FineTuning

struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Not implemented yet.")
    @Flag(help: "One JSON object per line per configuration.") var json = false
    func run() throws { throw ValidationError("bench tokenize is not implemented yet") }
}
