import Foundation
import FuzzDriver
@testable import Models

// A safetensors file from arbitrary bytes: the header's validation, then every F32 tensor
// copied out (the copy is where a range that escaped validation would read out of bounds).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard let file = try? Safetensors.parse(data, url: URL(fileURLWithPath: "/fuzz/model.safetensors")) else { return 0 }
    for (name, entry) in file.entries where entry.dtype == "F32" {
        _ = try? file.tensor(name)
    }
    return 0
}

exit(fuzzDriverMain(CommandLine.argc, CommandLine.unsafeArgv))
