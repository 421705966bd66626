import Foundation

/// One atomic write of a negotiation session: the events of one input and the session after
/// them. Its events carry `streamId` (`negotiation:{id}`) as their stream key.
public struct NegotiationCommit: Sendable {
    public let events: [ConversationEvent]
    public let session: NegotiationSession
    /// `session` as JSON, encoded while the input was applied.
    public let sessionJSON: Data

    public init(events: [ConversationEvent], session: NegotiationSession, sessionJSON: Data) {
        self.events = events
        self.session = session
        self.sessionJSON = sessionJSON
    }
}

/// Durable storage for negotiation sessions. Events share the event log with conversations,
/// keyed by the session's stream id, so replay (`since`) works the same for both.
public protocol NegotiationStore: Sendable {
    /// Commits the events and the session in one transaction; returns once durable.
    func commit(_ commit: NegotiationCommit) async throws
    func load(negotiationId: String) async throws -> NegotiationSession?
}

/// Where a session's committed events go next (its topic, the linked conversations).
public protocol NegotiationPublisher: Sendable {
    func publish(_ commit: NegotiationCommit) async
}

/// Reads a conversation's stored events after `after` (a session catching up).
public protocol ConversationEventReader: Sendable {
    func events(conversationId: String, after: UInt64, limit: Int) async throws -> [ConversationEvent]
}
