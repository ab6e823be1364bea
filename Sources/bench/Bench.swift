import ArgumentParser

// `bench`: throughput benchmarks, each subcommand in its own file. Build in release mode:
//   swift build -c release --product bench && .build/release/bench <subcommand> [--json]
@main struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Throughput benchmarks of the toolkit, with references measured in the same run.",
        subcommands: [BenchTrain.self, BenchInfer.self, BenchPeak.self, BenchProducts.self, BenchTokenize.self, BenchData.self,
                       BenchAllReduce.self, BenchDDP.self, BenchAccuracy.self])
}
