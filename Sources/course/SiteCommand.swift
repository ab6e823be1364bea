import ArgumentParser
import CourseKit
import Foundation

struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Render the chapters as a static HTML site (Site/ by default).",
        discussion: "Reads Chapters/*.md, Chapters/figures/ and Chapters/verified.json; the same chapters give the same bytes. --check compares instead of writing and fails when the site is stale.")

    @Option(help: "Directory to write the site into.") var out = "Site"

    @Flag(help: "Do not write: compare a fresh render with the directory and fail (listing the files) if they differ.")
    var check = false

    func run() throws {
        let report = try VerificationReport.load(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let renderer = SiteRenderer(chapterPaths: try ChapterLoader.discover(in: "Chapters"), report: report)
        let site: Site
        do {
            site = try renderer.render()
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
        let directory = URL(fileURLWithPath: out)
        if check {
            let difference = SiteRenderer.compare(site, with: directory)
            if difference.isEmpty {
                print("\(out)/ is up to date (\(site.files.count) files)")
                return
            }
            for path in difference.differing { print("differs: \(out)/\(path)") }
            for path in difference.missing { print("missing: \(out)/\(path)") }
            for path in difference.extra { print("extra:   \(out)/\(path)") }
            print("\(out)/ is stale: run `course site` to update it, then commit it")
            throw ExitCode.failure
        }
        let changed = try SiteRenderer.write(site, to: directory)
        for path in changed.missing { print("wrote \(out)/\(path)") }
        for path in changed.differing { print("updated \(out)/\(path)") }
        for path in changed.extra { print("removed \(out)/\(path)") }
        print("\(out)/: \(site.files.count) files, \(changed.missing.count + changed.differing.count) written, \(changed.extra.count) removed")
    }
}
