import Coaching

/// Something that happens to a negotiation session. The actor turns each into events on
/// `negotiation:{id}`.
public enum NegotiationInput: Sendable {
    /// Link a conversation (at creation, or another party joining the deal); its history is read.
    case link(conversationId: String, by: String, at: Double)
    /// A linked conversation committed `events`: the session reads what it has not read yet
    /// (from storage first, should it have missed any).
    case conversation(conversationId: String, events: [ConversationEvent], at: Double)
    /// An agent logged an offer (or one arrived from GHL's opportunity value).
    case offer(party: Side, amount: Double, source: OfferSource, conversationId: String?, by: String?, at: Double)
    /// The deal ended: `won`, `lost` or `abandoned`, with the final price when known.
    case close(NegotiationStatus, finalPrice: Double?, by: String, at: Double)
    /// The agent corrected the listing price or the side represented.
    case reframe(listingPrice: Double?, side: Side?, by: String, at: Double)

    var at: Double {
        switch self {
        case .link(_, _, let at), .conversation(_, _, let at), .offer(_, _, _, _, _, let at), .close(_, _, _, let at), .reframe(_, _, _, let at): return at
        }
    }
}
