import Coaching

/// `negotiation.opened`: a session began (and each time a conversation joins it).
public struct NegotiationOpenedPayload: Sendable, Codable, Hashable {
    public var negotiationId: String
    public var locationId: String
    public var opportunityId: String?
    public var conversationIds: [String]
    public var listingPrice: Double
    public var side: Side
    public var openedBy: String
}

/// `negotiation.offer`: an offer the session heard.
public struct NegotiationOfferPayload: Sendable, Codable, Hashable {
    public var negotiationId: String
    public var offer: SessionOffer
    /// Offers heard so far, this one included.
    public var count: Int
}

/// `negotiation.updated`: fresh advice, and what changed since the last.
///
/// The same payload goes to the session's topic and, as an event of their own streams, to the
/// linked conversations.
public struct NegotiationUpdatePayload: Sendable, Codable, Hashable {
    public var negotiationId: String
    public var status: NegotiationStatus
    public var listingPrice: Double
    public var side: Side
    public var advice: NegotiationAdvice
    /// A few short lines: what moved since the last advice (empty the first time).
    public var changes: [String]

    public init(negotiationId: String, status: NegotiationStatus, listingPrice: Double, side: Side, advice: NegotiationAdvice, changes: [String]) {
        self.negotiationId = negotiationId
        self.status = status
        self.listingPrice = listingPrice
        self.side = side
        self.advice = advice
        self.changes = changes
    }
}

/// `negotiation.closed`: the deal ended.
public struct NegotiationClosedPayload: Sendable, Codable, Hashable {
    public var negotiationId: String
    public var status: NegotiationStatus
    public var finalPrice: Double?
    public var listingPrice: Double
    public var offers: Int
    public var by: String
}

/// `negotiation.opened` on a conversation's own stream: the conversation now feeds the session
/// `negotiationId` (its watchers subscribe to `negotiation:{id}` for the whole deal).
public struct NegotiationLinkPayload: Sendable, Codable, Hashable {
    public var negotiationId: String
    public var listingPrice: Double?
    /// `prices`, `stage`, or `agent:{userId}`.
    public var openedBy: String
}
