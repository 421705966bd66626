import Coaching

/// Something that happens to a conversation. The actor turns each into events.
public enum ConversationInput: Sendable {
    case inbound(MessagePayload, at: Double)
    case outbound(MessagePayload, at: Double)
    case contactUpdated(ContactProfile, at: Double)
    case dndChanged(channels: [String], at: Double)
    case dealUpdated(DealPayload, at: Double)
    case appointment(AppointmentPayload, at: Double)
    case setMode(ConversationMode, by: String, at: Double)
    case whisper(from: String, to: String?, text: String, at: Double)
    /// The negotiation session the conversation feeds (opened by an agent or a pipeline stage).
    case negotiationLinked(negotiationId: String, listingPrice: Double?, by: String, at: Double)
    /// The session closed: the conversation stops feeding it.
    case negotiationEnded(negotiationId: String, at: Double)
    /// The session's fresh advice, shown to the conversation's watchers.
    case negotiationAdvice(NegotiationUpdatePayload, seq: UInt64, at: Double)
    /// A call transcript fetch came back.
    case callTranscript(messageId: String, TranscriptFetch, at: Double)
    case takeover(by: String, at: Double)
    case release(by: String, at: Double)
    /// A person queued a reply; it goes to the outbox in the same commit.
    case replyQueued(OutboundRequest, by: String, at: Double)
    /// Scheduled work came due (its timer fired); `token` names the scheduling it was armed for.
    case due(ScheduledItem.Kind, token: UInt64, at: Double)
    /// The sender learned the outcome of an outbox entry (or it was cancelled).
    case delivery(outboxId: String, text: String, channel: String, state: DeliveryState, messageId: String?, error: String?, at: Double)
    /// An agent dismissed the coaching card stored at `seq` (`card` is its payload).
    case cardDismissed(seq: UInt64, card: CardDismissedPayload, at: Double)
    /// A supervisor acknowledged the alert stored at `seq`.
    case alertAcknowledged(seq: UInt64, by: String, at: Double)

    var at: Double {
        switch self {
        case .inbound(_, let at), .outbound(_, let at), .contactUpdated(_, let at), .dndChanged(_, let at), .dealUpdated(_, let at),
            .appointment(_, let at), .setMode(_, _, let at), .whisper(_, _, _, let at), .negotiationLinked(_, _, _, let at),
            .negotiationAdvice(_, _, let at), .negotiationEnded(_, let at), .callTranscript(_, _, let at),
            .takeover(_, let at), .release(_, let at), .replyQueued(_, _, let at), .delivery(_, _, _, _, _, _, let at),
            .due(_, _, let at), .cardDismissed(_, _, let at), .alertAcknowledged(_, _, let at):
            return at
        }
    }
}

/// The webhook an input came from, committed in the same transaction as its events so that
/// a webhook is acknowledged only when everything it caused is durable.
public struct WebhookReceipt: Sendable, Hashable {
    public let webhookId: String
    public let type: String
    public let locationId: String?
    public let receivedAt: Double
    public let body: [UInt8]
    public let signatureScheme: String
    public let messageId: String?

    public init(webhookId: String, type: String, locationId: String?, receivedAt: Double, body: [UInt8], signatureScheme: String, messageId: String?) {
        self.webhookId = webhookId
        self.type = type
        self.locationId = locationId
        self.receivedAt = receivedAt
        self.body = body
        self.signatureScheme = signatureScheme
        self.messageId = messageId
    }
}
