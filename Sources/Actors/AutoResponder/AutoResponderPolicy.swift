import Coaching
import Foundation

/// Whether the auto-responder may answer a lead message, decided from facts alone.
///
/// It sends only when every rule holds; the first rule that fails names the decision's reason.
public enum AutoResponderPolicy {
    public enum Decision: Sendable, Equatable {
        case send(SuggestedReply)
        case hold(String)
        case escalate(String)
        /// In quiet hours: send at `at` (epoch seconds) if still relevant then.
        case wait(until: Double)
    }

    /// What the policy reads about the conversation.
    public struct Facts: Sendable {
        public var settings: AutoResponderSettings
        public var mode: ConversationMode
        public var channel: String
        public var optedOutChannels: [String]
        public var contactTimezone: String?
        public var autoSentToday: Int
        public var autoSentTotal: Int
        /// When a person last wrote or took over (epoch seconds), if ever.
        public var lastHumanAt: Double?
        public var takenOver: Bool
        public var negotiating: Bool
        public var firstLeadMessage: Bool
        /// The SLA timer fired with the lead still waiting.
        public var slaBreached: Bool
        /// `digest`s of the automatic texts already sent in the conversation.
        public var sentTextDigests: Set<String>

        public init(settings: AutoResponderSettings, mode: ConversationMode, channel: String, optedOutChannels: [String], contactTimezone: String?,
            autoSentToday: Int, autoSentTotal: Int, lastHumanAt: Double?, takenOver: Bool, negotiating: Bool, firstLeadMessage: Bool, slaBreached: Bool,
            sentTextDigests: Set<String> = [])
        {
            self.settings = settings
            self.mode = mode
            self.channel = channel
            self.optedOutChannels = optedOutChannels
            self.contactTimezone = contactTimezone
            self.autoSentToday = autoSentToday
            self.autoSentTotal = autoSentTotal
            self.lastHumanAt = lastHumanAt
            self.takenOver = takenOver
            self.negotiating = negotiating
            self.firstLeadMessage = firstLeadMessage
            self.slaBreached = slaBreached
            self.sentTextDigests = sentTextDigests
        }
    }

    public static func decide(_ f: Facts, analysis a: MessageAnalysis, replies: [SuggestedReply], now: Double) -> Decision {
        let s = f.settings
        // Compliance first: these are never overridden.
        if a.isOptOut || f.optedOutChannels.contains(f.channel) || f.optedOutChannels.contains("all") { return .hold("opted_out") }
        // Escalations go to a person instead, whatever else the message is.
        if a.intent.intent == .humanRequest { return .escalate("human_requested") }
        if a.has(.legalThreat) { return .escalate("legal_threat") }
        if a.sentiment.label == .veryNegative || a.has(.abuse) { return .escalate("negative_sentiment") }
        if f.negotiating || a.intent.intent == .offer { return .escalate("negotiation") }
        if a.intent.intent == .wrongNumber { return .hold("wrong_number") }
        // A person has the floor.
        if f.takenOver { return .hold("human_has_floor") }
        if let last = f.lastHumanAt, now - last < s.humanFloorSeconds { return .hold("human_has_floor") }
        // Triggers: a new lead's first message, no human reply in time, outside business hours.
        let zone = Self.zone(contact: f.contactTimezone, s)
        guard f.firstLeadMessage || f.slaBreached || !Self.inBusinessHours(now, zone: zone, s) else { return .hold("waiting_for_human") }
        // Caps.
        if f.autoSentTotal >= s.maxPerConversation { return .hold("conversation_cap_reached") }
        if f.autoSentToday >= s.maxPerContactPerDay { return .hold("daily_cap_reached") }
        // A reply good enough to send alone, and not one the bot already sent here.
        guard let reply = replies.first(where: { $0.autoSendable && !f.sentTextDigests.contains(digest($0.text)) }) else {
            if replies.contains(where: \.autoSendable) { return .hold("already_sent") }
            return .hold(replies.isEmpty ? "no_reply" : "not_auto_sendable")
        }
        if reply.confidence < s.confidenceThreshold { return .hold("low_confidence") }
        // Quiet hours, in the contact's local time.
        if let next = nextAllowed(now, zone: zone, s), next > now { return .wait(until: next) }
        return .send(reply)
    }

    /// How many sent texts a conversation remembers to avoid repeating itself (the per-conversation
    /// cap allows no more than this).
    public static let rememberedTexts = 25

    /// A short stable fingerprint of a text, blind to case and spacing: FNV-1a over its words.
    public static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for word in text.lowercased().split(whereSeparator: \.isWhitespace) {
            for byte in word.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            hash ^= 0x20
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The contact's time zone when known (and valid), else the location's.
    public static func zone(contact: String?, _ s: AutoResponderSettings) -> TimeZone {
        contact.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: s.timezone) ?? .gmt
    }

    /// The local calendar day of `t` in `zone` (days since 1970-01-01 there): the daily cap
    /// resets at the contact's midnight, not at UTC's, which falls inside American afternoons.
    public static func localDay(_ t: Double, zone: TimeZone) -> Int {
        let offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
        return Int(((t + offset) / 86_400).rounded(.down))
    }

    static func hourAndWeekday(_ t: Double, zone: TimeZone) -> (hour: Int, minute: Int, weekday: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute, .weekday], from: Date(timeIntervalSince1970: t))
        return (c.hour ?? 0, c.minute ?? 0, c.weekday ?? 1)
    }

    static func inBusinessHours(_ t: Double, zone: TimeZone, _ s: AutoResponderSettings) -> Bool {
        let (h, _, d) = hourAndWeekday(t, zone: zone)
        return s.businessDays.contains(d) && h >= s.businessStartHour && h < s.businessEndHour
    }

    /// `t` itself when inside the sending window, else the next window start (local time, DST-aware).
    public static func nextAllowed(_ t: Double, zone: TimeZone, _ s: AutoResponderSettings) -> Double? {
        let (h, _, _) = hourAndWeekday(t, zone: zone)
        if h >= s.sendingStartHour && h < s.sendingEndHour { return t }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: t)
        let start = calendar.nextDate(after: date, matching: DateComponents(hour: s.sendingStartHour, minute: 0, second: 0), matchingPolicy: .nextTime)
        return start?.timeIntervalSince1970
    }
}
