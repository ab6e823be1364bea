// swift-tools-version:6.0
// The course package: a fine-tuning toolkit (library product `FineTuning`), the `course`
// runner, and their tests. See README.md and ../shared/DESIGN.md.
import PackageDescription

// Numeric modules pass raw buffers into `DispatchQueue.concurrentPerform` and cblas; Swift 5
// language mode keeps them free of Sendable ceremony around pointers. Everything else is
// Swift 6.
let numeric: [SwiftSetting] = [.swiftLanguageMode(.v5), .unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "SwiftFineTuningCourse",
    platforms: [.macOS(.v14)],
    products: [
        // Dynamic so the runner can compile chapter programs against it once it is built.
        .library(name: "FineTuning", type: .dynamic, targets: ["FineTuning"]),
        .executable(name: "course", targets: ["course"]),
        .executable(name: "bench", targets: ["bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (apt: libopenblas-dev, libcmark-dev).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark",
                       providers: [.apt(["libcmark-dev"])]),

        // Toolkit, in dependency order.
        .target(name: "Digest"),
        .target(name: "Hub", dependencies: ["Digest"]),
        .target(name: "Tensor", dependencies: ["CBLAS"], swiftSettings: numeric),
        .target(name: "Tokenizers", dependencies: ["Hub"]),
        .target(name: "PythonStyle"),
        .target(name: "Datasets", dependencies: ["Hub", "PythonStyle"]),
        .target(name: "Metrics", dependencies: ["PythonStyle"]),
        .target(name: "Models", dependencies: ["Tensor", "Hub"], swiftSettings: numeric),
        .target(name: "Training", dependencies: ["Tensor", "Hub", "Models", "Datasets", "Tokenizers", "Metrics"],
                swiftSettings: numeric),
        .target(name: "Pipelines", dependencies: ["Models", "Tokenizers", "Training"], swiftSettings: numeric),
        // SVG line plots (training curves); no dependencies, so it stays independent of Training.
        .target(name: "Plots"),
        .target(name: "FineTuning",
                dependencies: ["Digest", "Hub", "Tensor", "Tokenizers", "Datasets", "Metrics", "Models",
                               "Training", "Pipelines", "Plots"]),

        // The runner knows nothing of the ML modules: it runs chapters in a child process.
        .target(name: "CourseKit", dependencies: ["CCmark", "Digest"]),
        .executableTarget(name: "course", dependencies: [
            "CourseKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "bench", dependencies: [
            "FineTuning", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: numeric),

        // Tests mirror the modules.
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "HubTests", dependencies: ["Hub"], exclude: ["Fixtures"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], swiftSettings: numeric),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers"], exclude: ["Fixtures"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"], exclude: ["Fixtures"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models"], exclude: ["Fixtures"], swiftSettings: numeric),
        .testTarget(name: "TrainingTests", dependencies: ["Training"], exclude: ["Fixtures"], swiftSettings: numeric),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines"], exclude: ["Fixtures"], swiftSettings: numeric),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"]),
        // Fixture chapters are read from disk by path and run through the real `course` binary.
        .testTarget(name: "CourseKitTests", dependencies: ["CourseKit"], exclude: ["Fixtures"]),
    ]
)
