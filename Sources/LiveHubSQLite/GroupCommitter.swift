import GRDB
import Synchronization

/// Shares SQLite commits between concurrent writers.
///
/// Each caller submits a write and suspends. One writer loop takes everything queued at that
/// moment and applies it in a single transaction — one fsync for the whole group — then resumes
/// every caller. If the group's transaction fails, each write is retried alone so that one bad
/// write (a constraint violation) cannot fail the others. Order of submission is preserved.
///
/// The queue is bounded: when the disk cannot keep up and `hardLimit` writes wait, further
/// writes are refused at once with `Overloaded` instead of queueing without limit. (Webhooks
/// are turned away earlier, at `backlog` ≥ the server's `maxCommitBacklog`, before any work is
/// done for them; the margin up to `hardLimit` is for the writes already under way.)
actor GroupCommitter {
    typealias Write = @Sendable (Database) throws -> Void

    struct Overloaded: Error, CustomStringConvertible {
        var description: String { "the storage is behind: too many writes are waiting for a commit" }
    }

    private let pool: DatabasePool
    private var queue: [(Write, CheckedContinuation<Void, any Error>)] = []
    private var draining = false
    /// Groups are capped so one huge burst does not hold the write lock for long.
    let maxGroup = 512
    nonisolated let hardLimit: Int
    private let waiting = Atomic<Int>(0)
    /// Writes waiting for the next group (tests use it to line writes up).
    var queued: Int { queue.count }
    /// Writes submitted and not yet committed, readable without a hop onto the committer.
    nonisolated var backlog: Int { waiting.load(ordering: .relaxed) }
    private(set) var commits = 0
    private(set) var writes = 0
    private let onCommit: @Sendable (Duration) -> Void

    init(pool: DatabasePool, hardLimit: Int = 8_192, onCommit: @escaping @Sendable (Duration) -> Void = { _ in }) {
        self.pool = pool
        self.hardLimit = hardLimit
        self.onCommit = onCommit
    }

    /// Returns once `write` is durably committed; throws what the write threw, or `Overloaded`.
    func commit(_ write: @escaping Write) async throws {
        guard waiting.load(ordering: .relaxed) < hardLimit else { throw Overloaded() }
        waiting.add(1, ordering: .relaxed)
        defer { waiting.subtract(1, ordering: .relaxed) }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.append((write, continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let group = Array(queue.prefix(maxGroup))
            queue.removeFirst(group.count)
            let writes = group.map(\.0)
            do {
                let start = ContinuousClock.now
                try await pool.write { db in for w in writes { try w(db) } }
                onCommit(ContinuousClock.now - start)
                commits += 1
                self.writes += group.count
                for (_, c) in group { c.resume() }
            } catch {
                // Retry one by one so only the failing write reports the failure.
                for (w, c) in group {
                    do {
                        try await pool.write { db in try w(db) }
                        commits += 1
                        self.writes += 1
                        c.resume()
                    } catch {
                        c.resume(throwing: error)
                    }
                }
            }
        }
        draining = false
    }
}
