// Fuzz target for the Parquet reader (Sources/Parquet): the input is a whole file. Opening it
// parses and checks the footer (Thrift compact FileMetaData, schema, row groups); reading every
// column then walks the page headers, levels, dictionaries, codecs and values behind it, which
// the footer's offsets point into. Small limits keep one input's memory well under the fuzzer's.
// Seeds (corpus/) are written by Scripts/fixtures/parquet_fixtures.py. See /work/brief/FUZZ.md.
import Foundation
import FuzzDriver
import Parquet

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    var limits = ParquetLimits()
    limits.maxValuesPerPage = 1 << 16
    limits.maxValuesPerChunk = 1 << 18
    limits.maxRows = 1 << 18
    guard let file = try? ParquetFile(bytes: bytes, name: "fuzz", limits: limits) else { return 0 }
    for name in file.columnNames { _ = try? file.column(name) }   // a thrown error is the correct answer
    return 0
}

exit(fuzzDriverMain(CommandLine.argc, CommandLine.unsafeArgv))
