import ArgumentParser
import CourseKit
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run chapters as doc-tests; exit 0 only if every step passes.",
        discussion: "The last line is exactly `N passed, N failed, N skipped` (steps; skipped counts no-run steps and unchecked outputs).")

    @Argument(help: "Chapters: files, numbers, file names or ids (default: every Chapters/*.md, in course order).")
    var paths: [String] = []

    @Option(name: .customLong("junit"), help: "Also write a JUnit XML report to this file.")
    var junit: String?

    @Flag(help: "If the whole course passes, record it in Chapters/verified.json (the site's footer: run `course site` and commit both).")
    var record = false

    func run() throws {
        if record, !paths.isEmpty {
            print("course check: --record needs the whole course (it records that every chapter passed): run `course check --record` without chapter names")
            throw ExitCode.failure
        }
        let environment = try Environment.discover()
        let session = CourseSession(environment: environment, reporter: Reporter(style: .forStdout()))
        let (results, summary) = try CourseCheck(session: session).run(paths: paths)
        if let junit {
            try JUnitReport.xml(results).write(toFile: junit, atomically: true, encoding: .utf8)
        }
        // Printed before the summary, which stays the last line.
        if record {
            try VerificationReport.record(results, summary: summary, swiftc: environment.swiftc)
        }
        print(summary)
        if let status = Interruption.exitStatus { throw ExitCode(status) }
        if summary.failed > 0 { throw ExitCode.failure }
    }
}
