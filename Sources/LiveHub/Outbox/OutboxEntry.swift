import Actors

/// Where an outbox entry stands. `queued → sending → sent | failed`, or `queued → cancelling →
/// cancelled`; `sending` is written before GHL is called, so after a crash it means "GHL may
/// have it" and only reconciliation moves it on.
package enum OutboxState: String, Sendable, Hashable, CaseIterable {
    case queued, cancelling, sending, sent, failed, cancelled

    /// The states an entry can still leave.
    package static let unsettled: [OutboxState] = [.queued, .sending, .cancelling]
}

/// One outbox entry: the message, and how far its sending got.
package struct OutboxEntry: Sendable, Equatable {
    package let request: OutboundRequest
    package let state: OutboxState
    package let attempts: Int
    package let dueAt: Double
    package let sendingSince: Double?
    package let ghlMessageId: String?
    package let createdAt: Double

    package init(request: OutboundRequest, state: OutboxState, attempts: Int, dueAt: Double, sendingSince: Double?, ghlMessageId: String?, createdAt: Double) {
        self.request = request
        self.state = state
        self.attempts = attempts
        self.dueAt = dueAt
        self.sendingSince = sendingSince
        self.ghlMessageId = ghlMessageId
        self.createdAt = createdAt
    }
}
