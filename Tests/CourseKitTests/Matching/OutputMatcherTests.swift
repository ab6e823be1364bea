import Testing
@testable import CourseKit

private func match(_ expected: String, _ actual: String, approx: Tolerance? = nil, unordered: Bool = false) -> Bool {
    var options = OutputOptions()
    options.approx = approx
    options.unordered = unordered
    return OutputMatcher.matches(expected: expected, actual: actual, options: options)
}

@Test func exactAfterTrimming() {
    #expect(match("a\nb\n", "a  \nb\t\n\n\n"))
    #expect(match("", "\n \n"))
    #expect(!match("a\nb", "a\nc"))
    #expect(!match("a", " a"), "leading whitespace matters")
    #expect(!match("a\n\nb", "a\nb"), "inner blank lines matter")
}

@Test func ellipsisLines() {
    #expect(match("start\n...\nend", "start\nend"))
    #expect(match("start\n...\nend", "start\n1\n2\n3\nend"))
    #expect(match("...\nend", "x\nend"))
    #expect(match("start\n...", "start"))
    #expect(!match("start\n...\nend", "start\n1\nnot the end"))
    #expect(match("a\n...\nb\n...\nc", "a\nx\nb\ny\nz\nc"))
    #expect(!match("a\n...\nb\n...\nc", "a\nc\nb"))
}

@Test func inlineWildcards() {
    #expect(match("took [..] seconds", "took 0.0012 seconds"))
    #expect(match("took [..] seconds", "took  seconds"))
    #expect(match("[..]", "anything at all"))
    #expect(match("a[..]b[..]c", "a1b2b3c"))
    #expect(!match("took [..] seconds", "took 1 second"))
    #expect(!match("x [..]", "y z"))
    #expect(match("[.] literal", "[.] literal"), "only [..] is a wildcard")
}

@Test func absoluteTolerance() {
    #expect(match("loss: 0.4170", "loss: 0.41704", approx: .absolute(0.001)))
    #expect(!match("loss: 0.4170", "loss: 0.4190", approx: .absolute(0.001)))
    #expect(match("f1 0.87 acc 0.97", "f1 0.8705 acc 0.9702", approx: .absolute(0.001)))
    #expect(!match("loss: 0.4170", "LOSS: 0.4170", approx: .absolute(0.001)), "text around numbers is exact")
    #expect(match("x = -1.5e-3", "x = -0.0015", approx: .absolute(1e-9)))
    #expect(match("epoch 1/3", "epoch 1/3", approx: .absolute(0.5)))
    #expect(!match("epoch 1/3", "epoch 2/3", approx: .absolute(0.5)))
    #expect(!match("0.5", "0.5 extra", approx: .absolute(1)))
    #expect(!match("1.0", "abc", approx: .absolute(1)))
}

@Test func relativeTolerance() {
    #expect(match("1000 tokens/s", "1019 tokens/s", approx: .relative(0.02)))
    #expect(!match("1000 tokens/s", "1021 tokens/s", approx: .relative(0.02)))
    #expect(match("0", "0", approx: .relative(0.02)))
    #expect(!match("0", "0.001", approx: .relative(0.02)), "relative tolerance of zero is zero")
}

@Test func toleranceWithWildcardsAndEllipsis() {
    #expect(match("step [..] loss 0.50\n...\ndone", "step 10 loss 0.501\nnoise\ndone", approx: .absolute(0.01)))
}

@Test func numbersInDatesAndNames() {
    // Hyphens after digits are signs of the next number on both sides, consistently.
    #expect(match("2026-11-22", "2026-11-22", approx: .absolute(0)))
    #expect(match("B-PER 0.5", "B-PER 0.5001", approx: .absolute(0.001)))
    #expect(match("F1 0.5", "F1 0.5", approx: .absolute(0.001)))
}

@Test func unorderedLines() {
    #expect(match("a\nb\nc", "c\na\nb", unordered: true))
    #expect(!match("a\nb\nc", "c\na", unordered: true))
    #expect(!match("a\na\nb", "a\nb\nb", unordered: true), "lines are a multiset")
    #expect(match("x -> [..]\ny -> 1", "y -> 1\nx -> 5", unordered: true))
    #expect(match("a\n...", "b\na\nc", unordered: true), "... allows extra lines")
    #expect(!match("a", "b\na", unordered: true))
}

@Test func diffShowsOnlyRealDifferences() {
    var options = OutputOptions()
    options.approx = .absolute(0.01)
    let diff = OutputMatcher.diff(expected: "loss 0.50\nacc 0.90\nf1 0.80", actual: "loss 0.501\nacc 0.95\nf1 0.80", options: options)
    #expect(diff == """
        --- expected
        +++ actual
        @@ -1,3 +1,3 @@
         loss 0.50
        -acc 0.90
        +acc 0.95
         f1 0.80
        """)
}

@Test func diffHunksAreSeparated() {
    let e = (1...20).map { "line \($0)" }
    var a = e
    a[1] = "changed 2"
    a[17] = "changed 18"
    let diff = UnifiedDiff.make(expected: e, actual: a) { e[$0] == a[$1] }
    let hunks = diff.split(separator: "\n").filter { $0.hasPrefix("@@") }
    #expect(hunks == ["@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"])
}
