import Synchronization

/// What this node knows about shard ownership: the leases it holds (each valid, as far as this
/// node may assume, until a local deadline set *before* the database's expiry), and who owns the
/// others (refreshed by the coordinator), for forwarding.
///
/// The local deadline is the time the renewal was *sent* plus the lease duration minus a margin:
/// the database set its expiry later than that on its own clock, so this node stops using a
/// lease before any other node can take it. It is the fence (`ShardFence`) every commit of this
/// node carries; the store re-checks it in the commit's transaction, which catches the rest (a
/// process paused past its deadline).
package final class ShardOwnership: ShardFence {
    private struct Held {
        var epoch: Int64
        var validUntil: ContinuousClock.Instant
    }

    private struct State {
        var held: [Int: Held] = [:]
        var owners: [Int: ShardOwner] = [:]
    }

    package let node: String
    package let map: ShardMap
    private let state = Mutex(State())

    package init(node: String, map: ShardMap = ShardMap()) {
        self.node = node
        self.map = map
    }

    package func token(forLocation location: String) -> FenceToken? {
        let shard = map.shard(ofLocation: location)
        let now = ContinuousClock.now
        return state.withLock { s in
            guard let h = s.held[shard], now < h.validUntil else { return nil }
            return FenceToken(node: node, shard: shard, epoch: h.epoch)
        }
    }

    /// True when this node may run the location's conversations now.
    package func owns(location: String) -> Bool { token(forLocation: location) != nil }

    /// The shards held (valid or not yet dropped), with their epochs.
    package var claims: [ShardClaim] {
        state.withLock { $0.held.map { ShardClaim(shard: $0.key, epoch: $0.value.epoch) }.sorted { $0.shard < $1.shard } }
    }

    /// Shards whose local deadline has passed: they must be dropped now.
    package func lapsed(now: ContinuousClock.Instant = .now) -> [Int] {
        state.withLock { $0.held.filter { $0.value.validUntil <= now }.map(\.key) }
    }

    /// Records claims renewed or acquired by a request sent at `sentAt`.
    package func hold(_ claims: [ShardClaim], sentAt: ContinuousClock.Instant, lease: Duration) {
        let validUntil = sentAt + lease - Self.margin(lease)
        state.withLock { s in
            for c in claims { s.held[c.shard] = Held(epoch: c.epoch, validUntil: validUntil) }
        }
    }

    /// Forgets shards (lost, lapsed or released).
    package func forget(_ shards: some Sequence<Int>) {
        state.withLock { s in
            for shard in shards { s.held[shard] = nil }
        }
    }

    /// Who owns each shard, as last read from the database.
    package func setOwners(_ owners: [ShardOwner]) {
        state.withLock { $0.owners = Dictionary(owners.map { ($0.shard, $0) }, uniquingKeysWith: { a, b in a.epoch >= b.epoch ? a : b }) }
    }

    /// The location's owner as last read, if another node with an address.
    package func remoteOwner(ofLocation location: String) -> ShardOwner? {
        let shard = map.shard(ofLocation: location)
        return state.withLock { s in
            guard let o = s.owners[shard], o.node != node, o.address != nil else { return nil }
            return o
        }
    }

    /// A fifth of the lease, at least half a second: what a renewal may take and clocks may drift.
    static func margin(_ lease: Duration) -> Duration {
        max(.milliseconds(500), lease / 5)
    }
}
