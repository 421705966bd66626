import Foundation

/// A location's auto-responder policy. Validated on load and on every change.
public struct AutoResponderSettings: Sendable, Codable, Hashable {
    /// The location's default; a conversation's `mode.set` overrides it.
    public var mode: ConversationMode
    /// IANA time zone used when the contact's is unknown.
    public var timezone: String
    /// The sending window: messages go out only in [sendingStartHour, sendingEndHour) local
    /// time (TCPA: 8:00–21:00); outside it are the quiet hours.
    public var sendingStartHour: Int
    public var sendingEndHour: Int
    /// The team's business hours: a lead message outside them is answered automatically.
    public var businessStartHour: Int
    public var businessEndHour: Int
    /// Weekdays the team works, 1 = Sunday … 7 = Saturday.
    public var businessDays: [Int]
    /// Seconds between the decision and the send; a human reply in between cancels it.
    public var delaySeconds: Double
    public var maxPerContactPerDay: Int
    public var maxPerConversation: Int
    /// Suggestions below this confidence are never auto-sent.
    public var confidenceThreshold: Double
    /// After a person writes or takes over, the bot stays quiet this long (or until release).
    public var humanFloorSeconds: Double
    /// GHL pipeline stage ids in which an opportunity is being negotiated: entering one opens
    /// the opportunity's negotiation session.
    public var negotiationStages: [String] = []
    /// AI-drafted replies for this location.
    public var drafts = DraftSettings()

    public init(mode: ConversationMode = .suggest, timezone: String = "America/New_York", sendingStartHour: Int = 8, sendingEndHour: Int = 21,
        businessStartHour: Int = 9, businessEndHour: Int = 18, businessDays: [Int] = [2, 3, 4, 5, 6], delaySeconds: Double = 20,
        maxPerContactPerDay: Int = 3, maxPerConversation: Int = 25, confidenceThreshold: Double = 0.6, humanFloorSeconds: Double = 4 * 3600)
    {
        self.mode = mode
        self.timezone = timezone
        self.sendingStartHour = sendingStartHour
        self.sendingEndHour = sendingEndHour
        self.businessStartHour = businessStartHour
        self.businessEndHour = businessEndHour
        self.businessDays = businessDays
        self.delaySeconds = delaySeconds
        self.maxPerContactPerDay = maxPerContactPerDay
        self.maxPerConversation = maxPerConversation
        self.confidenceThreshold = confidenceThreshold
        self.humanFloorSeconds = humanFloorSeconds
    }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let field: String
        public let problem: String
        public var description: String { "\(field): \(problem)" }
    }

    /// Throws the first problem found, naming the field.
    public func validate() throws(Invalid) {
        guard TimeZone(identifier: timezone) != nil else { throw Invalid(field: "timezone", problem: "unknown time zone \"\(timezone)\"") }
        guard (8...21).contains(sendingStartHour), (8...21).contains(sendingEndHour), sendingStartHour < sendingEndHour else {
            throw Invalid(field: "sendingStartHour", problem: "sending hours must lie within 8–21 (TCPA) and start before they end")
        }
        guard (0...23).contains(businessStartHour), (1...24).contains(businessEndHour), businessStartHour < businessEndHour else {
            throw Invalid(field: "businessStartHour", problem: "business hours must start before they end, within 0–24")
        }
        guard businessDays.allSatisfy({ (1...7).contains($0) }) else { throw Invalid(field: "businessDays", problem: "days are 1 (Sunday) … 7 (Saturday)") }
        guard delaySeconds == 0 || (1...300).contains(delaySeconds) else {
            throw Invalid(field: "delaySeconds", problem: "must be 0 (send at once, no chance for a person to answer first) or 1…300 seconds")
        }
        guard (0...50).contains(maxPerContactPerDay) else { throw Invalid(field: "maxPerContactPerDay", problem: "must be 0…50") }
        guard (0...25).contains(maxPerConversation) else { throw Invalid(field: "maxPerConversation", problem: "must be 0…25") }
        guard (0...1).contains(confidenceThreshold) else { throw Invalid(field: "confidenceThreshold", problem: "must be 0…1") }
        guard humanFloorSeconds >= 60 else { throw Invalid(field: "humanFloorSeconds", problem: "must be at least 60 seconds") }
        guard negotiationStages.count <= 50, negotiationStages.allSatisfy({ !$0.isEmpty && $0.count <= 100 }) else {
            throw Invalid(field: "negotiationStages", problem: "at most 50 stage ids of 1…100 characters")
        }
        try drafts.validate()
    }
}

extension AutoResponderSettings {
    /// The names the sending window had before it was named for what it holds; settings stored
    /// or sent with them still read.
    public static let legacyFieldNames = ["quietStartHour": "sendingStartHour", "quietEndHour": "sendingEndHour"]

    enum CodingKeys: String, CodingKey {
        case mode, timezone, sendingStartHour, sendingEndHour, businessStartHour, businessEndHour, businessDays, delaySeconds
        case maxPerContactPerDay, maxPerConversation, confidenceThreshold, humanFloorSeconds
        case negotiationStages, drafts
        case quietStartHour, quietEndHour
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decode(ConversationMode.self, forKey: .mode)
        timezone = try c.decode(String.self, forKey: .timezone)
        sendingStartHour = try Self.hour(c, .sendingStartHour, legacy: .quietStartHour)
        sendingEndHour = try Self.hour(c, .sendingEndHour, legacy: .quietEndHour)
        businessStartHour = try c.decode(Int.self, forKey: .businessStartHour)
        businessEndHour = try c.decode(Int.self, forKey: .businessEndHour)
        businessDays = try c.decode([Int].self, forKey: .businessDays)
        delaySeconds = try c.decode(Double.self, forKey: .delaySeconds)
        maxPerContactPerDay = try c.decode(Int.self, forKey: .maxPerContactPerDay)
        maxPerConversation = try c.decode(Int.self, forKey: .maxPerConversation)
        confidenceThreshold = try c.decode(Double.self, forKey: .confidenceThreshold)
        humanFloorSeconds = try c.decode(Double.self, forKey: .humanFloorSeconds)
        // Added later: settings stored before them read with the defaults.
        negotiationStages = try c.decodeIfPresent([String].self, forKey: .negotiationStages) ?? []
        drafts = try c.decodeIfPresent(DraftSettings.self, forKey: .drafts) ?? DraftSettings()
    }

    private static func hour(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, legacy: CodingKeys) throws -> Int {
        if let hour = try c.decodeIfPresent(Int.self, forKey: key) ?? c.decodeIfPresent(Int.self, forKey: legacy) { return hour }
        throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "\(key.stringValue) is required"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mode, forKey: .mode)
        try c.encode(timezone, forKey: .timezone)
        try c.encode(sendingStartHour, forKey: .sendingStartHour)
        try c.encode(sendingEndHour, forKey: .sendingEndHour)
        try c.encode(businessStartHour, forKey: .businessStartHour)
        try c.encode(businessEndHour, forKey: .businessEndHour)
        try c.encode(businessDays, forKey: .businessDays)
        try c.encode(delaySeconds, forKey: .delaySeconds)
        try c.encode(maxPerContactPerDay, forKey: .maxPerContactPerDay)
        try c.encode(maxPerConversation, forKey: .maxPerConversation)
        try c.encode(confidenceThreshold, forKey: .confidenceThreshold)
        try c.encode(humanFloorSeconds, forKey: .humanFloorSeconds)
        try c.encode(negotiationStages, forKey: .negotiationStages)
        try c.encode(drafts, forKey: .drafts)
    }
}
