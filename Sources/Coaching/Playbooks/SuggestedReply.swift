/// A reply the agent can send with one tap.
public struct SuggestedReply: Sendable, Hashable, Codable {
    public let id: String
    public let text: String
    public let confidence: Double
    /// Whether the auto-responder may send it without a human.
    public let autoSendable: Bool
    /// Why it is or is not auto-sendable, for the agent and the audit trail.
    public let holdReason: String?
    public let templateId: String
}

/// A coaching card shown beside the conversation.
public struct CoachingCard: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case nextBestAction = "next_best_action", objectionHandling = "objection_handling", compliance, negotiation, escalation
        /// What was discussed on a call, in 3–5 lines.
        case callSummary = "call.summary"
    }
    public enum Priority: String, Sendable, Hashable, Codable, Comparable {
        case low, medium, high, critical
        var rank: Int { [.low, .medium, .high, .critical].firstIndex(of: self) ?? 0 }
        public static func < (a: Priority, b: Priority) -> Bool { a.rank < b.rank }
    }

    public let kind: Kind
    public let title: String
    public let body: String
    public let priority: Priority
    public let evidence: [String]
    public let templateId: String?

    public init(kind: Kind, title: String, body: String, priority: Priority, evidence: [String], templateId: String?) {
        self.kind = kind
        self.title = title
        self.body = body
        self.priority = priority
        self.evidence = evidence
        self.templateId = templateId
    }
}
