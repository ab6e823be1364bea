// swift-tools-version:6.0
// The course package: a fine-tuning toolkit (library product `FineTuning`), the `course`
// runner, and their tests. See README.md and ../shared/DESIGN.md.
import Foundation
import PackageDescription

// The numeric kernels are compiled for the vector units of the machine that builds them (the
// course is always built where it runs: Scripts/setup.sh): plain x86-64 code is SSE2, 4 floats
// wide, and cannot vectorise the 64-bit hashing of the dropout masks. AVX-512 (DQ/BW/VL) gets
// Skylake-AVX512 code, AVX2 + FMA Haswell code, anything else the default.
// COURSE_TARGET_CPU=<cpu> (or =default) overrides the choice, e.g. to build for another machine.
let targetCPU: String? = {
    if let chosen = ProcessInfo.processInfo.environment["COURSE_TARGET_CPU"] { return chosen == "default" ? nil : chosen }
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    if flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx2", "fma"]) { return "skylake-avx512" }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "haswell" }
    return nil
}()

// Numeric modules pass raw buffers into `DispatchQueue.concurrentPerform` and cblas; Swift 5
// language mode keeps them free of Sendable ceremony around pointers. Everything else is
// Swift 6.
let numeric: [SwiftSetting] = [
    .swiftLanguageMode(.v5),
    .unsafeFlags(["-Ounchecked"] + (targetCPU.map { ["-target-cpu", $0] } ?? []), .when(configuration: .release)),
]

let package = Package(
    name: "SwiftFineTuningCourse",
    platforms: [.macOS(.v14)],
    products: [
        // Dynamic so the runner can compile chapter programs against it once it is built.
        .library(name: "FineTuning", type: .dynamic, targets: ["FineTuning"]),
        .executable(name: "course", targets: ["course"]),
        .executable(name: "bench", targets: ["bench"]),
        // run_glue / run_ner as one command (issue 27): `finetune text-classification|token-classification`.
        .executable(name: "finetune", targets: ["finetune"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (Scripts/docs.sh): the toolkit's API reference.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries (apt: libopenblas-dev, libcmark-dev).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark",
                       providers: [.apt(["libcmark-dev"])]),
        // The Parquet codecs (apt: libsnappy-dev, libzstd-dev).
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", pkgConfig: "snappy",
                       providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        // Open MPI, for data-parallel training (apt: libopenmpi3, openmpi-bin for mpirun): loaded with
        // dlopen when a program runs under mpirun, not linked; building needs no MPI headers.
        .target(name: "CMPI"),
        // oneDNN for the bf16 (mixed-precision) products (apt: libdnnl-dev for its headers): loaded
        // with dlopen on first use, not linked, so programs that never use bf16 run without it.
        .target(name: "CDNNL"),

        // Toolkit, in dependency order.
        .target(name: "Digest"),
        // What went wrong with a file, in words (Foundation on Linux reports only error numbers).
        .target(name: "Files"),
        .target(name: "Hub", dependencies: ["Digest", "Files"]),
        .target(name: "CVector"),
        .target(name: "Tensor", dependencies: ["CBLAS", "CVector", "CDNNL"], swiftSettings: numeric),
        .target(name: "Tokenizers", dependencies: ["Hub", "Files"]),
        .target(name: "PythonStyle"),
        // Reads untrusted files: built with the default checks, not -Ounchecked.
        .target(name: "Parquet", dependencies: ["CSnappy", "CZstd", "Digest"]),
        .target(name: "Datasets", dependencies: ["Hub", "Files", "PythonStyle", "Parquet"]),
        .target(name: "Metrics", dependencies: ["PythonStyle"]),
        .target(name: "Models", dependencies: ["Tensor", "Hub", "Files"], swiftSettings: numeric),
        // The process group over MPI (ranks, broadcast, bucketed all-reduce, gathers, sharding);
        // knows nothing of tensors or models.
        .target(name: "Distributed", dependencies: ["CMPI"], swiftSettings: numeric),
        .target(name: "Training", dependencies: ["Digest", "Files", "Tensor", "Hub", "Models", "Datasets", "Tokenizers", "Metrics",
                                                 "Distributed", "PythonStyle"],
                swiftSettings: numeric),
        // The Accelerator (Python Accelerate's surface) over Distributed and Training.
        .target(name: "Accelerate", dependencies: ["Distributed", "Files", "Tensor", "Models", "Tokenizers", "Training"],
                swiftSettings: numeric),
        .target(name: "Pipelines", dependencies: ["Models", "Tokenizers", "Hub"], swiftSettings: numeric),
        // SVG line plots (training curves); no dependencies, so it stays independent of Training.
        .target(name: "Plots", dependencies: ["Files"]),
        .target(name: "FineTuning",
                dependencies: ["Digest", "Files", "Hub", "Tensor", "Tokenizers", "Datasets", "Metrics", "Models",
                               "Training", "Pipelines", "Plots", "Distributed", "Accelerate"]),

        // The runner knows nothing of the ML modules: it runs chapters in a child process.
        .target(name: "CourseKit", dependencies: ["CCmark", "Digest"]),
        .executableTarget(name: "course", dependencies: [
            "CourseKit", "Files", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "bench", dependencies: [
            "FineTuning", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: numeric),

        // `finetune`: the options, data checks and runs live in FineTuneKit (tested); the executable is a thin shell.
        .target(name: "FineTuneKit", dependencies: ["Files", "Hub", "Tokenizers", "PythonStyle", "Datasets", "Metrics", "Models",
                                                  "Distributed", "Training"], swiftSettings: numeric),
        .executableTarget(name: "finetune", dependencies: ["FineTuneKit"], swiftSettings: numeric),

        // A small program the distributed tests and the benchmark run under `mpirun -n 2`.
        .executableTarget(name: "mpi-check", dependencies: ["FineTuning"], swiftSettings: numeric),

        // Tests mirror the modules; TestSupport holds what they all need to find on disk
        // (fixtures, the package root, the data mirror, temporary directories) and the local
        // HTTP server the Hub, Datasets and Tokenizers download tests talk to.
        .target(name: "TestSupport", dependencies: ["Digest"], path: "Tests/TestSupport"),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "FilesTests", dependencies: ["Files"]),
        .testTarget(name: "HubTests", dependencies: ["Hub", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], swiftSettings: numeric),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Digest", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TestSupport"], exclude: ["Fixtures"], swiftSettings: numeric),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"], exclude: ["Fixtures"], swiftSettings: numeric),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines", "TestSupport"], exclude: ["Fixtures"], swiftSettings: numeric),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"]),
        // Sharding as pure functions, and real `mpirun -n 2` runs of the mpi-check program.
        .testTarget(name: "DistributedTests", dependencies: ["Distributed", "Accelerate", "Training", "Models", "Tensor",
                                                            "Datasets", "TestSupport"]),
        .testTarget(name: "FineTuneKitTests", dependencies: ["FineTuneKit", "Metrics", "Models", "Training", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: numeric),
        // Fixture chapters are read from disk by path and run through the real `course` binary.
        .testTarget(name: "CourseKitTests", dependencies: ["CourseKit", "TestSupport"], exclude: ["Fixtures"]),
    ]
)

// Fuzz targets: every directory Fuzz/<Name>/ is an executable `Fuzz<Name>` (one libFuzzer entry
// point, a committed seed corpus in Fuzz/<Name>/corpus/), added only when Scripts/fuzz.sh builds
// them with COURSE_FUZZ=1, so normal builds and tests never see them. See Scripts/fuzz.sh.
if ProcessInfo.processInfo.environment["COURSE_FUZZ"] == "1" {
    let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fuzz")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: fuzz.path)) ?? []).sorted().filter { name in
        var isDirectory: ObjCBool = false
        return name != "Driver" && !name.hasPrefix(".") && FileManager.default.fileExists(atPath: fuzz.appendingPathComponent(name).path,
                                                                     isDirectory: &isDirectory) && isDirectory.boolValue
    }
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver"))
    for name in names {
        let dict = "\(name).dict"
        let hasDict = FileManager.default.fileExists(atPath: fuzz.appendingPathComponent("\(name)/\(dict)").path)
        package.targets.append(.executableTarget(
            name: "Fuzz\(name)", dependencies: ["FuzzDriver", "Hub", "Tokenizers", "Datasets", "Models", "Training", "CourseKit"],
            path: "Fuzz/\(name)", exclude: ["corpus"] + (hasDict ? [dict] : [])))
    }
}
