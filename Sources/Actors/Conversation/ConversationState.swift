import Coaching

/// What the conversation's actor keeps between restarts: stored with every commit, loaded on
/// rehydration. Clients never see it whole; they get a `ConversationSummary`.
public struct ConversationState: Sendable, Codable, Hashable {
    public var conversationId: String
    public var locationId: String
    public var contactId: String?
    public var contactName: String?
    public var assignedTo: String?
    /// Set by `mode.set`; otherwise the location's auto-responder mode applies.
    public var modeOverride: ConversationMode?
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
    public var contactTimezone: String?
    public var leadMessages: Int?
    /// When a person last wrote or acted (reply, outbound with a user, takeover).
    public var lastHumanAt: Double?
    /// Automatic messages queued: in total, and on `autoDay` (the contact's local day).
    public var autoSentTotal: Int?
    public var autoSentOnDay: Int?
    public var autoDay: Int?
    /// When the last automatic message was queued: an SLA breach is answered automatically only
    /// if nothing automatic went out since the lead started waiting.
    public var lastAutoAt: Double?
    /// Digests of the automatic texts already sent here: the bot never repeats itself.
    public var autoTextDigests: [String]?
    /// Numbers scheduled work, so that a timer armed for replaced work is recognised.
    public var scheduleCounter: UInt64?
    /// The GHL opportunity behind the conversation, and the price the coach reads offers against
    /// (the opportunity's value when it arrived, or the listing an agent gave).
    public var opportunityId: String?
    public var listingPrice: Double?
    /// The negotiation session the conversation feeds, once prices are discussed (or an agent
    /// or a pipeline stage opened one).
    public var negotiationId: String?
    /// The `seq` (on the session's stream) of the advice last shown here.
    public var negotiationAdviceSeq: UInt64?
    /// Calls whose transcripts are still to be fetched.
    public var pendingCalls: [PendingCall]?
    /// Alerts no one acknowledged yet (the newest `keptOpenAlerts`): the summary's `attention`.
    public var openAlerts: [OpenAlert]?
    /// The coaching cards dismissed (their `seq`, the newest `keptCardDismissals`).
    public var dismissedCards: [UInt64]?
    public var head: UInt64

    public init(conversationId: String, locationId: String, contactId: String?) {
        self.conversationId = conversationId
        self.locationId = locationId
        self.contactId = contactId
        self.state = "active"
        self.optedOutChannels = []
        self.head = 0
    }

    /// What clients see, with `mode` the mode in force (see `AutoResponderSettingsSource.summary`).
    public func summary(mode: ConversationMode) -> ConversationSummary {
        ConversationSummary(
            conversationId: conversationId, locationId: locationId, contactId: contactId, contactName: contactName, assignedTo: assignedTo, mode: mode,
            state: state, lastMessagePreview: lastMessagePreview, lastMessageAt: lastMessageAt, lastInboundChannel: lastInboundChannel, tier: tier,
            score: score, sentiment: sentiment, waitingSince: waitingSince, optedOutChannels: optedOutChannels, takenOverBy: takenOverBy, head: head,
            negotiationId: negotiationId, attention: attention, openAlerts: openAlerts ?? [])
    }

    static let keptOpenAlerts = 50
    static let keptCardDismissals = 200

    /// The reasons of the open alerts, each once, newest first.
    public var attention: [String] {
        var seen: Set<String> = []
        return (openAlerts ?? []).reversed().map(\.reason).filter { seen.insert($0).inserted }
    }

    mutating func open(_ alert: AlertPayload, seq: UInt64) {
        openAlerts = Array(((openAlerts ?? []) + [OpenAlert(seq: seq, reason: alert.reason.rawValue)]).suffix(Self.keptOpenAlerts))
    }

    /// Whether `channel` may receive messages: not opted out on it, and no do-not-disturb on all.
    public func mayMessage(on channel: String) -> Bool {
        !optedOutChannels.contains(channel) && !optedOutChannels.contains("all")
    }
}

/// A completed call whose transcript LiveHub is fetching, with its retries.
public struct PendingCall: Sendable, Codable, Hashable {
    public var messageId: String
    /// `inbound` (the lead called) or `outbound`: it tells the two sides of the call apart.
    public var direction: String
    public var durationSeconds: Double?
    /// Fetches that found no transcript yet.
    public var attempts: Int
    /// When the next fetch is due (epoch seconds).
    public var nextAt: Double

    public init(messageId: String, direction: String, durationSeconds: Double?, attempts: Int, nextAt: Double) {
        self.messageId = messageId
        self.direction = direction
        self.durationSeconds = durationSeconds
        self.attempts = attempts
        self.nextAt = nextAt
    }
}
