/// Which shard a location belongs to. Every node must compute the same answer, so the hash is
/// FNV-1a over the id's UTF-8 bytes (Swift's `hashValue` is seeded per process).
///
/// The shard key is the location, not the conversation: every GHL webhook names its location,
/// and a contact's changes fan out to all its conversations of that location, so one webhook
/// always has exactly one owner. The price is that one location's load sits on one node.
package struct ShardMap: Sendable, Hashable {
    package let count: Int

    package init(count: Int = 64) {
        self.count = max(1, count)
    }

    package func shard(ofLocation location: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in location.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }
}
