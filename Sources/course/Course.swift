import ArgumentParser

/// `course`: runs, checks, lists (and later steps through and renders) the chapters.
@main struct Course: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Run the course's Markdown chapters as checked, literate programs.",
        discussion: """
            Chapters are Markdown files in Chapters/: each ```swift block is a step, run in order in \
            one program; each ```output block documents what the step before it prints, and is checked.
            """,
        subcommands: [RunCommand.self, CheckCommand.self, ListCommand.self, StepCommand.self, ExerciseCommand.self, DevCommand.self, SiteCommand.self])
}
