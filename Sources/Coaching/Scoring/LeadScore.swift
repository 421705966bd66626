/// How likely a lead is to transact soon, with the reasons in words an agent understands.
public struct LeadScore: Sendable, Hashable, Codable {
    public enum Tier: String, Sendable, Hashable, Codable { case hot, warm, cold, dead }

    public let score: Int
    public let tier: Tier
    public let reasons: [String]
}

/// One message of the conversation as the scorer sees it.
public struct ScoredMessage: Sendable, Hashable {
    /// The analysis is large (arrays and strings): boxed, so the copies the scorer and the
    /// session history make of a message cost one reference, not one per field.
    private final class Box: Sendable {
        let analysis: MessageAnalysis
        init(_ analysis: MessageAnalysis) { self.analysis = analysis }
    }

    private let box: Box
    public var analysis: MessageAnalysis { box.analysis }
    /// Seconds on any clock shared by the conversation (epoch seconds in the server).
    public let at: Double

    public init(analysis: MessageAnalysis, at: Double) {
        self.box = Box(analysis)
        self.at = at
    }

    public static func == (a: ScoredMessage, b: ScoredMessage) -> Bool { a.at == b.at && a.analysis == b.analysis }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(analysis)
        hasher.combine(at)
    }

    public var fromLead: Bool { analysis.speaker == .lead }
}
