// swift-tools-version: 6.0
import PackageDescription

// Modules, each depending only on those above it:
//   Coaching       pure analysis, scoring, playbooks, negotiation (no I/O)
//   Actors         conversations as actors, their events and scheduled work, the store port
//   LiveHub        the server core: webhooks, gateway, outbox, GHL, HTTP; storage and event bus as ports
//   LiveHubLLM     streaming reply models (Anthropic Messages, OpenAI-compatible) over AsyncHTTPClient
//   LiveHubSQLite  the embedded storage adapter (the only module that imports GRDB)
//   LiveHubPostgres  the cluster's storage adapter and lease store (the only one importing PostgresNIO)
//   CHiredis       hiredis, Debian's libhiredis-dev, as a system library
//   LiveHubRedis   the cluster's event bus on Redis pub/sub (the only module that imports CHiredis)
//   LiveHubTools   benchmarks, a stand-in GHL for them, training and evaluation commands
//   LiveHubCLI     the `livehub` executable: wires the core to its adapter, and the commands
let package = Package(
    name: "LiveHub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "livehub", targets: ["LiveHubCLI"]),
        .library(name: "Coaching", targets: ["Coaching"]),
        .library(name: "Actors", targets: ["Actors"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "Coaching",
            resources: [
                .copy("Resources/intent-model.json"), .copy("Resources/negotiation-model.json"),
                .copy("Resources/playbooks.json"),
            ]
        ),
        .target(name: "Actors", dependencies: ["Coaching"]),
        .target(
            name: "LiveHubLLM",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LiveHub",
            dependencies: [
                "Coaching", "Actors", "LiveHubLLM",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            // The web console: HTML, CSS and JavaScript modules served as they are.
            resources: [.copy("Console/Web")]
        ),
        .target(
            name: "LiveHubSQLite",
            dependencies: [
                "Actors", "LiveHub",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "LiveHubPostgres",
            dependencies: [
                "Actors", "LiveHub",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .target(
            name: "LiveHubRedis",
            dependencies: [
                "CHiredis", "Actors", "LiveHub",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LiveHubTools",
            dependencies: [
                "Coaching", "Actors", "LiveHub", "LiveHubPostgres", "LiveHubLLM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "LiveHubCLI",
            dependencies: [
                "LiveHub", "LiveHubSQLite", "LiveHubPostgres", "LiveHubRedis", "LiveHubTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Fuzz targets (docs/fuzzing.md): built normally they replay files; built with
        // --sanitize=fuzzer they run libFuzzer.
        .target(
            name: "FuzzSupport",
            dependencies: ["LiveHub", "LiveHubSQLite", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")],
            path: "Fuzz/Support"),
        .executableTarget(
            name: "FuzzWebhook", dependencies: ["FuzzSupport", "LiveHub", .product(name: "Crypto", package: "swift-crypto")], path: "Fuzz/Webhook"),
        .executableTarget(name: "FuzzClientFrame", dependencies: ["FuzzSupport", "LiveHub"], path: "Fuzz/ClientFrame"),
        // Counts heap allocations for the benchmark only; never linked into the server.
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .executableTarget(
            name: "CoachingBenchmark",
            dependencies: ["Coaching", "MallocCounter"],
            path: "Benchmarks/CoachingBenchmark"
        ),
        .testTarget(name: "CoachingTests", dependencies: ["Coaching"]),
        .testTarget(name: "ActorsTests", dependencies: ["Actors", "Coaching"]),
        .testTarget(
            name: "LiveHubLLMTests",
            dependencies: [
                "LiveHubLLM", "LiveHubTools",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LiveHubTests",
            dependencies: [
                "LiveHub", "LiveHubSQLite", "LiveHubPostgres", "LiveHubRedis", "LiveHubTools", "LiveHubLLM", "Actors", "Coaching",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
