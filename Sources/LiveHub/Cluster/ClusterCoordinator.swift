import Actors
import Logging
import ServiceLifecycle

/// Keeps this node's share of the shards: every tick it heartbeats, renews the leases it holds,
/// drops what it lost, gives back what is more than its share and takes free shards up to it.
///
/// Its share is `ceil(shards / live nodes)`, so shards spread when a node joins and are taken
/// over when one dies (its leases expire, on the database's clock, after at most one lease
/// duration). Which free shards a node prefers is rendezvous hashing of (node, shard), so
/// nodes rarely reach for the same one. A shard is dropped (its actors retired, its commits
/// refused by the fence) *before* it is released or its lease can expire, never after.
package struct ClusterCoordinator: Service {
    let store: any ClusterStore
    let ownership: ShardOwnership
    let address: String
    let lease: Duration
    /// Called with shards this node no longer owns, after the fence stopped their commits.
    let onLost: @Sendable ([Int]) async -> Void
    /// Called with shards this node took, before their webhooks are accepted here.
    let onAcquired: @Sendable ([Int]) async -> Void
    /// Called with shards this node took, once it serves them (their scheduled work is armed).
    let onServing: @Sendable ([Int]) async -> Void
    let logger: Logger

    package init(
        store: any ClusterStore, ownership: ShardOwnership, address: String, lease: Duration, logger: Logger,
        onLost: @escaping @Sendable ([Int]) async -> Void, onAcquired: @escaping @Sendable ([Int]) async -> Void,
        onServing: @escaping @Sendable ([Int]) async -> Void = { _ in }
    ) {
        self.onServing = onServing
        self.store = store
        self.ownership = ownership
        self.address = address
        self.lease = lease
        self.logger = logger
        self.onLost = onLost
        self.onAcquired = onAcquired
    }

    /// Ticks six times per lease: a renewal can fail a few times before the lease lapses.
    var interval: Duration { lease / 6 }

    /// Prepares the lease rows and takes a first share, so that the node serves at once.
    package func start() async throws {
        try await store.prepare(shardCount: ownership.map.count)
        await tick()
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                await tick()
            }
        }
        await leave()
    }

    /// One round; errors are logged and the next tick tries again (a lease lapses on its own).
    package func tick() async {
        do {
            let sentAt = ContinuousClock.now
            let nodes = try await store.heartbeat(node: ownership.node, address: address, ttl: lease)
            let held = ownership.claims
            let renewed = try await store.renew(held, node: ownership.node, ttl: lease)
            ownership.hold(renewed, sentAt: sentAt, lease: lease)
            let renewedShards = Set(renewed.map(\.shard))
            await drop(held.map(\.shard).filter { !renewedShards.contains($0) }, reason: "lost")
            try await balance(nodes: nodes)
        } catch {
            logger.warning("cluster tick failed", metadata: ["error": .string("\(error)")])
        }
        // Whatever could not be renewed in time is dropped before the database lets it go.
        await drop(ownership.lapsed(), reason: "lapsed")
    }

    /// Gives back shards above this node's share, takes free ones below it.
    private func balance(nodes: [ClusterNode]) async throws {
        let count = ownership.map.count
        let share = (count + max(1, nodes.count) - 1) / max(1, nodes.count)
        let owners = try await store.owners()
        ownership.setOwners(owners)
        let held = ownership.claims
        if held.count > share {
            // Keep the shards this node ranks highest; give back the rest.
            let extra = held.sorted { score($0.shard) < score($1.shard) }.prefix(held.count - share)
            await drop(extra.map(\.shard), reason: "rebalanced")
            try await store.release(Array(extra), node: ownership.node)
        } else if held.count < share {
            let taken = Set(owners.map(\.shard))
            let free = (0..<count).filter { !taken.contains($0) }.sorted { score($0) > score($1) }.prefix(share - held.count)
            guard !free.isEmpty else { return }
            let sentAt = ContinuousClock.now
            let acquired = try await store.acquire(Array(free), node: ownership.node, ttl: lease)
            guard !acquired.isEmpty else { return }
            await onAcquired(acquired.map(\.shard))
            ownership.hold(acquired, sentAt: sentAt, lease: lease)
            ownership.setOwners(owners + acquired.map { ShardOwner(shard: $0.shard, node: ownership.node, epoch: $0.epoch, address: address) })
            logger.info("shards acquired", metadata: ["shards": .string(acquired.map { "\($0.shard)@\($0.epoch)" }.joined(separator: ","))])
            await onServing(acquired.map(\.shard))
        }
    }

    /// Stops using shards: the fence first (no new commit), then their actors.
    private func drop(_ shards: [Int], reason: String) async {
        guard !shards.isEmpty else { return }
        ownership.forget(shards)
        await onLost(shards)
        logger.notice("shards dropped", metadata: ["shards": .string(shards.map(String.init).joined(separator: ",")), "reason": .string(reason)])
    }

    /// Graceful leave: drop every shard, hand them back and deregister, so that the others take
    /// over at once rather than after the leases expire.
    private func leave() async {
        let held = ownership.claims
        await drop(held.map(\.shard), reason: "leaving")
        try? await store.release(held, node: ownership.node)
        try? await store.leave(node: ownership.node)
    }

    /// Rendezvous score of (this node, shard): FNV-1a, the same on every run.
    private func score(_ shard: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (ownership.node + "#" + String(shard)).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
