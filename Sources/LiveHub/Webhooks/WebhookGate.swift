import Synchronization

/// Makes concurrent deliveries of the same webhook (or of the same message under two webhook
/// ids) take effect once: the first runs, the others wait for it. A copy that waited reports a
/// duplicate only when the delivery it waited for succeeded; if that one failed, nothing was
/// stored, so the copy runs the work itself (GHL would otherwise stop retrying a webhook that
/// was never stored). Storage answers for deliveries that arrive after the first has committed.
///
/// The first delivery runs its work in the caller's own task (no task or actor hop on the hot
/// path): the gate only records, under a lock, which keys are claimed and who waits for them.
final class WebhookGate: Sendable {
    /// One claimed delivery: whether it ended well, and who waits to hear it.
    private final class Run: Sendable {
        private let state = Mutex<(succeeded: Bool?, waiters: [CheckedContinuation<Bool, Never>])>((nil, []))

        /// Whether the delivery succeeded, once it has ended.
        func outcome() async -> Bool {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let ended: Bool? = state.withLock { s in
                    if let done = s.succeeded { return done }
                    s.waiters.append(c)
                    return nil
                }
                if let ended { c.resume(returning: ended) }
            }
        }

        func end(succeeded: Bool) {
            let waiters = state.withLock { s in
                s.succeeded = succeeded
                defer { s.waiters = [] }
                return s.waiters
            }
            for w in waiters { w.resume(returning: succeeded) }
        }
    }

    private let inFlight = Mutex<[String: Run]>([:])

    func run(keys: [String], _ work: () async throws -> WebhookOutcome) async throws -> WebhookOutcome {
        while true {
            let (run, owner): (Run, Bool) = inFlight.withLock { runs in
                for key in keys {
                    if let running = runs[key] { return (running, false) }
                }
                let run = Run()
                for key in keys { runs[key] = run }
                return (run, true)
            }
            guard owner else {
                // A failed run has released its keys before it ends: the next round claims them.
                if await run.outcome() { return .duplicate }
                continue
            }
            do {
                let outcome = try await work()
                release(run, keys: keys, succeeded: true)
                return outcome
            } catch {
                release(run, keys: keys, succeeded: false)
                throw error
            }
        }
    }

    private func release(_ run: Run, keys: [String], succeeded: Bool) {
        inFlight.withLock { runs in
            for key in keys where runs[key] === run { runs[key] = nil }
        }
        run.end(succeeded: succeeded)
    }
}

enum WebhookOutcome: Sendable, Equatable {
    case processed(events: Int)
    case duplicate
}
