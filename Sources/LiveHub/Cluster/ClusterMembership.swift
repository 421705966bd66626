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
}
