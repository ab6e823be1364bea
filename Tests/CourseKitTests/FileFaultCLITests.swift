import Foundation
import Testing

/// A file fault the runner meets outside a chapter (an output folder blocked by a file) is told in
/// words naming the path, never as Foundation's "NSCocoaErrorDomain error 512".
@Test func siteIntoAFolderBlockedByAFileSaysSo() throws {
    let dir = try CourseCLI.workspace(["pass.md"])
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data("not a folder".utf8).write(to: dir.appendingPathComponent("blocked"))
    let result = try CourseCLI.run(["site", "--out", "blocked/site"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("blocked/site: a file is in the way: "), "\(result.stderr)")
    #expect(result.stderr.contains("blocked is a file, not a folder"), "\(result.stderr)")
    for raw in ["NSCocoaErrorDomain", "Error Domain=", "could not be completed"] {
        #expect(!result.stderr.contains(raw), "\(result.stderr)")
    }
}
