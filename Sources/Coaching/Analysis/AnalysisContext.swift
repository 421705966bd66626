/// What the conversation already knows when a message arrives.
public struct AnalysisContext: Sendable, Hashable {
    public enum Speaker: String, Sendable, Codable, Hashable { case lead, agent }

    public var speaker: Speaker
    /// Intents of earlier lead messages, oldest first.
    public var previousIntents: [Intent]
    public var listing: Listing?
    /// The side the agent represents in this conversation, when known.
    public var representedSide: Side?

    public init(speaker: Speaker = .lead, previousIntents: [Intent] = [], listing: Listing? = nil, representedSide: Side? = nil) {
        self.speaker = speaker
        self.previousIntents = previousIntents
        self.listing = listing
        self.representedSide = representedSide
    }

    public var listingPrice: Double? { listing?.price }
}

/// The property being discussed.
public struct Listing: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, Hashable { case active, pending, sold, offMarket = "off_market" }

    public var address: String?
    public var price: Double?
    public var status: Status?
    public var bedrooms: Double?
    public var bathrooms: Double?

    public init(address: String? = nil, price: Double? = nil, status: Status? = nil, bedrooms: Double? = nil, bathrooms: Double? = nil) {
        self.address = address
        self.price = price
        self.status = status
        self.bedrooms = bedrooms
        self.bathrooms = bathrooms
    }
}
