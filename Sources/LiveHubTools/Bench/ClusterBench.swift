import ArgumentParser
import AsyncHTTPClient
import Foundation
import LiveHub
import LiveHubPostgres
import Logging

/// `livehub bench cluster`: two `livehub serve` nodes on one throwaway PostgreSQL and one Redis,
/// all on this machine.
///
/// 1. Cross-node latency: webhooks posted to node A at fixed rates, over conversations spread
///    across 20 locations (so about half are owned by A, committed there and fanned out through
///    Redis, and half are forwarded to B and committed there); subscribers on node B. Latency is
///    posting to A → `message.inbound` on B's socket.
/// 2. Throughput: concurrent senders split over both nodes, each waiting for its 200.
/// 3. Takeover: `kill -9` the owner of a location, then post its webhooks to the survivor until
///    one is acknowledged; the time from the kill.
struct ClusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "Two nodes + PostgreSQL + Redis: cross-node latency, cluster throughput, takeover after kill -9.")

    @Option(help: "Comma-separated webhooks/s of the latency phases.") var rates = "500,1000"
    @Option(help: "Seconds of each latency phase.") var seconds = 10
    @Option(help: "Subscribers on node B.") var subscribers = 100
    @Option(help: "Conversations the webhooks are spread over (across 20 locations).") var conversations = 100
    @Option(help: "Concurrent senders in the throughput phase (half per node).") var senders = 64
    @Option(help: "Seconds of the throughput phase.") var throughputSeconds = 5
    @Option(help: "Shard lease of the nodes, seconds.") var lease = 3
    @Option(help: "First port; node A takes it, node B the next.") var port = 18_200

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-cluster-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let key = try DevWebhookKey.loadOrCreate(in: data)
        let postgres = try await LocalPostgres.start()
        defer { postgres.stop() }
        let redis = try LocalRedis.start()
        defer { redis.stop() }
        let databaseURL = try await postgres.makeDatabase(prefix: "bench")
        let secret = Hex.string((0..<32).map { _ in UInt8.random(in: 0...255) })
        func node(_ id: String, _ port: Int) throws -> ServerProcess {
            try ServerProcess.start(port: port, dataDirectory: data, environment: [
                "LIVEHUB_DATABASE_URL": databaseURL, "LIVEHUB_REDIS_URL": redis.url, "LIVEHUB_NODE_ID": id, "LIVEHUB_JWT_SECRET": secret,
                "LIVEHUB_LEASE_SECONDS": String(lease),
            ])
        }
        let a = try node("a", port)
        let b = try node("b", port + 1)
        defer {
            a.stop()
            b.stop()
        }
        try await ServerProcess.waitUntilReady(port: port)
        try await ServerProcess.waitUntilReady(port: port + 1)
        let storage = try await PostgresStorage.connect(url: databaseURL, fence: nil, maxCommitBacklog: 100, logger: logger)
        try await Self.waitUntilBalanced(storage.cluster, nodes: 2)

        var config = ServerConfiguration()
        config.jwtSecret = secret
        let (authority, _) = try await TokenAuthority.load(config)
        let token = try await authority.sign(AccessToken.make(user: "bench", role: .supervisor, locations: ["*"], lifetime: 3600))
        let client = BenchSetup.client()
        let toA = WebhookSender(client: client, url: "http://127.0.0.1:\(port)/webhooks/ghl", key: key, locations: 20)
        let toB = WebhookSender(client: client, url: "http://127.0.0.1:\(port + 1)/webhooks/ghl", key: key, locations: 20)

        print("LiveHub cluster benchmark — \(BenchSetup.build), 2 nodes + PostgreSQL 15 + Redis 7 on loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores shared by all")
        for c in 0..<conversations { _ = try await toA.send(conversation: c, id: "warm-\(c)") }
        let listeners = try await Listener.connect(count: subscribers, conversations: conversations, port: port + 1, token: token, logger: logger)
        for rate in rates.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            let latency = try await LatencyPhase(sender: toA, listeners: listeners, rate: rate, seconds: seconds, conversations: conversations, prefix: "lat\(rate)-").run()
            print("posted to node A, received on node B — " + latency)
        }
        for l in listeners { await l.close() }

        async let onA = ClosedLoop.run(senders: senders / 2, seconds: throughputSeconds) { s, n in
            (try? await toA.send(conversation: (s * 7 + n) % conversations, id: "tpa-\(s)-\(n)")) == true
        }
        async let onB = ClosedLoop.run(senders: senders - senders / 2, seconds: throughputSeconds) { s, n in
            (try? await toB.send(conversation: (s * 11 + n) % conversations, id: "tpb-\(s)-\(n)")) == true
        }
        let (ra, rb) = await (onA, onB)
        let elapsed = max(ra.elapsed, rb.elapsed)
        print("throughput: \(Int(Double(ra.ok + rb.ok) / elapsed.inSeconds)) webhooks/s acknowledged by the cluster after a durable commit (\(senders) senders over both nodes, \(throughputSeconds) s, \(ra.failed + rb.failed) failed)")

        // Takeover: the location of conversation 0 loses its owner.
        let location = toA.location(ofConversation: 0)
        let shard = ShardMap().shard(ofLocation: location)
        guard let owner = try await storage.cluster.owners().first(where: { $0.shard == shard }) else { throw CommandError("no owner for \(location)") }
        let (victim, survivor) = owner.node == "a" ? (a, toB) : (b, toA)
        kill(victim.pid, SIGKILL)
        let killed = ContinuousClock.now
        var n = 0
        while ContinuousClock.now - killed < .seconds(60) {
            n += 1
            if (try? await survivor.send(conversation: 0, id: "takeover-\(n)")) == true { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        print("takeover: node \(owner.node) killed (-9); its location's next webhook acknowledged by the survivor after \(Percentiles.milliseconds(ContinuousClock.now - killed)) (lease \(lease) s)")
        await storage.shutdown()
        try await client.shutdown()
    }

    static func waitUntilBalanced(_ cluster: any ClusterStore, nodes: Int) async throws {
        let map = ShardMap()
        for _ in 0..<300 {
            let owners = try await cluster.owners()
            if owners.count == map.count, Set(owners.map(\.node)).count == nodes { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandError("the nodes did not share the shards")
    }
}
