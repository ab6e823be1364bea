import CourseKit
import Foundation
import FuzzDriver

// The chapter parser (front matter, fences, info strings, exercises) on arbitrary text. Every
// input must give a Chapter or ChapterErrors: a trap or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: start == nil ? 0 : count)
    let source = String(decoding: bytes, as: UTF8.self)
    _ = try? ChapterParser.parse(source, path: "Chapters/fuzz.md")
    return 0
}

exit(fuzzDriverMain(CommandLine.argc, CommandLine.unsafeArgv))
