/// The lease a commit is made under: the store checks, in the commit's own transaction, that
/// `node` still holds `shard` at `epoch` and that the lease has not expired (the lease row locked
/// `FOR SHARE`), and refuses the commit otherwise. A paused or partitioned ex-owner thus cannot
/// write after another node took its shard over.
package struct FenceToken: Sendable, Hashable {
    package let node: String
    package let shard: Int
    package let epoch: Int64

    package init(node: String, shard: Int, epoch: Int64) {
        self.node = node
        self.shard = shard
        self.epoch = epoch
    }
}

/// Which lease a location's commits are made under on this node; nil when this node does not
/// own the location's shard (then the commit is refused before it is tried).
package protocol ShardFence: Sendable {
    func token(forLocation location: String) -> FenceToken?
}

/// Why a cluster refused to commit or route.
package enum ClusterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// This node does not own the location's shard (it never did, or it lost it).
    case notOwner(location: String)
    /// The store refused the commit: the lease moved on (another owner, a newer epoch, or expired).
    case fenced(FenceToken)

    package var description: String {
        switch self {
        case .notOwner(let location): return "this node does not own location \(location)'s shard"
        case .fenced(let t): return "commit refused by the fence: node \(t.node) no longer holds shard \(t.shard) at epoch \(t.epoch)"
        }
    }
}
