// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

let package = Package(
    name: "mklnk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mklnk", targets: ["mklnk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // The few syscalls Swift cannot reach directly (renameat2 needs _GNU_SOURCE).
        .target(name: "CMklnkSys"),
        .target(name: "MklnkYAML", dependencies: ["CLibYAML"], swiftSettings: strict),
        .target(name: "MklnkFileSystem", dependencies: ["CMklnkSys"], swiftSettings: strict),
        .target(name: "MklnkCore", dependencies: ["MklnkYAML", "MklnkFileSystem", "CMklnkSys"], swiftSettings: strict),
        .target(
            name: "MklnkCLI",
            dependencies: ["MklnkCore", "CMklnkSys", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // The Swift runtime linked in on Linux: a run starts in half the time (no dozen shared
        // libraries to load and bind), which is most of the time of a small plan. Not under
        // MKLNK_DYNAMIC_RUNTIME=1 (make test-sanitizers): ThreadSanitizer's libdispatch
        // interceptors cannot reach a libdispatch linked into the binary.
        .executableTarget(name: "mklnk", dependencies: ["MklnkCLI", "CMklnkSys"], swiftSettings: strict,
                          linkerSettings: Context.environment["MKLNK_DYNAMIC_RUNTIME"] == "1" ? [] : [
                              .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux])),
                              .linkedLibrary("_FoundationCollections", .when(platforms: [.linux])),
                              .linkedLibrary("_FoundationCShims", .when(platforms: [.linux])),
                              .linkedLibrary("swiftSynchronization", .when(platforms: [.linux]))]),
        .target(name: "MklnkTestSupport", path: "Tests/MklnkTestSupport"),
        .testTarget(name: "MklnkYAMLTests", dependencies: ["MklnkYAML"]),
        .testTarget(name: "MklnkCoreTests", dependencies: ["MklnkCore", "MklnkFileSystem", "MklnkYAML", "MklnkTestSupport"]),
        .testTarget(name: "MklnkCLITests", dependencies: ["MklnkCLI", "MklnkTestSupport"], exclude: ["Fixtures", "Golden"]),
    ]
)

// libFuzzer targets (Fuzz/README.md), declared only under MKLNK_FUZZ=1: libFuzzer supplies their
// main(), so they link only with --sanitize=fuzzer, which `make fuzz` passes in .build-fuzz.
if Context.environment["MKLNK_FUZZ"] == "1" {
    for name in ["FuzzYAML", "FuzzPlanLoader", "FuzzJournal", "FuzzState", "FuzzSavedPlan"] {
        package.targets.append(.executableTarget(name: name, dependencies: ["MklnkCore", "MklnkYAML", "MklnkFileSystem"],
                                                 path: "Fuzz/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
