import Coaching

/// What a supervisor's location view shows for one conversation, and the state the actor
/// keeps between restarts (it is stored with every commit).
public struct ConversationSummary: Sendable, Codable, Hashable {
    public var conversationId: String
    public var locationId: String
    public var contactId: String?
    public var contactName: String?
    public var assignedTo: String?
    public var mode: ConversationMode
    /// `active` while talking, `waiting` when a lead message has no human reply yet,
    /// `opted_out` after an opt-out on any channel.
    public var state: String
    public var lastMessagePreview: String?
    public var lastMessageAt: Double?
    public var tier: LeadScore.Tier?
    public var score: Int?
    public var sentiment: Double?
    /// When the oldest unanswered lead message arrived.
    public var waitingSince: Double?
    /// Channels opted out (DND or written opt-out).
    public var optedOutChannels: [String]
    /// A supervisor who took the conversation over.
    public var takenOverBy: String?
    /// The `waitingSince` an SLA alert was already raised for (one alert per waiting period).
    public var slaAlertedFor: Double?
    /// The channel of the lead's last message: replies go back on it by default.
    public var lastInboundChannel: String?
    /// Set by `mode.set`; otherwise the location's auto-responder mode applies.
    public var modeOverride: ConversationMode?
    public var contactTimezone: String?
    public var leadMessages: Int?
    /// When a person last wrote or acted (reply, outbound with a user, takeover).
    public var lastHumanAt: Double?
    /// Automatic messages sent: in total, and on `autoDay` (days since the epoch, UTC).
    public var autoSentTotal: Int?
    public var autoSentOnDay: Int?
    public var autoDay: Int?
    public var head: UInt64

    public init(conversationId: String, locationId: String, contactId: String?) {
        self.conversationId = conversationId
        self.locationId = locationId
        self.contactId = contactId
        self.mode = .suggest
        self.state = "active"
        self.optedOutChannels = []
        self.head = 0
    }
}
