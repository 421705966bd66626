import Coaching

/// What a client sees of a conversation: the location topic's `conversation.summary`, the HTTP
/// API's conversation. Built from `ConversationState`, without the actor's bookkeeping.
public struct ConversationSummary: Sendable, Codable, Hashable {
    public var conversationId: String
    public var locationId: String
    public var contactId: String?
    public var contactName: String?
    public var assignedTo: String?
    /// The auto-responder mode in force.
    public var mode: ConversationMode
    /// `active`, `waiting` (a lead message has no human reply yet) or `opted_out`.
    public var state: String
    public var lastMessagePreview: String?
    public var lastMessageAt: Double?
    /// The channel of the lead's last message: replies go back on it by default.
    public var lastInboundChannel: String?
    public var tier: LeadScore.Tier?
    public var score: Int?
    public var sentiment: Double?
    /// When the oldest unanswered lead message arrived.
    public var waitingSince: Double?
    public var optedOutChannels: [String]
    /// A supervisor who took the conversation over.
    public var takenOverBy: String?
    /// The `seq` of the conversation's last event.
    public var head: UInt64
    /// The negotiation session the conversation feeds (`negotiation:{id}`), if any.
    public var negotiationId: String? = nil
    /// Why a supervisor should look: the reasons of the alerts not acknowledged yet.
    public var attention: [String] = []
    /// The alerts not acknowledged yet (`seq`, `reason`), oldest first: what `alert.ack` takes.
    public var openAlerts: [OpenAlert] = []
    /// In `auto` mode, until when the bot stays quiet because a person wrote (epoch seconds).
    public var aiPausedUntil: Double? = nil
}
