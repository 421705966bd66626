import Synchronization

/// Drafts per location per hour (a fixed window), so that one busy location cannot spend the
/// model budget of all. Per node: on a cluster each node counts its own agents' drafts.
final class DraftQuota: Sendable {
    private let windows = Mutex<[String: (hour: Int, used: Int)]>([:])

    /// Takes one draft from the location's hour; false when `limit` are used already.
    func take(_ location: String, limit: Int, now: Double) -> Bool {
        let hour = Int(now / 3_600)
        return windows.withLock { w in
            var entry = w[location] ?? (hour, 0)
            if entry.hour != hour { entry = (hour, 0) }
            guard entry.used < limit else { return false }
            entry.used += 1
            w[location] = entry
            // Old windows of quiet locations are dropped, so the table stays as small as the
            // set of locations drafting this hour.
            if w.count > 10_000 { w = w.filter { $0.value.hour == hour } }
            return true
        }
    }
}
