import LiveHub
import Logging
import PostgresNIO
import Synchronization

/// Counts the durable writes in flight (the commit backlog), refuses new ones once `hardLimit`
/// are in flight, and tells observers how long each observed commit took.
///
/// With SQLite the backlog is a queue in front of one writer; here every write runs on its own
/// pooled connection and waits for one when all are busy, so "in flight" includes waiting for a
/// connection. As with SQLite, the server turns webhooks away at `maxCommitBacklog` and other
/// writes are refused at `hardLimit` = twice that.
final class CommitGate: Sendable {
    let hardLimit: Int
    private let inFlight = Atomic<Int>(0)
    private let observers = Mutex<[@Sendable (Duration) -> Void]>([])

    init(hardLimit: Int) {
        self.hardLimit = max(1, hardLimit)
    }

    var backlog: Int { inFlight.load(ordering: .relaxed) }

    func observe(_ observer: @escaping @Sendable (Duration) -> Void) { observers.withLock { $0.append(observer) } }

    func admit<T: Sendable>(observed: Bool, _ write: () async throws -> T) async throws -> T {
        guard inFlight.add(1, ordering: .relaxed).newValue <= hardLimit else {
            inFlight.subtract(1, ordering: .relaxed)
            throw PostgresStorageError.overloaded
        }
        defer { inFlight.subtract(1, ordering: .relaxed) }
        let start = ContinuousClock.now
        let value = try await write()
        if observed {
            let took = ContinuousClock.now - start
            for observer in observers.withLock({ $0 }) { observer(took) }
        }
        return value
    }
}

/// Readiness and commit backlog of the cluster's database, and who hears of each conversation
/// commit's duration.
struct PostgresHealth: StorageHealth {
    let database: PostgresDatabase
    /// How long `/readyz` waits for the database before calling it unwritable.
    static let probeTimeout = Duration.seconds(1)

    /// True when the database answers within a second and is a primary: a standby promoted away
    /// from (or a replica by mistake) answers `SELECT` but cannot take a write.
    func isWritable() async -> Bool {
        let database = self.database
        let probe = Task {
            try await database.withConnection { c in
                var writable = false
                for try await w in try await c.query("SELECT NOT pg_is_in_recovery()", logger: database.logger).decode(Bool.self) { writable = w }
                return writable
            }
        }
        let verdict = FirstAnswer()
        return await withCheckedContinuation { (answer: CheckedContinuation<Bool, Never>) in
            verdict.set(answer)
            Task { verdict.give((try? await probe.value) ?? false) }
            Task {
                try? await Task.sleep(for: Self.probeTimeout)
                // A lease waiting for an unreachable database is abandoned, not left to pile up.
                probe.cancel()
                verdict.give(false)
            }
        }
    }

    var commitBacklog: Int { database.gate.backlog }

    func observeCommits(_ observer: @escaping @Sendable (Duration) -> Void) { database.gate.observe(observer) }
}

/// Resumes a continuation with whichever answer comes first (the probe or its timeout).
private final class FirstAnswer: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Bool, Never>?, answer: Bool?)>((nil, nil))

    func set(_ continuation: CheckedContinuation<Bool, Never>) {
        let early = state.withLock { s -> Bool? in
            if let answer = s.answer { return answer }
            s.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func give(_ answer: Bool) {
        let waiting = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard s.answer == nil else { return nil }
            s.answer = answer
            defer { s.continuation = nil }
            return s.continuation
        }
        waiting?.resume(returning: answer)
    }
}
