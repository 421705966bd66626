import Coaching

/// One event of a conversation's ordered stream.
///
/// `seq` starts at 1 and grows by one per event of the conversation, with no gaps: a client
/// that has seen N knows exactly what it missed.
public struct ConversationEvent: Sendable, Hashable, Codable {
    public let conversationId: String
    public let seq: UInt64
    /// Seconds since the epoch on the conversation's clock.
    public let at: Double
    public let payload: Payload

    public var kind: Kind { payload.kind }

    public enum Kind: String, Sendable, Codable, Hashable {
        case messageInbound = "message.inbound"
        case messageOutbound = "message.outbound"
        case analysis
        case leadScored = "lead.scored"
        case coachingCard = "coaching.card"
        case replySuggested = "reply.suggested"
        case negotiationUpdated = "negotiation.updated"
    }

    public enum Payload: Sendable, Hashable, Codable {
        case messageInbound(text: String)
        case messageOutbound(text: String)
        case analysis(MessageAnalysis)
        case leadScored(LeadScore)
        case coachingCard(CoachingCard)
        case replySuggested(SuggestedReply)
        case negotiationUpdated(NegotiationAdvice)

        public var kind: Kind {
            switch self {
            case .messageInbound: return .messageInbound
            case .messageOutbound: return .messageOutbound
            case .analysis: return .analysis
            case .leadScored: return .leadScored
            case .coachingCard: return .coachingCard
            case .replySuggested: return .replySuggested
            case .negotiationUpdated: return .negotiationUpdated
            }
        }
    }
}
