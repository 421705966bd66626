/// One message of the conversation as a draft prompt shows it.
public struct DraftMessage: Sendable, Hashable, Codable {
    public var speaker: AnalysisContext.Speaker
    public var text: String
    /// GHL's message type: "SMS", "Email", "CALL", "WhatsApp", …
    public var channel: String
    /// Seconds on the conversation's clock (epoch seconds in the server); orders the messages.
    public var at: Double

    public init(speaker: AnalysisContext.Speaker, text: String, channel: String, at: Double) {
        self.speaker = speaker
        self.text = text
        self.channel = channel
        self.at = at
    }
}

/// Everything a language model may know when it drafts one reply for the agent, and everything
/// the guardrails accept as fact in the draft. `DraftPromptBuilder` puts exactly this into the
/// prompt and nothing else; `DraftGuardrails` refuses a draft that names a price, date, address,
/// phone, e-mail or link found nowhere in it.
public struct DraftContext: Sendable, Hashable {
    /// The conversation so far, in any order (sorted by `at` where used).
    public var messages: [DraftMessage]
    /// The analysis of the lead's last message.
    public var analysis: MessageAnalysis?
    public var score: LeadScore?
    /// What the playbook says for this intent: suggested replies' texts, card advice.
    public var guidance: [String]
    public var listing: Listing?
    public var negotiation: NegotiationAdvice?
    /// The channel the reply will go out on: "SMS" limits it to 320 characters.
    public var channel: String
    public var leadFirstName: String?
    public var agentName: String?
    /// The lead opted out: no draft may be made or sent.
    public var optedOut: Bool
    /// What the agent asked for, in the agent's words ("offer Saturday instead, keep it short").
    public var instruction: String?

    public init(
        messages: [DraftMessage] = [], analysis: MessageAnalysis? = nil, score: LeadScore? = nil, guidance: [String] = [],
        listing: Listing? = nil, negotiation: NegotiationAdvice? = nil, channel: String = "SMS", leadFirstName: String? = nil,
        agentName: String? = nil, optedOut: Bool = false, instruction: String? = nil
    ) {
        self.messages = messages
        self.analysis = analysis
        self.score = score
        self.guidance = guidance
        self.listing = listing
        self.negotiation = negotiation
        self.channel = channel
        self.leadFirstName = leadFirstName
        self.agentName = agentName
        self.optedOut = optedOut
        self.instruction = instruction
    }

    /// SMS replies are held to one 320-character message (two segments); GHL names the type
    /// "SMS" and its API "TYPE_SMS".
    public var isSMS: Bool {
        let c = channel.lowercased()
        return c == "sms" || c == "type_sms"
    }

    /// The messages oldest first; equal times keep their given order.
    var chronological: [DraftMessage] {
        messages.enumerated().sorted { $0.element.at != $1.element.at ? $0.element.at < $1.element.at : $0.offset < $1.offset }.map(\.element)
    }
}
