/// A message LiveHub is to send through GHL, as written to the outbox.
public struct OutboundRequest: Sendable, Hashable, Codable {
    public let outboxId: String
    public let conversationId: String
    public let locationId: String
    public let contactId: String
    public let channel: String
    public let text: String
    /// `agent:<userId>` or `auto`.
    public let origin: String
    public let suggestionId: String?

    /// The channels LiveHub can reply on.
    public static let replyChannels: Set<String> = ["SMS", "Email", "WhatsApp", "IG", "FB", "Live_Chat"]

    /// The channel a reply goes out on: the one asked for, else the lead's last channel when
    /// replies are possible on it, else SMS.
    public static func replyChannel(requested: String? = nil, lastInbound: String?) -> String {
        requested ?? lastInbound.flatMap { replyChannels.contains($0) ? $0 : nil } ?? "SMS"
    }

    public init(outboxId: String, conversationId: String, locationId: String, contactId: String, channel: String, text: String, origin: String, suggestionId: String?) {
        self.outboxId = outboxId
        self.conversationId = conversationId
        self.locationId = locationId
        self.contactId = contactId
        self.channel = channel
        self.text = text
        self.origin = origin
        self.suggestionId = suggestionId
    }
}

/// The delivery states an outbox entry moves through: queued → (sending) → sent | failed, or
/// queued → cancelled.
public enum DeliveryState: String, Sendable, Codable, Hashable {
    case queued, sending, sent, failed, cancelled
}

/// The outbox write that belongs to a commit: the row is inserted or updated in the same
/// transaction as the event that records it.
public enum OutboxWrite: Sendable, Hashable {
    case insert(OutboundRequest)
    case update(outboxId: String, state: DeliveryState, messageId: String?, error: String?)
}
