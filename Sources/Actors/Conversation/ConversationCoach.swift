import Coaching

/// Owns one conversation's coaching session and turns each message into its ordered events.
///
/// Ordering: `receive` has no suspension point between reading the session and appending the
/// events, so two messages can never interleave their events, and because the method is
/// synchronous inside the actor, messages are applied in the order their calls reach the actor.
/// Events carry gap-free sequence numbers starting at 1.
public actor ConversationCoach {
    public nonisolated let conversationId: String
    private let engine: CoachingEngine
    private var session: CoachingSession
    private var nextSeq: UInt64 = 1

    public init(conversationId: String, engine: CoachingEngine, session: CoachingSession = CoachingSession()) {
        self.conversationId = conversationId
        self.engine = engine
        self.session = session
    }

    /// The last sequence number handed out (0 before the first event).
    public var head: UInt64 { nextSeq - 1 }

    /// Applies a lead message: `message.inbound`, `analysis`, `lead.scored`, the cards, the
    /// suggested replies and, when prices are discussed, `negotiation.updated`, in that order.
    public func receive(leadMessage text: String, at: Double, offer: Double? = nil) -> [ConversationEvent] {
        let step = engine.step(&session, text: text, speaker: .lead, at: at, offer: offer)
        var payloads: [ConversationEvent.Payload] = [.messageInbound(text: text), .analysis(step.analysis), .leadScored(step.score)]
        payloads += step.cards.map { .coachingCard($0) }
        payloads += step.replies.map { .replySuggested($0) }
        if let advice = step.negotiation { payloads.append(.negotiationUpdated(advice)) }
        return stamp(payloads, at: at)
    }

    /// Records an agent's message: it feeds engagement and the negotiation, and is streamed.
    public func send(agentMessage text: String, at: Double, offer: Double? = nil) -> [ConversationEvent] {
        let step = engine.step(&session, text: text, speaker: .agent, at: at, offer: offer)
        var payloads: [ConversationEvent.Payload] = [.messageOutbound(text: text), .leadScored(step.score)]
        if let advice = step.negotiation { payloads.append(.negotiationUpdated(advice)) }
        return stamp(payloads, at: at)
    }

    private func stamp(_ payloads: [ConversationEvent.Payload], at: Double) -> [ConversationEvent] {
        payloads.map { payload in
            defer { nextSeq += 1 }
            return ConversationEvent(conversationId: conversationId, seq: nextSeq, at: at, payload: payload)
        }
    }
}
