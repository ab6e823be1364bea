import ArgumentParser
@main struct Course: ParsableCommand {
    func run() throws { print("course: runner not built yet") }
}
