import ArgumentParser
import CourseKit

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "step", abstract: "placeholder")
    @Argument var path: String
    func run() throws {}
}
