/// Makes concurrent deliveries of the same webhook (or of the same message under two webhook
/// ids) take effect once: the first runs, the others wait for it. A copy that waited reports a
/// duplicate only when the delivery it waited for succeeded; if that one failed, nothing was
/// stored, so the copy runs the work itself (GHL would otherwise stop retrying a webhook that
/// was never stored). Storage answers for deliveries that arrive after the first has committed.
actor WebhookGate {
    private var inFlight: [String: Task<WebhookOutcome, any Error>] = [:]

    func run(keys: [String], _ work: @escaping @Sendable () async throws -> WebhookOutcome) async throws -> WebhookOutcome {
        while let running = keys.lazy.compactMap({ self.inFlight[$0] }).first {
            do {
                _ = try await running.value
                return .duplicate
            } catch {
                // Its owner clears it too, but may not have run yet: forget the failed run now,
                // so this loop does not find it again.
                forget(running, keys: keys)
            }
        }
        let task = Task { try await work() }
        for key in keys { inFlight[key] = task }
        defer { forget(task, keys: keys) }
        return try await task.value
    }

    private func forget(_ task: Task<WebhookOutcome, any Error>, keys: [String]) {
        for key in keys where inFlight[key] == task { inFlight[key] = nil }
    }
}

enum WebhookOutcome: Sendable, Equatable {
    case processed(events: Int)
    case duplicate
}
