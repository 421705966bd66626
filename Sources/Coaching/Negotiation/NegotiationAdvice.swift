/// What the coach recommends at this point of a negotiation.
public struct NegotiationAdvice: Sendable, Hashable, Codable {
    public struct Interval: Sendable, Hashable, Codable {
        public let low: Double
        public let high: Double
    }

    /// Predicted final price, once both sides have named a price.
    public let predictedSettlement: Double?
    public let settlementInterval: Interval?
    /// Probability that the negotiation ends in a deal.
    public let dealProbability: Double?
    /// The next price the represented side should name; nil when the advice is to accept.
    public let recommendedCounter: Double?
    public let action: Action
    public let rationale: [String]
    public let warnings: [String]
    public let tactics: [DetectedTactic]
    public let gap: Double?

    public enum Action: String, Sendable, Hashable, Codable { case anchor, counter, hold, accept, wait }

    /// One line: the move to make.
    public var headline: String {
        switch action {
        case .anchor: return "Anchor at \(ReplyContext.formatPrice(recommendedCounter ?? 0))"
        case .counter: return "Counter at \(ReplyContext.formatPrice(recommendedCounter ?? 0))"
        case .hold: return "Hold at \(ReplyContext.formatPrice(recommendedCounter ?? 0))"
        case .accept: return "Close the deal"
        case .wait: return "Get a number first"
        }
    }

    /// Two or three sentences: settlement, deal chance, why, and the first warning.
    public var summary: String {
        var parts: [String] = []
        if let s = predictedSettlement, let i = settlementInterval {
            parts.append("Likely settlement \(ReplyContext.formatPrice(s)) (\(ReplyContext.formatPrice(i.low))–\(ReplyContext.formatPrice(i.high))).")
        }
        if let p = dealProbability { parts.append("Deal chance \(Int((p * 100).rounded()))%.") }
        parts += rationale.prefix(2)
        parts += warnings.prefix(1).map { "Watch out: " + $0 }
        return parts.joined(separator: " ")
    }

    public var evidence: [String] { tactics.map(\.evidence) }

    /// "$450,000"; whole dollars.
    public static func formatPrice(_ price: Double) -> String { ReplyContext.formatPrice(price) }
}
