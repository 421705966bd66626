import Foundation
import GRDB
import Synchronization

/// Shares SQLite commits between concurrent writers.
///
/// Each caller submits a write and suspends. A writer thread of its own takes everything queued
/// at that moment and applies it in a single transaction — one fsync for the whole group — then
/// resumes every caller. If the group's transaction fails, each write is retried alone so that
/// one bad write (a constraint violation) cannot fail the others. Order of submission is
/// preserved. The thread blocks on SQLite and the disk, which the cooperative pool must never
/// do, and it saves the hops an actor, a task and GRDB's own queue would cost each group.
///
/// The queue is bounded: when the disk cannot keep up and `hardLimit` writes wait, further
/// writes are refused at once with `Overloaded` instead of queueing without limit. (Webhooks
/// are turned away earlier, at `backlog` ≥ the server's `maxCommitBacklog`, before any work is
/// done for them; the margin up to `hardLimit` is for the writes already under way.)
final class GroupCommitter: Sendable {
    typealias Write = @Sendable (Database) throws -> Void

    struct Overloaded: Error, CustomStringConvertible {
        var description: String { "the storage is behind: too many writes are waiting for a commit" }
    }

    private struct Pending {
        let write: Write
        let done: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var stopped = false
        var commits = 0
        var writes = 0
    }

    /// What the writer thread shares with callers; the thread holds this, not the committer, so
    /// the committer's `deinit` can stop it.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let wake = DispatchSemaphore(value: 0)
    }

    /// Groups are capped so one huge burst does not hold the write lock for long.
    static let maxGroup = 512
    let hardLimit: Int
    private let shared = Shared()
    private let waiting = Atomic<Int>(0)

    /// Writes waiting for the next group (tests use it to line writes up).
    var queued: Int { shared.state.withLock { $0.queue.count } }
    /// Writes submitted and not yet committed.
    var backlog: Int { waiting.load(ordering: .relaxed) }
    var commits: Int { shared.state.withLock { $0.commits } }
    var writes: Int { shared.state.withLock { $0.writes } }

    init(pool: DatabasePool, hardLimit: Int, onCommit: @escaping @Sendable (Duration) -> Void = { _ in }) {
        self.hardLimit = hardLimit
        let shared = self.shared
        let thread = Thread { Self.run(shared, pool: pool, onCommit: onCommit) }
        thread.name = "livehub-commit"
        thread.start()
    }

    deinit {
        shared.state.withLock { $0.stopped = true }
        shared.wake.signal()
    }

    /// Returns once `write` is durably committed; throws what the write threw, or `Overloaded`.
    func commit(_ write: @escaping Write) async throws {
        guard waiting.load(ordering: .relaxed) < hardLimit else { throw Overloaded() }
        waiting.add(1, ordering: .relaxed)
        defer { waiting.subtract(1, ordering: .relaxed) }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            // The thread drains until the queue is empty, so only the write that finds it empty wakes it.
            let first = shared.state.withLock { s in
                s.queue.append(Pending(write: write, done: done))
                return s.queue.count == 1
            }
            if first { shared.wake.signal() }
        }
    }

    private static func run(_ shared: Shared, pool: DatabasePool, onCommit: @Sendable (Duration) -> Void) {
        while true {
            shared.wake.wait()
            while true {
                let (group, stopped): ([Pending], Bool) = shared.state.withLock { s in
                    let group = Array(s.queue.prefix(maxGroup))
                    s.queue.removeFirst(group.count)
                    return (group, s.stopped)
                }
                if group.isEmpty {
                    if stopped { return }
                    break
                }
                commit(group, shared, pool: pool, onCommit: onCommit)
            }
        }
    }

    private static func commit(_ group: [Pending], _ shared: Shared, pool: DatabasePool, onCommit: @Sendable (Duration) -> Void) {
        do {
            let start = ContinuousClock.now
            try pool.write { db in for p in group { try p.write(db) } }
            onCommit(ContinuousClock.now - start)
            shared.state.withLock { s in
                s.commits += 1
                s.writes += group.count
            }
            for p in group { p.done.resume() }
        } catch {
            // Retry one by one so only the failing write reports the failure.
            for p in group {
                do {
                    try pool.write { db in try p.write(db) }
                    shared.state.withLock { s in
                        s.commits += 1
                        s.writes += 1
                    }
                    p.done.resume()
                } catch {
                    p.done.resume(throwing: error)
                }
            }
        }
    }
}
