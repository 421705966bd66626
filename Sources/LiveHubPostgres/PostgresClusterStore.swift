import Foundation
import LiveHub
import NIOCore
import PostgresNIO

/// The cluster's shared state in PostgreSQL: live nodes (`node`), shard leases (`shard_lease`)
/// and shared secrets (`cluster_secret`). Every time is the database's `now()`, never a node's
/// clock; every change is one conditional statement, so racing nodes cannot both win. These
/// writes are not counted in the commit backlog and never refused as overloaded: a node behind
/// on its commits must still renew its leases and heartbeat.
struct PostgresClusterStore: ClusterStore {
    let database: PostgresDatabase

    func prepare(shardCount: Int) async throws {
        guard shardCount > 0 else { return }
        try await database.writeStatement("INSERT INTO shard_lease (shard) SELECT generate_series(0, \(shardCount) - 1) ON CONFLICT (shard) DO NOTHING", counted: false)
    }

    func heartbeat(node: String, address: String, ttl: Duration) async throws -> [ClusterNode] {
        try await database.writeStatement(
            """
            INSERT INTO node (id, address, seen_at, expires_at) VALUES (\(node), \(address), now(), now() + \(Self.milliseconds(ttl)) * interval '1 millisecond')
            ON CONFLICT (id) DO UPDATE SET address = excluded.address, seen_at = excluded.seen_at, expires_at = excluded.expires_at
            """, counted: false)
        let logger = database.logger
        return try await database.withConnection(on: database.leases) { c in
            var nodes: [ClusterNode] = []
            for try await (id, address) in try await c.query("SELECT id, address FROM node WHERE expires_at > now() ORDER BY id", logger: logger).decode((String, String).self) {
                nodes.append(ClusterNode(id: id, address: address))
            }
            return nodes
        }
    }

    func leave(node: String) async throws {
        try await database.writeStatement("DELETE FROM node WHERE id = \(node)", counted: false)
    }

    func renew(_ claims: [ShardClaim], node: String, ttl: Duration) async throws -> [ShardClaim] {
        guard !claims.isEmpty else { return [] }
        // The claims as (shard, epoch) rows: a lease is extended only at the epoch it was held at.
        return try await leases(
            """
            UPDATE shard_lease AS l SET expires_at = now() + \(Self.milliseconds(ttl)) * interval '1 millisecond'
            FROM unnest(\(claims.map(\.shard))::int[], \(claims.map(\.epoch))::bigint[]) AS c(shard, epoch)
            WHERE l.shard = c.shard AND l.epoch = c.epoch AND l.owner = \(node) AND l.expires_at > now()
            RETURNING l.shard, l.epoch
            """)
    }

    func acquire(_ shards: [Int], node: String, ttl: Duration) async throws -> [ShardClaim] {
        guard !shards.isEmpty else { return [] }
        // A node racing for the same shard waits on the row, then finds it taken (the WHERE is
        // evaluated again on the new row version) and does not return it.
        return try await leases(
            """
            UPDATE shard_lease SET owner = \(node), epoch = epoch + 1, expires_at = now() + \(Self.milliseconds(ttl)) * interval '1 millisecond'
            WHERE shard = ANY(\(shards)::int[]) AND (owner IS NULL OR expires_at <= now())
            RETURNING shard, epoch
            """)
    }

    func release(_ claims: [ShardClaim], node: String) async throws {
        guard !claims.isEmpty else { return }
        // The owner is kept: the next holder's epoch still grows from this one.
        try await database.writeStatement(
            """
            UPDATE shard_lease AS l SET expires_at = now()
            FROM unnest(\(claims.map(\.shard))::int[], \(claims.map(\.epoch))::bigint[]) AS c(shard, epoch)
            WHERE l.shard = c.shard AND l.epoch = c.epoch AND l.owner = \(node) AND l.expires_at > now()
            """, counted: false)
    }

    func owners() async throws -> [ShardOwner] {
        let logger = database.logger
        return try await database.withConnection(on: database.leases) { c in
            var out: [ShardOwner] = []
            let rows = try await c.query(
                """
                SELECT l.shard, l.owner, l.epoch, n.address FROM shard_lease l
                LEFT JOIN node n ON n.id = l.owner AND n.expires_at > now()
                WHERE l.expires_at > now() AND l.owner IS NOT NULL ORDER BY l.shard
                """, logger: logger)
            for try await (shard, owner, epoch, address) in rows.decode((Int, String, Int64, String?).self) {
                out.append(ShardOwner(shard: shard, node: owner, epoch: epoch, address: address))
            }
            return out
        }
    }

    /// The first node to ask stores random bytes; every node then reads the same ones. The
    /// stored secret is returned as it is, even if it was made with another `byteCount`.
    func sharedSecret(named name: String, byteCount: Int) async throws -> [UInt8] {
        // SystemRandomNumberGenerator is the system's cryptographically secure source (getrandom).
        var random = SystemRandomNumberGenerator()
        let fresh = ByteBuffer(bytes: (0..<max(0, byteCount)).map { _ in UInt8.random(in: .min ... .max, using: &random) })
        try await database.writeStatement("INSERT INTO cluster_secret (name, value) VALUES (\(name), \(fresh)) ON CONFLICT (name) DO NOTHING", counted: false)
        let logger = database.logger
        return try await database.withConnection(on: database.leases) { c in
            var secret: [UInt8] = []
            for try await value in try await c.query("SELECT value FROM cluster_secret WHERE name = \(name)", logger: logger).decode(ByteBuffer.self) {
                secret = Array(value.readableBytesView)
            }
            return secret
        }
    }

    /// The `(shard, epoch)` rows an UPDATE … RETURNING gave back, durable when returned.
    private func leases(_ query: PostgresQuery) async throws -> [ShardClaim] {
        let logger = database.logger
        return try await database.withConnection(on: database.leases) { c in
            var out: [ShardClaim] = []
            for try await (shard, epoch) in try await c.query(query, logger: logger).decode((Int, Int64).self) { out.append(ShardClaim(shard: shard, epoch: epoch)) }
            return out.sorted { $0.shard < $1.shard }
        }
    }

    /// A `Duration` in milliseconds, fractions kept, for `… * interval '1 millisecond'`.
    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1_000 + Double(d.components.attoseconds) / 1e15
    }
}
