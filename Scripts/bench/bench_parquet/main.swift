// Times reading every column of one Parquet file with the toolkit's reader (Sources/Parquet), compiled
// standalone with -O by Scripts/bench/bench_parquet.sh; prints the median of N reads.
import Foundation
let path = CommandLine.arguments[1]
let reps = Int(CommandLine.arguments[2]) ?? 10
var times: [Double] = []
var total = 0
for _ in 0..<reps {
    let t0 = Date()
    let file = try ParquetFile(contentsOf: URL(fileURLWithPath: path))
    for name in file.columnNames { total &+= try file.column(name).count }
    times.append(Date().timeIntervalSince(t0))
}
times.sort()
print(String(format: "swift Parquet: median %.1f ms, min %.1f ms (%d reps)", times[reps / 2] * 1000, times[0] * 1000, reps), total)
