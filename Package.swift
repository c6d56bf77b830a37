// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Preflight",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "preflight", targets: ["preflight"]),
        .library(name: "PreflightCore", targets: ["PreflightCore"]),
        .library(name: "PreflightEngine", targets: ["PreflightEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The model: checks, evidence, findings, configuration, runner. No I/O of its own
        // beyond what callers inject.
        .target(
            name: "PreflightCore",
            dependencies: ["CMemmem", "COpenSSL", .product(name: "Yams", package: "Yams")]
        ),
        // Evidence gathering: files, HTTP over libcurl, DNS over c-ares, HTML over libxml2.
        .target(
            name: "PreflightProbes",
            dependencies: [
                "PreflightCore", "CCurl", "CAres", "CLibXML2", "CPSL", "CGit2",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // System libraries, each with a small header of inline shims for what Swift cannot import.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CAres", pkgConfig: "libcares", providers: [.apt(["libc-ares-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CMemmem"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),
        // One pure reporter per output format.
        .target(
            name: "PreflightReports",
            dependencies: ["PreflightCore", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // The built-in check packs, one check per file, one folder per pack.
        .target(
            name: "PreflightChecks",
            dependencies: ["PreflightCore"],
            path: "Checks"
        ),
        // The run: apps planned and loaded, evidence gathered, findings settled (baseline once),
        // reports written; fleets, shards, --wait, recording and replay. Clock, environment,
        // files, HTTP and DNS come in through `EngineServices`.
        .target(
            name: "PreflightEngine",
            dependencies: [
                "PreflightCore", "PreflightProbes", "PreflightReports", "PreflightChecks",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Thin executable: argument parsing, the composition root, printing, exit codes.
        .executableTarget(
            name: "preflight",
            dependencies: [
                "PreflightCore", "PreflightProbes", "PreflightReports", "PreflightChecks", "PreflightEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer targets over every parser of outside input: `bench/fuzz` builds it with
        // -sanitize=fuzzer; built plainly it replays inputs (`preflight-fuzz TARGET FILE...`).
        .executableTarget(
            name: "preflight-fuzz",
            dependencies: ["PreflightCore", "PreflightProbes", "PreflightChecks"],
            path: "Fuzz",
            exclude: ["corpus"]
        ),
        // Helpers shared by the test targets: child processes, golden files.
        .target(name: "PreflightTestSupport", path: "Tests/PreflightTestSupport"),
        .testTarget(name: "PreflightCoreTests", dependencies: ["PreflightCore"]),
        .testTarget(name: "PreflightProbesTests", dependencies: ["PreflightProbes", "PreflightTestSupport"]),
        .testTarget(
            name: "PreflightReportsTests", dependencies: ["PreflightReports", "PreflightChecks", "PreflightTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "PreflightChecksTests", dependencies: ["PreflightChecks", "PreflightProbes", "PreflightTestSupport"], exclude: ["Golden"]),
        // The engine in process, with fake clients, clock and files: no sockets, no sleeps.
        .testTarget(name: "PreflightEngineTests", dependencies: ["PreflightEngine", "PreflightCore", "PreflightProbes", "PreflightReports"]),
        // Runs the real `preflight` binary; depending on it makes `swift test` build it.
        .testTarget(
            name: "PreflightCLITests",
            dependencies: ["preflight", "preflight-fuzz", "PreflightCore", "PreflightChecks", "PreflightTestSupport", .product(name: "Yams", package: "Yams")]),
    ],
    swiftLanguageModes: [.v6]
)
