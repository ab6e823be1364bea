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
        let reporter = Reporter(style: .forStdout())
        let session = CourseSession(environment: environment, reporter: reporter)
        let chapters = paths.isEmpty ? try ChapterLoader.discover(in: "Chapters") : paths.filter { !Translations.isTranslation($0) }
        var results: [ChapterResult] = []
        var summary = Summary()
        for path in chapters {
            if let (_, result) = try session.run(path: path) {
                results.append(result)
                summary.add(result)
            } else {
                summary.failed += 1   // a chapter that does not parse is a failure
            }
            // A signal stopped the run: the chapters after it are not started.
            if Interruption.stoppedBy != nil { break }
        }
        // Translations are compared with their sources, not run (their sources' runs check the outputs).
        TranslationCheck.run(TranslationCheck.paths(for: paths, chapters: chapters), summary: &summary, style: reporter.style)
        if let junit {
            try JUnitReport.xml(results).write(toFile: junit, atomically: true, encoding: .utf8)
        }
        // The site's footer says when and where the outputs were last verified. Only `--record`
        // rewrites it (after a full, passing check), so running the course never changes the
        // checkout. Printed before the summary, which stays the last line.
        if record {
            if summary.failed == 0 {
                let report = VerificationReport.current(results, swiftc: environment.swiftc)
                try report.json().write(to: URL(fileURLWithPath: VerificationReport.path), options: .atomic)
                print("wrote \(VerificationReport.path) (verified on \(report.date)); run `course site` and commit both")
            } else {
                print("not recorded in \(VerificationReport.path): \(summary.failed) step(s) failed")
            }
        }
        print(summary)
        if let status = Interruption.exitStatus { throw ExitCode(status) }
        if summary.failed > 0 { throw ExitCode.failure }
    }
}
