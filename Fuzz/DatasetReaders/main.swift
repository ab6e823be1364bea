import Foundation
import FuzzDriver
@testable import Datasets

// The dataset text readers on arbitrary bytes. The first byte chooses the reader:
// 0 CoNLL-2003, 1 TSV (quoting off, as GLUE), 2 CSV (quoting on), 3 JSON Lines.
// A dataset that loads is printed and its rows read back (its columns must agree).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let body = Data(bytes: start + 1, count: count - 1)
    let dataset: Dataset?
    switch start[0] % 4 {
    case 0: dataset = try? CoNLL2003.parse(body, name: "fuzz/train.txt")
    case 1, 2:
        let options: DelimitedOptions = start[0] % 4 == 1 ? .tsv : .csv
        dataset = (try? DelimitedTable(body, options: options, name: "fuzz/train.tsv")).flatMap { table in
            try? Dataset(table.header.indices.map { (table.header[$0], table.column($0)) })
        }
    default: dataset = try? parseJSONLines(body, name: "fuzz/train.jsonl")
    }
    guard let dataset else { return 0 }
    _ = "\(dataset)"
    for i in 0..<min(dataset.count, 4) { _ = try? dataset[i] }
    return 0
}

exit(fuzzDriverMain(CommandLine.argc, CommandLine.unsafeArgv))
