import Foundation

/// One event of a conversation's ordered stream.
///
/// `seq` starts at 1 and grows by one per event of the conversation, with no gaps: a client
/// that has seen N knows exactly what it missed. `data` is the payload's JSON, encoded once
/// when the event is made, then stored and sent to every subscriber as is.
public struct ConversationEvent: Sendable, Hashable {
    public let conversationId: String
    public let seq: UInt64
    /// Seconds since the epoch.
    public let at: Double
    public let kind: EventKind
    public let data: Data

    public init(conversationId: String, seq: UInt64, at: Double, kind: EventKind, data: Data) {
        self.conversationId = conversationId
        self.seq = seq
        self.at = at
        self.kind = kind
        self.data = data
    }

    /// Decodes the payload, for tests and tools.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: data)
    }
}

/// The kinds of conversation events; the WebSocket protocol documents each payload.
public enum EventKind: String, Sendable, Codable, Hashable, CaseIterable {
    case messageInbound = "message.inbound"
    case messageOutbound = "message.outbound"
    case analysis
    case leadScored = "lead.scored"
    case coachingCard = "coaching.card"
    case replySuggested = "reply.suggested"
    case negotiationUpdated = "negotiation.updated"
    /// Events of a negotiation session's own stream (`negotiation:{id}`).
    case negotiationOpened = "negotiation.opened"
    case negotiationOffer = "negotiation.offer"
    case negotiationClosed = "negotiation.closed"
    /// A call's transcript, attributed and coached; or why none could be had.
    case callTranscribed = "call.transcribed"
    case callTranscriptionFailed = "call.transcription_failed"
    case contactUpdated = "contact.updated"
    case optOutChanged = "opt_out.changed"
    case dealUpdated = "deal.updated"
    case appointmentBooked = "appointment.booked"
    case assignmentChanged = "assignment.changed"
    case modeChanged = "mode.changed"
    case whisper
    case alert
    case autoresponderDecision = "autoresponder.decision"
    case cardDismissed = "card.dismissed"
    case alertAcknowledged = "alert.acknowledged"
}
