import Coaching

/// What a negotiation session's actor keeps between restarts: stored with every commit, loaded on
/// rehydration. Its `NegotiationState` (prices, tactics, concessions) is rebuilt from `turns`, so
/// the stored form is plain data that later versions of the coach can read again.
public struct NegotiationSession: Sendable, Codable, Hashable {
    /// The GHL opportunity's id when the deal has one, else the conversation's.
    public var id: String
    public var locationId: String
    public var opportunityId: String?
    /// The conversations that feed the session (buyer lead, seller, the other side's agent).
    public var conversationIds: [String]
    public var listingPrice: Double
    /// The side the team represents.
    public var side: Side
    public var status: NegotiationStatus
    public var finalPrice: Double?
    public var openedAt: Double
    /// Why it opened: `prices` (discussed with a known listing), `agent:{userId}`, `stage:{id}`.
    public var openedBy: String
    public var closedAt: Double?
    /// Every offer, in the order the session heard it, with its party and source.
    public var offers: [SessionOffer]
    /// What the coach read, in order; replayed into a `NegotiationState` on rehydration.
    public var turns: [SessionTurn]
    /// Per linked conversation, the last event `seq` the session has read: it catches up from
    /// there, so an update missed by a crash or a reordering is read again, and none twice.
    public var cursors: [String: UInt64]
    /// The advice last published, for "what changed".
    public var lastAdvice: NegotiationAdvice?
    public var head: UInt64

    public init(id: String, locationId: String, opportunityId: String?, listingPrice: Double, side: Side, openedAt: Double, openedBy: String) {
        self.id = id
        self.locationId = locationId
        self.opportunityId = opportunityId
        self.conversationIds = []
        self.listingPrice = listingPrice
        self.side = side
        self.status = .open
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.offers = []
        self.turns = []
        self.cursors = [:]
        self.head = 0
    }

    /// The key of its event stream in storage and of its topic: `negotiation:{id}`.
    public var streamId: String { Self.streamId(id) }
    public static func streamId(_ id: String) -> String { "negotiation:" + id }

    /// At most this many turns are kept; older ones leave the coach's memory (their offers stay
    /// in `offers`).
    public static let turnLimit = 400
}

/// Where a negotiation stands.
public enum NegotiationStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case open, won, lost, abandoned

    public var isClosed: Bool { self != .open }
}

/// Where the session heard an offer.
public enum OfferSource: String, Sendable, Codable, Hashable {
    /// Read from a text message (SMS, email, chat).
    case text
    /// Heard on a call (its transcript).
    case call
    /// Logged by an agent (`offer.log`).
    case logged
    /// The GHL opportunity's monetary value changed.
    case ghlValue = "ghl_value"
}

/// An offer on the table: who, how much, where it was heard, when.
public struct SessionOffer: Sendable, Codable, Hashable {
    public var party: Side
    public var amount: Double
    public var source: OfferSource
    public var conversationId: String?
    /// The agent who logged it.
    public var by: String?
    public var at: Double

    public init(party: Side, amount: Double, source: OfferSource, conversationId: String?, by: String?, at: Double) {
        self.party = party
        self.amount = amount
        self.source = source
        self.conversationId = conversationId
        self.by = by
        self.at = at
    }
}

/// One turn the coach read: text, a structured offer, or both.
public struct SessionTurn: Sendable, Codable, Hashable {
    public var party: Side
    public var text: String?
    public var offer: Double?
    public var at: Double
    public var source: OfferSource
    public var conversationId: String?
    public var by: String?

    public var negotiationTurn: NegotiationTurn { NegotiationTurn(party: party, text: text, offer: offer, at: at) }
}
