// swift-tools-version:6.0
import PackageDescription

/// Modules with hot loops (training, pixel conversion, decompression) are
/// compiled with optimisation even in a debug build, so that a plain
/// `swift run make-report` stays usable. The trainer's generic hot paths are
/// pre-specialised for `Float` (`@_specialize`), because a debug build
/// compiles file by file and could not specialise them across files.
let alwaysOptimised: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

/// Debian lets `liblapack.so.3` and `libblas.so.3` be the reference libraries or
/// OpenBLAS's (which `make bench` installs, and which then takes over). OpenBLAS
/// picks its kernels by processor and starts worker threads that spin for 0.1 s
/// when it loads: a run that loaded it was 0.2 s slower. The principal components
/// want neither, so the programs look in the reference libraries' own folders
/// first, for LAPACK and for the BLAS it calls (an RPATH, which unlike a RUNPATH
/// also serves liblapack's own dependency).
#if arch(arm64)
let multiarch = "aarch64-linux-gnu"
#else
let multiarch = "x86_64-linux-gnu"
#endif
let referenceLAPACK: [LinkerSetting] = [
    .unsafeFlags(
        ["-Xlinker", "--disable-new-dtags"]
            + ["lapack", "blas"].flatMap { ["-Xlinker", "-rpath", "-Xlinker", "/usr/lib/\(multiarch)/\($0)"] },
        .when(platforms: [.linux])),
]

let package = Package(
    name: "MNISTReport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "make-report", targets: ["make-report"]),
        .library(name: "MNIST", targets: ["MNIST"]),
        .library(name: "Trainer", targets: ["Trainer"]),
        .library(name: "Charts", targets: ["Charts"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "TrainingData", targets: ["TrainingData"]),
        .library(name: "Gallery", targets: ["Gallery"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Inspection", targets: ["Inspection"]),
        .library(name: "Sweep", targets: ["Sweep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // MARK: C libraries (system packages, see each folder's README)
        .systemLibrary(
            name: "CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CLAPACK", pkgConfig: "lapack",
            providers: [.apt(["liblapack-dev"])]),
        .systemLibrary(
            name: "CGIF", pkgConfig: "libgif",
            providers: [.apt(["libgif-dev"])]),

        // The trainer's hand-written first-layer kernels, optimised in every configuration.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),

        // MARK: Data: IDX / MNIST reader
        .target(name: "MNIST", dependencies: ["CZlib"], swiftSettings: alwaysOptimised),

        // MARK: Maths: the two-layer network and its training loop (no drawing)
        .target(
            name: "Trainer",
            dependencies: ["CKernels", "MNIST", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: alwaysOptimised),

        // MARK: Inside the network: weight spreads, activations, principal components per evaluation point
        .target(
            name: "Inspection", dependencies: ["Trainer", "CKernels", "CLAPACK"], swiftSettings: alwaysOptimised,
            linkerSettings: referenceLAPACK),

        // MARK: Comparing runs: the grid or random search, and training its runs side by side
        .target(name: "Sweep", dependencies: ["Trainer", "MNIST"], swiftSettings: alwaysOptimised),

        // MARK: The data as make-report loads it, with its decoded cache
        .target(name: "TrainingData", dependencies: ["MNIST", "Trainer"], swiftSettings: alwaysOptimised),

        // MARK: Pictures: chart models (plain values, pure layout) and the Cairo canvas
        .target(name: "Charts"),
        .target(name: "CPNGCodec", dependencies: ["CPNG"]),
        .target(name: "Render", dependencies: ["Charts", "CCairo", "CPNGCodec", "CGIF"], swiftSettings: alwaysOptimised),

        // MARK: The gallery: which pictures a run gets
        .target(name: "Gallery", dependencies: ["Charts", "Trainer", "MNIST", "Inspection", "Sweep"]),

        // MARK: The Markdown walk-through
        .target(name: "Report", dependencies: ["Trainer", "Inspection", "Sweep"]),

        // MARK: The command
        .executableTarget(
            name: "make-report",
            dependencies: [
                "MNIST", "Trainer", "TrainingData", "Inspection", "Sweep", "Charts", "Gallery", "Render", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: Fuzzing: the readers of untrusted bytes, for libFuzzer (`make fuzz`)
        .target(name: "FuzzTargets", dependencies: ["CZlib", "MNIST", "TrainingData", "Render"]),
        .executableTarget(name: "fuzz-idx", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-cache", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "fuzz-png", dependencies: ["FuzzTargets"]),

        // MARK: Tests
        // Synthetic images and sweeps for the tests.
        .target(name: "Fixtures", dependencies: ["Trainer", "Sweep"], path: "Tests/Fixtures"),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "CZlib"]),
        .testTarget(name: "TrainerTests", dependencies: ["Trainer", "MNIST", "Fixtures"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Trainer", "Fixtures"]),
        .testTarget(name: "InspectionTests", dependencies: ["Inspection", "Trainer", "CKernels"]),
        .testTarget(name: "TrainingDataTests", dependencies: ["TrainingData", "Trainer", "MNIST"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(
            name: "RenderTests", dependencies: ["Render", "Charts", "Gallery", "Trainer", "MNIST", "Inspection", "Sweep", "Fixtures"],
            exclude: ["__Goldens__"]),
        .testTarget(
            name: "ReportTests", dependencies: ["Report", "Trainer", "Inspection", "Sweep", "Fixtures"],
            exclude: ["__Goldens__"]),
        .testTarget(
            name: "MakeReportEndToEndTests", dependencies: ["make-report", "Render"]),
        .testTarget(
            name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "MNIST", "Render", "fuzz-idx", "fuzz-cache", "fuzz-png"]),
    ]
)
