import Testing
@testable import CourseKit

@Test func splitsControlLinesAcrossReads() {
    let whole = Array("hello\n\u{1E}course:step 2\u{1E}\nworld\u{1E}course:end\u{1E}\n".utf8)
    // Feed one byte at a time: control lines cut anywhere must still be found.
    var stream = ControlStream()
    var text: [UInt8] = []
    var controls: [String] = []
    for byte in whole {
        for item in stream.feed([byte]) {
            switch item {
            case .text(let t): text += t
            case .control(let c): controls.append(c)
            }
        }
    }
    #expect(controls == ["step 2", "end"])
    #expect(String(decoding: text, as: UTF8.self) == "hello\nworld")
}

@Test func strayRecordSeparatorIsText() {
    var stream = ControlStream()
    var text: [UInt8] = []
    for item in stream.feed(Array("a\u{1E}b\u{1E}\nc".utf8)) {
        if case .text(let t) = item { text += t }
    }
    #expect(String(decoding: text, as: UTF8.self) == "a\u{1E}b\u{1E}\nc")
}

@Test func diagnosticsParse() {
    let out = """
        Chapters/x.md:14:14: error: cannot convert value of type 'String' to specified type 'Int'
        let z: Int = "a"
                     ^~~
        /tmp/prelude.swift:3:1: warning: something
        """
    let diagnostics = Diagnostic.parse(out)
    #expect(diagnostics.count == 2)
    #expect(diagnostics[0] == Diagnostic(file: "Chapters/x.md", line: 14, column: 14, severity: "error",
                                         message: "cannot convert value of type 'String' to specified type 'Int'"))
    #expect(diagnostics[1].severity == "warning")
}

@Test func swiftStringLiteralEscapes() {
    #expect(ProgramGenerator.swiftStringLiteral("a\"b\\c\nd\u{1}") == "\"a\\\"b\\\\c\\nd\\u{1}\"")
}
