/// One turn of a negotiation: what a party said, or a structured offer, or both.
public struct NegotiationTurn: Sendable, Hashable {
    public let party: Side
    public let text: String?
    /// A structured offer (an agent logging "buyer offered 415,000" or a form submission).
    public let offer: Double?
    /// Seconds on the conversation's clock, when known (used for silence after an offer).
    public let at: Double?

    public init(party: Side, text: String? = nil, offer: Double? = nil, at: Double? = nil) {
        self.party = party
        self.text = text
        self.offer = offer
        self.at = at
    }
}

/// A price a party put on the table.
public struct PricePoint: Sendable, Hashable, Codable {
    public let amount: Double
    /// Index of the turn it was made in.
    public let turn: Int
    public let at: Double?
    /// True for structured offers, false for prices read from text.
    public let formal: Bool
}

/// A negotiation tactic seen in the conversation.
public struct DetectedTactic: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case extremeAnchor = "extreme_anchor", finalOffer = "final_offer", meetInTheMiddle = "meet_in_the_middle"
        case timePressure = "time_pressure", nibbling, silenceAfterOffer = "silence_after_offer"
    }

    public let kind: Kind
    public let party: Side
    public let turn: Int
    public let evidence: String
}
