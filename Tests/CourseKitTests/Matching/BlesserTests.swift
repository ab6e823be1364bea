import Testing
@testable import CourseKit

private func result(_ step: Step, _ output: String, _ outcome: StepOutcome = .failed("x")) -> StepResult {
    StepResult(step: step, outcome: outcome, seconds: 0, output: output)
}

@Test func blessRewritesOnlyDifferingBlocksAndKeepsEverythingElse() throws {
    let text = "# T  \r\n\nprose with trailing spaces   \n\n```swift\nprint(1)\n```\n\n```output\nold\n```\n\n```swift\nprint(2)\n```\n\n```output approx=0.1\n2.0\n```\ntail"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    let (blessed, changes) = Blesser.bless(chapter, results: [result(chapter.steps[0], "new\n"), result(chapter.steps[1], "2.05\n", .passed)])
    #expect(changes == [Blesser.Change(step: 1, line: 9, inserted: false, edits: [.rewrote(line: 10, old: "old", new: "new")])])
    #expect(blessed == text.replacingOccurrences(of: "```output\nold\n```", with: "```output\nnew\n```"))
}

@Test func blessInsertsMissingBlocksAndEmptiesBlocks() throws {
    let text = "```swift\nprint(1)\n```\nprose\n```swift\n```\n```output\nstale\n```\n"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    let (blessed, changes) = Blesser.bless(chapter, results: [result(chapter.steps[0], "one\ntwo\n\n"), result(chapter.steps[1], "")])
    #expect(blessed == "```swift\nprint(1)\n```\n\n```output\none\ntwo\n```\nprose\n```swift\n```\n```output\n```\n")
    #expect(changes.map(\.inserted) == [true, false])
    // Blessing the result again changes nothing.
    let again = try ChapterParser.parse(blessed, path: "t.md")
    let (same, none) = Blesser.bless(again, results: [result(again.steps[0], "one\ntwo\n", .passed), result(again.steps[1], "", .passed)])
    #expect(same == blessed && none.isEmpty)
}

@Test func blessLeavesCrashesAndUncheckedAlone() throws {
    let text = "```swift\n```\n```output unchecked\nx\n```\n```swift\n```\n```output\ny\n```\n"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    let (blessed, changes) = Blesser.bless(chapter, results: [result(chapter.steps[0], "z"), result(chapter.steps[1], "partial", .crashed("boom"))])
    #expect(blessed == text && changes.isEmpty)
}

@Test func blessUsesALongerFenceWhenOutputHasBackticks() throws {
    let chapter = try ChapterParser.parse("```swift\n```\n", path: "t.md")
    let (blessed, _) = Blesser.bless(chapter, results: [result(chapter.steps[0], "```code```\n")])
    #expect(blessed == "```swift\n```\n\n````output\n```code```\n````\n")
}

@Test func junitEscapesAndCounts() throws {
    let chapter = try ChapterParser.parse("```swift id=a\n```\n```swift no-run\n```\n", path: "c&d.md")
    var r = ChapterResult(chapter: chapter, steps: [])
    r.steps = [StepResult(step: chapter.steps[0], outcome: .failed("diff <here>\n-a\n+b"), seconds: 0.5, output: ""),
               StepResult(step: chapter.steps[1], outcome: .skipped(.noRun), seconds: 0, output: nil)]
    let xml = JUnitReport.xml([r])
    #expect(xml.contains("<testsuite name=\"c&amp;d.md\" tests=\"2\" failures=\"1\" skipped=\"1\""))
    #expect(xml.contains("<failure type=\"mismatch\" message=\"diff &lt;here&gt;\">diff &lt;here&gt;\n-a\n+b</failure>"))
    #expect(xml.contains("<skipped message=\"no-run\"/>"))
}

@Test func blessKeepsCRLFLineEnds() throws {
    let text = "```swift\r\nprint(1)\r\n```\r\n```output\r\nold\r\n```\r\n"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    #expect(chapter.steps.count == 1 && chapter.steps[0].output?.fenceLine == 4)
    let (blessed, _) = Blesser.bless(chapter, results: [result(chapter.steps[0], "new\n")])
    #expect(blessed == "```swift\r\nprint(1)\r\n```\r\n```output\r\nnew\r\n```\r\n")
}

@Test func blessKeepsMatchingLinesAndEditsOnlyTheRest() throws {
    let text = "```swift\n```\n```output\nstart\n...\nend [..]\ngone\n```\n"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    let (blessed, changes) = Blesser.bless(chapter, results: [result(chapter.steps[0], "start\nx\ny\nend 12 s\nnew\n")])
    #expect(blessed == "```swift\n```\n```output\nstart\n...\nend [..]\nnew\n```\n")
    #expect(changes.first?.edits == [.rewrote(line: 7, old: "gone", new: "new")])
    // A line added at the end and a line removed.
    let (more, moreChanges) = Blesser.bless(chapter, results: [result(chapter.steps[0], "start\nend 1 s\ngone\nextra\n")])
    #expect(more == "```swift\n```\n```output\nstart\n...\nend [..]\ngone\nextra\n```\n")
    #expect(moreChanges.first?.edits == [.added(line: 8, new: "extra")])
    let (fewer, _) = Blesser.bless(chapter, results: [result(chapter.steps[0], "start\nend 1 s\n")])
    #expect(fewer == "```swift\n```\n```output\nstart\n...\nend [..]\n```\n")
}

@Test func blessKeepsNumbersWithinToleranceAndUnorderedLines() throws {
    let text = "```swift\n```\n```output approx=0.01\nloss 0.41 f1 0.80 epoch 1\n```\n```swift\n```\n```output unordered\nb\na\nc\n```\n"
    let chapter = try ChapterParser.parse(text, path: "t.md")
    let (blessed, _) = Blesser.bless(chapter, results: [result(chapter.steps[0], "loss 0.4123 f1 0.8512 epoch 1\n"),
                                                        result(chapter.steps[1], "a\nb\nd\n")])
    #expect(blessed == "```swift\n```\n```output approx=0.01\nloss 0.41 f1 0.8512 epoch 1\n```\n```swift\n```\n```output unordered\nb\na\nd\n```\n")
}
