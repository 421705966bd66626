import AsyncHTTPClient
import Crypto
import Foundation
import LiveHub
import LiveHubPostgres
import LiveHubTools
import Logging
import NIOCore
import Testing

/// A cluster for a test: a database of its own on the shared throwaway PostgreSQL, a Redis of its
/// own, and `livehub serve` nodes pointed at both, each on its own loopback port.
final class TestCluster: Sendable {
    let directory: URL
    let databaseURL: String
    let redis: RedisServer
    let key: Curve25519.Signing.PrivateKey
    let nodes: [ClusterNodeProcess]
    /// The test's own view of the database (owners, events), as an operator's tool would have.
    let storage: PostgresStorage
    let environment: [String: String]

    static let map = ShardMap()

    init(nodes count: Int, lease: Int = 3, extra: [String: String] = [:]) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        databaseURL = try await PostgresServer.shared().makeDatabase()
        redis = try RedisServer()
        key = Curve25519.Signing.PrivateKey()
        let keyFile = directory.appendingPathComponent("ghl-test-key.pem")
        try Data(key.publicKey.pemRepresentation.utf8).write(to: keyFile)
        var env = [
            "LIVEHUB_DATABASE_URL": databaseURL, "LIVEHUB_REDIS_URL": redis.url, "LIVEHUB_GHL_PUBLIC_KEYS": keyFile.path,
            "LIVEHUB_LEASE_SECONDS": String(lease), "LIVEHUB_LOG_LEVEL": "info", "LIVEHUB_FORWARD_TIMEOUT": "8",
        ]
        env.merge(extra) { $1 }
        environment = env
        var logger = Logger(label: "test-cluster")
        logger.logLevel = .critical
        storage = try await PostgresStorage.connect(url: databaseURL, fence: nil, maxCommitBacklog: 4_096, logger: logger)
        var started: [ClusterNodeProcess] = []
        for i in 1...count {
            started.append(try ClusterNodeProcess(id: "n\(i)", port: try LoopbackPort.free(), directory: directory, environment: env))
        }
        nodes = started
        for node in nodes { try await node.waitUntilReady() }
        try await waitUntilBalanced()
    }

    /// Starts one more node (a join, or a restart of a killed one under a new id).
    func startNode(id: String) async throws -> ClusterNodeProcess {
        let node = try ClusterNodeProcess(id: id, port: try LoopbackPort.free(), directory: directory, environment: environment)
        try await node.waitUntilReady()
        return node
    }

    /// Waits until every shard has a live owner and every running node holds some.
    func waitUntilBalanced(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let owners = try await storage.cluster.owners()
            let running = Set(nodes.filter(\.isRunning).map(\.id))
            let holders = Set(owners.map(\.node))
            if owners.count == Self.map.count, holders == running { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ClusterTestError("shards not balanced: \(try await storage.cluster.owners().map { "\($0.shard)→\($0.node)" })")
    }

    /// The node owning a location now.
    func owner(of location: String) async throws -> ClusterNodeProcess? {
        let shard = Self.map.shard(ofLocation: location)
        guard let owner = try await storage.cluster.owners().first(where: { $0.shard == shard }) else { return nil }
        return nodes.first { $0.id == owner.node }
    }

    /// A signed POST of `body` to one node; the status and the JSON answer.
    func post(_ body: [UInt8], to node: ClusterNodeProcess, timeout: Duration = .seconds(15)) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: node.url + "/webhooks/ghl")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "x-ghl-signature", value: try key.signature(for: body).base64EncodedString())
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(Int64(timeout.inSeconds * 1e9)))
        let data = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: data))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    /// Delivers a webhook as GHL does: retried (on the next node, as a load balancer would send
    /// it) until a 200, for at most `patience`. True when acknowledged.
    func deliver(_ body: [UInt8], startingAt index: Int, patience: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + patience
        var i = index
        while ContinuousClock.now < deadline {
            let node = nodes[i % nodes.count]
            i += 1
            guard node.isRunning else { continue }
            if let answer = try? await post(body, to: node), answer.status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// An access token every node accepts: signed with the secret the nodes share through the database.
    func token(role: AccessToken.Role = .supervisor, user: String = "sup", locations: [String] = ["*"]) async throws -> String {
        var config = ServerConfiguration()
        config.jwtSecret = try await storage.cluster.jwtSecret()
        let (authority, _) = try await TokenAuthority.load(config)
        return try await authority.sign(AccessToken.make(user: user, role: role, locations: locations, lifetime: 3600))
    }

    /// Runs `body` on a new cluster of `count` nodes and stops it; a failure is recorded with the
    /// end of every node's log.
    static func run(nodes count: Int, _ body: (TestCluster) async throws -> Void) async throws {
        let cluster = try await TestCluster(nodes: count)
        do {
            try await body(cluster)
        } catch {
            Issue.record("\(error)\n\(cluster.logs)")
        }
        await cluster.stop()
    }

    /// A supervisor's client on each of `nodes`, subscribed from the start to every conversation.
    func watchers(on nodes: [ClusterNodeProcess], conversations: [String]) async throws -> [WSProbe] {
        let token = try await token()
        var probes: [WSProbe] = []
        for node in nodes {
            let probe = try await WSProbe.connect(port: node.port, token: token)
            for c in conversations { try await probe.subscribe(conversation: c) }
            probes.append(probe)
        }
        return probes
    }

    /// Every client ends with `1…head` of every conversation, once each, in order; then closes.
    func expectGapFree(_ probes: [WSProbe], on nodes: [ClusterNodeProcess], conversations: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for c in conversations {
            let head = try await events(c).last?.seq ?? 0
            for (probe, node) in zip(probes, nodes) {
                try? await probe.waitForHead("conversation:\(c)", head)
                LiveHubTests.expectGapFree(probe.seqs("conversation:\(c)"), head: head, "client on \(node.id), \(c)", sourceLocation: sourceLocation)
            }
        }
        for probe in probes { await probe.close() }
    }

    /// Every stored event of a conversation, in `seq` order.
    func events(_ conversationId: String) async throws -> [ConversationEventRow] {
        try await storage.ports.conversations.events(conversationId: conversationId, after: 0, limit: 100_000).map {
            ConversationEventRow(seq: $0.seq, kind: $0.kind.rawValue, data: String(decoding: $0.data, as: UTF8.self))
        }
    }

    func stop() async {
        for node in nodes { node.stop() }
        redis.stop()
        await storage.shutdown()
        if !Self.keepDirectories { try? FileManager.default.removeItem(at: directory) }
    }

    /// Keep the logs of a run with LIVEHUB_KEEP_TEST_DIRS=1.
    static let keepDirectories = ProcessInfo.processInfo.environment["LIVEHUB_KEEP_TEST_DIRS"] == "1"

    /// The logs of every node, for a failure message.
    var logs: String { nodes.map { "--- \($0.id)\n\($0.tail())" }.joined(separator: "\n") }
}

struct ConversationEventRow: Hashable {
    let seq: UInt64
    let kind: String
    /// The payload's JSON.
    let data: String

    /// The outbox entry a `message.outbound` event is about, if any.
    var outboxId: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { return nil }
        return object["outboxId"] as? String
    }
}

/// A lead's inbound SMS in the conversation, with ids of its own.
func inboundMessage(location: String, conversation: String, contact: String, message: String, text: String = "Hi, is the house on Elm still available?") throws -> [UInt8] {
    try GHLFixture.body(
        "inbound-sms",
        ["locationId": location, "conversationId": conversation, "contactId": contact, "messageId": message, "webhookId": "wh-" + message, "body": text])
}

/// Every cluster test, one at a time: each runs several `livehub serve` processes, PostgreSQL
/// and Redis on the same two cores as the rest of the tests.
@Suite("Cluster", .serialized)
struct ClusterSuite {}
