/// The running state of one negotiation, fed turn by turn.
///
/// Keeps each party's prices in order, the tactics seen, and the facts the models and the
/// advisor read: concessions, their sizes and rate, the gap. A value type: the conversation
/// actor owns one and mutates it in order.
public struct NegotiationState: Sendable, Hashable {
    /// The listing (asking) price every ratio is taken against.
    public let listingPrice: Double
    /// The side the agent represents.
    public let represented: Side

    public private(set) var buyerOffers: [PricePoint] = []
    public private(set) var sellerOffers: [PricePoint] = []
    public private(set) var tactics: [DetectedTactic] = []
    public private(set) var turns = 0
    /// Turns and characters of text per party, for engagement features.
    public private(set) var buyerTurns = 0
    public private(set) var buyerQuestions = 0
    public private(set) var lastAt: Double?

    public init(listingPrice: Double, represented: Side) {
        self.listingPrice = listingPrice
        self.represented = represented
    }

    public func offers(_ side: Side) -> [PricePoint] { side == .buyer ? buyerOffers : sellerOffers }

    /// The seller's current ask: the last seller price, else the listing price.
    public var currentAsk: Double { sellerOffers.last?.amount ?? listingPrice }
    /// The buyer's current bid, once stated.
    public var currentBid: Double? { buyerOffers.last?.amount }
    /// Ask minus bid, once the buyer has named a price.
    public var gap: Double? { currentBid.map { currentAsk - $0 } }

    /// Concessions a party has made, in order: positive amounts move towards the other side.
    /// The listing price is the seller's opening ask, so a seller's first price below it is
    /// already a concession.
    public func concessions(_ side: Side) -> [Double] {
        let points = (side == .seller ? [listingPrice] : []) + offers(side).map(\.amount)
        guard points.count > 1 else { return [] }
        return zip(points, points.dropFirst()).map { side == .seller ? $0 - $1 : $1 - $0 }
    }

    /// Total concession per offer made, as a fraction of the listing price.
    public func concessionRate(_ side: Side) -> Double {
        let c = concessions(side)
        guard !c.isEmpty, listingPrice > 0 else { return 0 }
        return c.reduce(0, +) / Double(c.count) / listingPrice
    }

    /// Applies one turn: reads prices from its text (with the listing as context) and its
    /// structured offer, and the tactics its words show.
    public mutating func apply(_ turn: NegotiationTurn) {
        let index = turns
        turns += 1
        if turn.party == .buyer { buyerTurns += 1 }
        if let at = turn.at { lastAt = at }
        var tokens: [Token] = []
        if let text = turn.text, !text.isEmpty {
            tokens = Tokenizer.tokenize(MessageText(text))
            if turn.party == .buyer, tokens.contains(where: { $0.text == "?" }) { buyerQuestions += 1 }
            tactics += TacticDetector.detect(tokens, party: turn.party, turn: index)
        }
        let price = turn.offer ?? statedPrice(tokens, party: turn.party)
        guard let price, price > 0 else { return }
        let point = PricePoint(amount: price, turn: index, at: turn.at, formal: turn.offer != nil)
        if turn.party == .buyer {
            if buyerOffers.isEmpty, price < listingPrice * 0.7 {
                tactics.append(DetectedTactic(kind: .extremeAnchor, party: .buyer, turn: index, evidence: "opened at \(Self.percent(price / listingPrice)) of the listing price"))
            }
            buyerOffers.append(point)
        } else {
            if price > listingPrice * 1.1 {
                tactics.append(DetectedTactic(kind: .extremeAnchor, party: .seller, turn: index, evidence: "asked \(Self.percent(price / listingPrice)) of the listing price"))
            }
            sellerOffers.append(point)
        }
    }

    /// The price a party proposes in a message. Several numbers may appear ("you listed 160,
    /// I'd offer 140"): a party quoting the other side's number is not proposing it, so those
    /// are set aside and the lowest remaining plausible price is the proposal.
    func statedPrice(_ tokens: [Token], party: Side) -> Double? {
        guard !tokens.isEmpty else { return nil }
        let context = AnalysisContext(listing: Listing(price: listingPrice))
        var amounts: [Double] = []
        let state = EntityExtractor.run(tokens, context: context)
        for (k, m) in state.entities.money.enumerated() where m != state.entities.preApproval {
            let end = state.moneyStarts[k] + 1
            // "$20 off" is a discount, not a price.
            if tokens[end...].prefix(4).contains(where: { $0.text == "off" || $0.text == "less" || $0.text == "more" }) { continue }
            if m.amount >= listingPrice * 0.3, m.amount <= listingPrice * 1.3 { amounts.append(m.amount) }
        }
        let theirs = party == .buyer ? currentAsk : currentBid
        let proposals = amounts.filter { a in theirs.map { abs($0 - a) > 1e-6 } ?? true }
        return (proposals.isEmpty ? amounts : proposals).min()
    }

    static func percent(_ ratio: Double) -> String { "\(Int((ratio * 100).rounded()))%" }
}
