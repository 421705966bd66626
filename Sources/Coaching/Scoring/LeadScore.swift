/// How likely a lead is to transact soon, with the reasons in words an agent understands.
public struct LeadScore: Sendable, Hashable, Codable {
    public enum Tier: String, Sendable, Hashable, Codable { case hot, warm, cold, dead }

    public let score: Int
    public let tier: Tier
    public let reasons: [String]
}

/// One message of the conversation as the scorer sees it.
public struct ScoredMessage: Sendable, Hashable {
    public let analysis: MessageAnalysis
    /// Seconds on any clock shared by the conversation (epoch seconds in the server).
    public let at: Double

    public init(analysis: MessageAnalysis, at: Double) {
        self.analysis = analysis
        self.at = at
    }

    public var fromLead: Bool { analysis.speaker == .lead }
}
