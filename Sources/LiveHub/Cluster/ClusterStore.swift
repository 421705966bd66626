/// What the nodes of a cluster share about each other, kept in the shared database: which
/// nodes are alive and where they listen, and which node holds each shard's lease.
///
/// Every time here is the database's clock, never a node's: nodes may disagree about the time,
/// the database is one. A lease is `(shard, owner, epoch, expires_at)`; the epoch grows by one
/// each time the shard changes hands (or its holder lost it and takes it again), so a commit
/// fenced with an older epoch is refused in the same transaction (`FenceToken`).
package protocol ClusterStore: Sendable {
    /// Creates the lease rows `0..<shardCount` that do not exist yet (idempotent, safe when
    /// several nodes start at once).
    func prepare(shardCount: Int) async throws
    /// Records that `node` is alive and reachable at `address` for `ttl` from now; returns the
    /// nodes alive now, this one included, ordered by id.
    func heartbeat(node: String, address: String, ttl: Duration) async throws -> [ClusterNode]
    /// Removes `node` from the live nodes (graceful leave).
    func leave(node: String) async throws
    /// Extends, by `ttl` from now, the leases `node` still holds with these epochs and that have
    /// not expired, in one conditional `UPDATE … RETURNING`. Returns the ones extended; the
    /// others were lost (expired, or taken by another node).
    func renew(_ claims: [ShardClaim], node: String, ttl: Duration) async throws -> [ShardClaim]
    /// Takes those of `shards` that have no owner or whose lease has expired, raising each
    /// one's epoch. Returns the ones taken.
    func acquire(_ shards: [Int], node: String, ttl: Duration) async throws -> [ShardClaim]
    /// Ends these leases now (a draining node), so that others can take them at once.
    func release(_ claims: [ShardClaim], node: String) async throws
    /// The shards with a lease that has not expired, with their owners' addresses.
    func owners() async throws -> [ShardOwner]
    /// A secret every node shares (access-token signing, node-to-node authentication), made
    /// at random by the first node that asks for it.
    func sharedSecret(named name: String, byteCount: Int) async throws -> [UInt8]
}

extension ClusterStore {
    /// The access-token secret every node signs and checks with, written as
    /// `LIVEHUB_JWT_SECRET` would give it.
    package func jwtSecret() async throws -> String {
        Hex.string(try await sharedSecret(named: "jwt", byteCount: 32))
    }

    /// The key of the MACs on node-to-node requests (`WebhookForwarder`).
    package func forwardingSecret() async throws -> [UInt8] {
        try await sharedSecret(named: "node-to-node", byteCount: 32)
    }
}

/// A live node: its id and the base URL other nodes reach it at (`http://host:port`).
package struct ClusterNode: Sendable, Hashable {
    package let id: String
    package let address: String

    package init(id: String, address: String) {
        self.id = id
        self.address = address
    }
}

/// A shard's lease as held by this node.
package struct ShardClaim: Sendable, Hashable {
    package let shard: Int
    package let epoch: Int64

    package init(shard: Int, epoch: Int64) {
        self.shard = shard
        self.epoch = epoch
    }
}

/// A shard's current owner, as any node sees it.
package struct ShardOwner: Sendable, Hashable {
    package let shard: Int
    package let node: String
    package let epoch: Int64
    /// Where the owner listens; nil when its node row is gone (it left or died).
    package let address: String?

    package init(shard: Int, node: String, epoch: Int64, address: String?) {
        self.shard = shard
        self.node = node
        self.epoch = epoch
        self.address = address
    }
}
