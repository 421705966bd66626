import Actors
import Foundation
import LiveHub
import LiveHubPostgres
import Synchronization
import Testing

/// The cluster's shared state and the fence, with several storages on one database standing in
/// for several nodes (each has its own connection pools).
@Suite("Postgres cluster")
struct PostgresClusterTests {
    @Test("fence: a commit under a live lease lands; after another node takes the shard, the old token is refused and writes nothing")
    func fencing() async throws {
        let url = try await PG.database()
        let fence1 = TestFence()
        let fence2 = TestFence()
        try await PG.withStorage(url: url, fence: fence1) { node1, _ in
            try await PG.withStorage(url: url, fence: fence2) { node2, _ in
                try await node1.cluster.prepare(shardCount: 64)
                let shard = ShardMap(count: 64).shard(ofLocation: "L1")
                let claims = try await node1.cluster.acquire([shard], node: "n1", ttl: .seconds(1))
                #expect(claims == [ShardClaim(shard: shard, epoch: 1)])
                #expect(try await node2.cluster.acquire([shard], node: "n2", ttl: .seconds(1)).isEmpty)  // held

                await #expect(throws: ClusterError.notOwner(location: "L1")) { try await node1.ports.conversations.commit([try PG.commit("A", seqs: 1...1, at: 1)]) }
                let old = FenceToken(node: "n1", shard: shard, epoch: 1)
                fence1.set(old)
                try await node1.ports.conversations.commit([try PG.commit("A", seqs: 1...1, at: 1)])
                #expect(try await node1.ports.conversations.state(conversationId: "A")?.head == 1)

                // The lease runs out on the database's clock; node 2 takes the shard at the next epoch.
                try await Task.sleep(for: .milliseconds(1_100))
                let taken = try await node2.cluster.acquire([shard], node: "n2", ttl: .seconds(30))
                #expect(taken == [ShardClaim(shard: shard, epoch: 2)])
                let late = try PG.commit("A", seqs: 2...2, at: 2, receipt: PG.receipt("w1", messageId: "m1"), outbox: .insert(PG.request("o1", conversation: "A")))
                await #expect(throws: ClusterError.fenced(old)) { try await node1.ports.conversations.commit([late]) }
                #expect(try await node2.ports.conversations.events(conversationId: "A", after: 0, limit: 10).map(\.seq) == [1])
                #expect(try await !node2.ports.webhooks.isDuplicate(webhookId: "w1", messageId: "m1"))
                #expect(try await node2.ports.outbox.entry("o1") == nil)
                // A receipt with a contact's change is fenced the same way (a stale owner must not
                // overwrite the contact's DND channels).
                let contact = ContactProfile(id: "c-late", locationId: "L1")
                await #expect(throws: ClusterError.fenced(old)) {
                    try await node1.ports.webhooks.commit(PG.receipt("w-contact", messageId: nil), effects: [.saveContact(contact)])
                }
                #expect(try await node2.ports.webhooks.contact("c-late") == nil)
                // The new owner commits the same input.
                fence2.set(FenceToken(node: "n2", shard: shard, epoch: 2))
                try await node2.ports.conversations.commit([late])
                #expect(try await node1.ports.conversations.state(conversationId: "A")?.head == 2)
            }
        }
    }

    @Test("renew keeps only the live claims; release frees a shard at once; owners show addresses of live nodes")
    func leases() async throws {
        let url = try await PG.database()
        try await PG.withStorage(url: url) { a, _ in
            try await PG.withStorage(url: url) { b, _ in
                try await a.cluster.prepare(shardCount: 4)
                try await b.cluster.prepare(shardCount: 4)  // idempotent
                #expect(try await a.cluster.heartbeat(node: "n1", address: "http://10.0.0.1:8080", ttl: .seconds(30)) == [ClusterNode(id: "n1", address: "http://10.0.0.1:8080")])
                #expect(try await b.cluster.heartbeat(node: "n2", address: "http://10.0.0.2:8080", ttl: .seconds(30)).map(\.id) == ["n1", "n2"])

                let held = try await a.cluster.acquire([0, 1, 2], node: "n1", ttl: .seconds(30))
                #expect(held == [0, 1, 2].map { ShardClaim(shard: $0, epoch: 1) })
                try await a.cluster.release([ShardClaim(shard: 1, epoch: 1)], node: "n1")
                #expect(try await b.cluster.acquire([1, 3], node: "n2", ttl: .seconds(30)) == [ShardClaim(shard: 1, epoch: 2), ShardClaim(shard: 3, epoch: 1)])

                // Shard 1 moved on; a claim at a wrong epoch or of another node's shard is not renewed.
                let renewed = try await a.cluster.renew(held + [ShardClaim(shard: 3, epoch: 1)], node: "n1", ttl: .seconds(30))
                #expect(renewed == [ShardClaim(shard: 0, epoch: 1), ShardClaim(shard: 2, epoch: 1)])
                #expect(try await a.cluster.renew([ShardClaim(shard: 0, epoch: 7)], node: "n1", ttl: .seconds(30)).isEmpty)

                #expect(
                    try await b.cluster.owners() == [
                        ShardOwner(shard: 0, node: "n1", epoch: 1, address: "http://10.0.0.1:8080"),
                        ShardOwner(shard: 1, node: "n2", epoch: 2, address: "http://10.0.0.2:8080"),
                        ShardOwner(shard: 2, node: "n1", epoch: 1, address: "http://10.0.0.1:8080"),
                        ShardOwner(shard: 3, node: "n2", epoch: 1, address: "http://10.0.0.2:8080"),
                    ])
                try await b.cluster.leave(node: "n2")
                #expect(try await a.cluster.owners().filter { $0.node == "n2" }.map(\.address) == [nil, nil])
                #expect(try await a.cluster.heartbeat(node: "n1", address: "http://10.0.0.1:8080", ttl: .seconds(30)).map(\.id) == ["n1"])

                // An expired lease is not renewed and shows no owner.
                #expect(try await a.cluster.acquire([0], node: "n1", ttl: .seconds(1)).isEmpty)  // still held
                #expect(try await a.cluster.renew([ShardClaim(shard: 0, epoch: 1)], node: "n1", ttl: .milliseconds(200)) == [ShardClaim(shard: 0, epoch: 1)])
                try await Task.sleep(for: .milliseconds(400))
                #expect(try await a.cluster.renew([ShardClaim(shard: 0, epoch: 1)], node: "n1", ttl: .seconds(30)).isEmpty)
                #expect(try await a.cluster.owners().map(\.shard) == [1, 2, 3])
            }
        }
    }

    @Test("three nodes migrating a fresh database at once all succeed; the schema is applied once")
    func concurrentMigrations() async throws {
        let url = try await PG.database()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresStorage.migrate(url: url, logger: PG.logger) } }
            try await group.waitForAll()
        }
        let server = try await PostgresServer.shared()
        #expect(try await server.psql(database: PG.name(url), "SELECT version FROM schema_migration ORDER BY version") == "1-core\n2-cluster\n3-negotiation\n4-login-ticket")
        #expect(try await server.psql(database: PG.name(url), "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == "17")
        // A node starting later finds nothing to do.
        try await PG.withStorage(url: url) { storage, _ in #expect(await storage.ports.health.isWritable()) }
    }

    /// How many refresh-lock bodies run at once, at most, when `locations` are refreshed at
    /// once, alternately on `a` and `b`.
    static func peak(_ locations: [String], _ a: PostgresStorage, _ b: PostgresStorage) async throws -> Int {
        let inside = Inside()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, location) in locations.enumerated() {
                let store = (i % 2 == 0 ? a : b).ports.credentials
                group.addTask {
                    try await store.withRefreshLock(location: location) {
                        inside.state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
                        try await Task.sleep(for: .milliseconds(150))
                        inside.state.withLock { $0.now -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        return inside.state.withLock { $0.peak }
    }

    /// How many bodies are inside now, and the most there were; shared by the bodies' tasks.
    final class Inside: Sendable {
        let state = Mutex((now: 0, peak: 0))
    }

    struct Refused: Error {}

    @Test("refreshes of one location on two nodes never overlap; of two locations they may")
    func refreshLock() async throws {
        let url = try await PG.database()
        try await PG.withStorage(url: url) { a, _ in
            try await PG.withStorage(url: url) { b, _ in
                let one = try await Self.peak(["L1", "L1", "L1", "L1"], a, b)
                #expect(one == 1)
                let two = try await Self.peak(["L1", "L2"], a, b)
                #expect(two == 2)
                // The body's own error comes out, and the lock is released with it.
                await #expect(throws: Refused.self) { try await a.ports.credentials.withRefreshLock(location: "L1") { throw Refused() } }
                let value = try await b.ports.credentials.withRefreshLock(location: "L1") { 42 }
                #expect(value == 42)
            }
        }
    }

    @Test("every node reads the same shared secret")
    func sharedSecret() async throws {
        let url = try await PG.database()
        try await PG.withStorage(url: url) { a, _ in
            try await PG.withStorage(url: url) { b, _ in
                async let first = a.cluster.sharedSecret(named: "token-signing", byteCount: 32)
                async let second = b.cluster.sharedSecret(named: "token-signing", byteCount: 32)
                let (x, y) = try await (first, second)
                #expect(x == y && x.count == 32 && x.contains { $0 != 0 })
                #expect(try await a.cluster.sharedSecret(named: "other", byteCount: 32) != x)
            }
        }
    }
}

@Suite("Postgres connection")
struct PostgresConnectionTests {
    @Test("a malformed URL is refused with what is wrong, never showing the password")
    func badURLs() throws {
        let cases: [(String, PostgresURLError)] = [
            ("", .empty), ("localhost/db", .scheme(nil)), ("mysql://u@h/db", .scheme("mysql")), ("postgres://h/db", .missingUser),
            ("postgres://u@/db", .missingHost), ("postgres://u@h:99999/db", .port("99999")), ("postgres://u@h:x/db", .port("x")),
            ("postgres://u:secret@h", .missingDatabase), ("postgres://u@h/", .missingDatabase), ("postgres://u@h/db?sslmode=require", .unsupported("the parameter sslmode")),
        ]
        for (text, expected) in cases {
            #expect(throws: expected) { try PostgresURL(parsing: text) }
        }
        let url = try PostgresURL(parsing: "postgresql://live%40hub:p%40ss:w@[::1]:6543/live_db?sslmode=disable")
        #expect(url.host == "::1" && url.port == 6543 && url.user == "live@hub" && url.password == "p@ss:w" && url.database == "live_db")
        #expect(!url.redacted.contains("p@ss") && url.redacted == "postgres://live@hub:***@[::1]:6543/live_db")
        #expect(try PostgresURL(parsing: "postgres://u@db.internal/x").port == 5432)
        #expect(!"\(PostgresURLError.port("1x"))".contains("secret") && "\(PostgresURLError.port("1x"))".contains("port"))
    }

    @Test("an unreachable database, a missing one, or synchronous_commit = off: connect refuses, saying why")
    func refusals() async throws {
        let server = try await PostgresServer.shared()
        await #expect {
            _ = try await PostgresStorage.connect(url: "postgres://livehub@127.0.0.1:1/x", fence: nil, maxCommitBacklog: 10, logger: PG.logger)
        } throws: { error in
            guard case PostgresStorageError.unreachable(let url, _) = error else { return false }
            return url.contains("127.0.0.1:1")
        }
        await #expect {
            _ = try await PostgresStorage.connect(url: server.url(database: "no_such_db"), fence: nil, maxCommitBacklog: 10, logger: PG.logger)
        } throws: { error in
            guard case PostgresStorageError.unreachable(_, let reason) = error else { return false }
            return reason.contains("no_such_db")
        }
        let url = try await PG.database()
        try await server.psql(database: PG.name(url), "ALTER DATABASE \(PG.name(url)) SET synchronous_commit = off")
        await #expect(throws: PostgresStorageError.synchronousCommitOff) {
            _ = try await PostgresStorage.connect(url: url, fence: nil, maxCommitBacklog: 10, logger: PG.logger)
        }
    }
}
