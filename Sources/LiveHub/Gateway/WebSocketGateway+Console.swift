import Actors
import Coaching

/// The console's ops on what it was shown: dismissing a coaching card, acknowledging an alert.
/// Each names the stored event by its `seq`, which is read back to check its kind; the
/// conversation records the act as an event (once: a repeat changes nothing).
extension WebSocketGateway {
    func dismissCard(_ id: String, seq: UInt64, _ c: Connection, at now: Double) async throws {
        let state = try await readable(id, c)
        let event = try await storedEvent(id, seq: seq, kind: .coachingCard, what: "coaching card")
        let card = try event.decode(CoachingCard.self)
        let payload = CardDismissedPayload(cardSeq: seq, kind: card.kind.rawValue, title: card.title, templateId: card.templateId, by: c.token.userId)
        try await directory.submit(.cardDismissed(seq: seq, card: payload, at: now), to: id, location: state.locationId, contact: state.contactId)
    }

    func acknowledgeAlert(_ id: String, seq: UInt64, _ c: Connection, at now: Double) async throws {
        guard c.token.isSupervisor else { throw GatewayError.forbidden("only supervisors and admins acknowledge alerts") }
        let state = try await readable(id, c)
        _ = try await storedEvent(id, seq: seq, kind: .alert, what: "alert")
        try await directory.submit(.alertAcknowledged(seq: seq, by: c.token.userId, at: now), to: id, location: state.locationId, contact: state.contactId)
    }

    private func storedEvent(_ id: String, seq: UInt64, kind: EventKind, what: String) async throws -> ConversationEvent {
        guard seq > 0, let event = try await conversations.events(conversationId: id, after: seq - 1, limit: 1).first, event.seq == seq, event.kind == kind else {
            throw GatewayError.notFound("no \(what) at seq \(seq) in \(id)")
        }
        return event
    }
}
