/// Makes concurrent deliveries of the same webhook (or of the same message under two webhook
/// ids) take effect once: the first runs, the others wait for it and report a duplicate.
/// Storage answers for deliveries that arrive after the first has committed.
actor WebhookGate {
    private var inFlight: [String: Task<WebhookOutcome, any Error>] = [:]

    func run(keys: [String], _ work: @escaping @Sendable () async throws -> WebhookOutcome) async throws -> WebhookOutcome {
        for key in keys {
            if let running = inFlight[key] {
                _ = try? await running.value
                return .duplicate
            }
        }
        let task = Task { try await work() }
        for key in keys { inFlight[key] = task }
        defer { for key in keys { inFlight[key] = nil } }
        return try await task.value
    }
}

enum WebhookOutcome: Sendable, Equatable {
    case processed(events: Int)
    case duplicate
}
