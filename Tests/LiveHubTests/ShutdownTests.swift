import AsyncHTTPClient
import Crypto
import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import LiveHub
@testable import LiveHubSQLite

/// A shared value for closures that outlive the scope (Mutex itself cannot be captured).
final class Shared<T: Sendable>: Sendable {
    private let value: Mutex<T>
    init(_ v: T) { value = Mutex(v) }
    func get() -> T { value.withLock { $0 } }
    func update(_ f: (inout T) -> Void) { value.withLock { f(&$0) } }
}

/// A node as `livehub serve` runs it — its service group, with the WebSocket drain and graceful
/// shutdown — on a fresh data directory and an ephemeral port, trusting a key of its own.
struct RunningNode: Sendable {
    let server: LiveHubServer
    let key: Curve25519.Signing.PrivateKey
    let dataDirectory: URL
    let group: ServiceGroup
    let running: Task<Void, any Error>
    let port: Int

    static func start() async throws -> RunningNode {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-node-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        let keyFile = dir.appendingPathComponent("key.pem")
        try Data(key.publicKey.pemRepresentation.utf8).write(to: keyFile)
        var logger = Logger(label: "node-test")
        logger.logLevel = .error
        let (server, _) = try await Harness.open(Harness.makeConfig(dataDirectory: dir, keyFile: keyFile), logger: logger)
        let port = Shared(0)
        let group = server.serviceGroup(server.application { p in port.update { $0 = p } }, signals: [])
        let running = Task { try await group.run() }
        while port.get() == 0 { try await Task.sleep(for: .milliseconds(5)) }
        return RunningNode(server: server, key: key, dataDirectory: dir, group: group, running: running, port: port.get())
    }
}

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("webhooks in flight when shutdown starts are finished; every acknowledged one is stored with its events")
    func inFlight() async throws {
        let node = try await RunningNode.start()
        let (server, key, dir, group, running) = (node.server, node.key, node.dataDirectory, node.group, node.running)
        let base = "http://127.0.0.1:\(node.port)/webhooks/ghl"
        let watcher = try await WSProbe.connect(port: node.port, token: try await server.tokens.sign(AccessToken.make(user: "sup", role: .supervisor, locations: ["*"], lifetime: 60)))

        // Requests started after the server stopped accepting would wait out the default 10 s
        // connect timeout; they are refused either way.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .milliseconds(500), read: .seconds(10))))
        let acknowledged = Shared<[String]>([])
        var signed: [(id: String, body: [UInt8], signature: String)] = []
        for i in 0..<60 {
            let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-s-\(i)", "messageId": "msg-s-\(i)", "conversationId": "conv-s-\(i % 6)"])
            signed.append(("wh-s-\(i)", body, try key.signature(for: body).base64EncodedString()))
        }
        let deliveries = signed
        let senders = Task {
            await withTaskGroup(of: Void.self) { tasks in
                for (id, body, signature) in deliveries {
                    tasks.addTask {
                        do {
                            var request = HTTPClientRequest(url: base)
                            request.method = .POST
                            request.headers.add(name: "x-ghl-signature", value: signature)
                            request.body = .bytes(ByteBuffer(bytes: body))
                            let response = try await client.execute(request, timeout: .seconds(30))
                            if response.status == .ok { acknowledged.update { $0.append(id) } }
                        } catch {
                            // Refused once shutdown began: not acknowledged, so GHL would retry it.
                        }
                    }
                }
            }
        }
        // Begin shutdown while the burst is in flight.
        while acknowledged.get().count < 5 { try await Task.sleep(for: .milliseconds(1)) }
        await group.triggerGracefulShutdown()
        await senders.value
        // Idle keep-alive connections would hold the server's graceful shutdown open.
        try await client.shutdown()
        try await running.value

        let acked = acknowledged.get()
        // Open WebSockets were closed with 1001 (going away).
        try await watcher.waitUntil { $0.closeFrame != nil }
        #expect(watcher.closeFrame??.closeCode == .goingAway)
        #expect(acked.count >= 5)
        // Reopen the data directory as a restarted server would.
        let reopened = try SQLiteStorage(directory: dir).database
        let stored = try await reopened.pool.read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM webhook")) }
        #expect(Set(acked).isSubset(of: stored))
        let messages = try await reopened.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE kind = 'message.inbound'") ?? 0 }
        #expect(messages == stored.count)
        // Every conversation's stored sequence is gap-free.
        let gaps = try await reopened.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT conversation_id, MAX(seq) AS m, COUNT(*) AS c FROM event GROUP BY conversation_id) WHERE m != c") ?? -1
        }
        #expect(gaps == 0)
    }
}

@Suite("Bounded shutdown")
struct BoundedShutdownTests {
    @Test("a client that sent a request head and part of its body and went quiet cannot hold graceful shutdown open")
    func stuckClient() async throws {
        let node = try await RunningNode.start()
        let (group, running) = (node.group, node.running)
        let stuck = try await RawConnection.open(port: node.port)
        stuck.send("POST /webhooks/ghl HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"type\":\"Inbou")
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        await group.triggerGracefulShutdown()
        // The default grace is well under a minute; a hang fails the test instead of the run.
        let done = Shared(false)
        Task {
            _ = try? await running.value
            done.update { $0 = true }
        }
        while !done.get(), ContinuousClock.now - started < .seconds(60) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(done.get(), "graceful shutdown did not end within 60 s")
        _ = stuck
    }
}
