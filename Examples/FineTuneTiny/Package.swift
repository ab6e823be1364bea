// swift-tools-version:6.0
// A package of its own that uses the toolkit as a library: it depends on the course package
// by path and on its product `FineTuning`, as any other package would (see README.md).
import PackageDescription

let package = Package(
    name: "FineTuneTiny",
    platforms: [.macOS(.v14)],
    dependencies: [
        // The repository root. From another repository: .package(url: "<git URL>", branch: "main")
        // (a version requirement is refused: the toolkit uses unsafeFlags; see the root README).
        .package(name: "SwiftFineTuningCourse", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "FineTuneTiny", dependencies: [
            .product(name: "FineTuning", package: "SwiftFineTuningCourse"),
        ]),
    ]
)
