import Actors
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import GRDB
import Testing

@testable import LiveHub
@testable import LiveHubSQLite

/// A real server on an ephemeral loopback port, with its own temporary data directory and an
/// Ed25519 webhook key generated for the test (the server trusts only that key).
struct Harness: Sendable {
    let server: LiveHubServer
    /// The server's storage, for tests that read the database itself.
    let sqlite: SQLiteStorage
    let client: any TestClientProtocol
    let key: Curve25519.Signing.PrivateKey
    let dataDirectory: URL

    var port: Int { client.port ?? 0 }

    static func makeConfig(dataDirectory: URL, keyFile: URL) -> ServerConfiguration {
        var c = ServerConfiguration()
        c.port = 0
        c.dataDirectory = dataDirectory.path
        c.ghlPublicKeyFiles = [keyFile.path]
        c.jwtSecret = String(repeating: "s", count: 40)
        return c
    }

    /// Runs `body` against a fresh server. `dataDirectory` lets a test restart on the same data.
    static func run<T: Sendable>(
        dataDirectory: URL? = nil, key: Curve25519.Signing.PrivateKey = Curve25519.Signing.PrivateKey(),
        timers: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (Harness) async throws -> T
    ) async throws -> T {
        let dir = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("livehub-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let keyFile = dir.appendingPathComponent("ghl-test-key.pem")
        try Data(key.publicKey.pemRepresentation.utf8).write(to: keyFile)
        var config = makeConfig(dataDirectory: dir, keyFile: keyFile)
        configure(&config)
        var logger = Logger(label: "livehub-test")
        logger.logLevel = .error
        let (server, sqlite) = try await open(config, logger: logger, clock: ServerClock(now: now, timers: timers))
        let app = server.application()
        return try await app.test(.live) { client in
            try await body(Harness(server: server, sqlite: sqlite, client: client, key: key, dataDirectory: dir))
        }
    }

    /// A server on SQLite in `config.dataDirectory`, as `livehub serve` wires it.
    static func open(_ config: ServerConfiguration, logger: Logger, clock: ServerClock = .system) async throws -> (LiveHubServer, SQLiteStorage) {
        let sqlite = try SQLiteStorage(directory: config.dataURL, maxCommitBacklog: config.maxCommitBacklog)
        let (server, _) = try await LiveHubServer.open(config, storage: sqlite.ports, clock: clock, logger: logger)
        return (server, sqlite)
    }

    /// Posts a body signed with the test key (or the given headers).
    @discardableResult
    func post(_ body: [UInt8], signature: String?? = nil, extraHeaders: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        for h in extraHeaders { headers.append(h) }
        let sig: String?
        switch signature {
        case .none: sig = try key.signature(for: body).base64EncodedString()
        case .some(let explicit): sig = explicit
        }
        if let sig { headers.append(HTTPField(name: HTTPField.Name("x-ghl-signature")!, value: sig)) }
        let response = try await client.execute(uri: "/webhooks/ghl", method: .post, headers: headers, body: ByteBuffer(bytes: body))
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    func events(_ conversationId: String) async throws -> [ConversationEvent] {
        try await server.storage.conversations.events(conversationId: conversationId, after: 0, limit: 10_000)
    }

    /// How many settings changes the audit record holds for `location`.
    func settingsChanges(_ location: String) async throws -> Int {
        try await sqlite.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM settings_change WHERE location_id = ?", arguments: [location]) ?? 0 }
    }

    func webhookCount() async throws -> Int {
        try await sqlite.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook") ?? 0 }
    }
}

/// Builds webhook bodies from `Fixtures/ghl`, overriding fields per test.
enum GHLFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func body(_ name: String, _ overrides: [String: Any] = [:], fresh: Bool = true) throws -> [UInt8] {
        let url = root.appendingPathComponent("Fixtures/ghl/\(name).json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        if fresh {
            // Deliveries in a test happen now: keep them inside the replay window.
            object["timestamp"] = Date().ISO8601Format()
        }
        for (k, v) in overrides { object[k] = v is NSNull ? nil : v }
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
