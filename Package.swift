// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "LiveHub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "livehub", targets: ["LiveHub"]),
        .library(name: "Coaching", targets: ["Coaching"]),
        .library(name: "Actors", targets: ["Actors"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2")
    ],
    targets: [
        // Pure analysis, scoring, playbooks and negotiation: no I/O, no server types.
        .target(
            name: "Coaching",
            resources: [
                .copy("Resources/intent-model.json"), .copy("Resources/negotiation-model.json"),
                .copy("Resources/playbooks.json"),
            ]
        ),
        .target(name: "Actors", dependencies: ["Coaching"]),
        .executableTarget(
            name: "LiveHub",
            dependencies: [
                "Coaching", "Actors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Counts heap allocations for the benchmark only; never linked into the server.
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .executableTarget(
            name: "CoachingBenchmark",
            dependencies: ["Coaching", "MallocCounter"],
            path: "Benchmarks/CoachingBenchmark"
        ),
        .testTarget(name: "CoachingTests", dependencies: ["Coaching"]),
        .testTarget(name: "ActorsTests", dependencies: ["Actors", "Coaching"]),
    ]
)
