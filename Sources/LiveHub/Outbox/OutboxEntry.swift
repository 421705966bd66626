import Actors

/// Where an outbox entry stands. `queued → sending → sent | failed`, or `queued → cancelling →
/// cancelled`; `sending` is written before GHL is called, so after a crash it means "GHL may
/// have it" and only reconciliation moves it on.
public enum OutboxState: String, Sendable, Hashable, CaseIterable {
    case queued, cancelling, sending, sent, failed, cancelled

    /// The states an entry can still leave.
    public static let unsettled: [OutboxState] = [.queued, .sending, .cancelling]
}

/// One outbox entry: the message, and how far its sending got.
public struct OutboxEntry: Sendable, Equatable {
    public let request: OutboundRequest
    public let state: OutboxState
    public let attempts: Int
    public let dueAt: Double
    public let sendingSince: Double?
    public let ghlMessageId: String?
    public let createdAt: Double

    public init(request: OutboundRequest, state: OutboxState, attempts: Int, dueAt: Double, sendingSince: Double?, ghlMessageId: String?, createdAt: Double) {
        self.request = request
        self.state = state
        self.attempts = attempts
        self.dueAt = dueAt
        self.sendingSince = sendingSince
        self.ghlMessageId = ghlMessageId
        self.createdAt = createdAt
    }
}
