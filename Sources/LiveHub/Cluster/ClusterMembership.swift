import Logging
import NIOCore

/// A node's part in a cluster, as the server core needs it: what it owns, how it reaches the
/// owners of the rest, and the store they share.
package struct ClusterMembership: Sendable {
    package let ownership: ShardOwnership
    package let store: any ClusterStore
    package let forwarder: WebhookForwarder
    /// Where the other nodes reach this one.
    package let address: String
    package let lease: Duration

    package init(ownership: ShardOwnership, store: any ClusterStore, forwarder: WebhookForwarder, address: String, lease: Duration) {
        self.ownership = ownership
        self.store = store
        self.forwarder = forwarder
        self.address = address
        self.lease = lease
    }

    package var node: String { ownership.node }

    /// Reads the shards' owners again (a forward found the lease moved).
    func refreshOwners() async {
        if let owners = try? await store.owners() { ownership.setOwners(owners) }
    }

    /// Serves a request of `location` where the location is owned, asking again while its lease
    /// moves (a takeover, a rebalance), until `timeout`: `local` while this node owns it (nil: it
    /// lost it meanwhile, nothing was done), else `remote` with the owner's address and the time
    /// one attempt may take (nil: that node no longer owns it, or did not answer). Nil when no
    /// owner served it in time.
    func serve<T: Sendable>(
        location: String, timeout: Duration, logger: Logger, local: () async -> T?, remote: (_ address: String, _ attempt: Duration) async -> WebhookForwarder.Reply
    ) async -> T? where T: RelayedReply {
        let deadline = ContinuousClock.now + timeout
        while true {
            if ownership.owns(location: location) {
                if let done = await local() { return done }
            } else if let owner = ownership.remoteOwner(ofLocation: location), let address = owner.address {
                switch await remote(address, min(WebhookForwarder.attemptTimeout, deadline - ContinuousClock.now)) {
                case .answered(let status, let body, let retryAfter):
                    return T.relayed(status: status, body: body, retryAfter: retryAfter)
                case .notOwner:
                    break
                case .unreachable(let reason):
                    logger.notice("owner unreachable; asking again", metadata: ["owner": .string(owner.node), "error": .string(reason)])
                }
            }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(100))
            await refreshOwners()
        }
    }
}

/// What an owner's answer becomes where the request arrived.
protocol RelayedReply {
    static func relayed(status: Int, body: ByteBuffer, retryAfter: String?) -> Self
}
