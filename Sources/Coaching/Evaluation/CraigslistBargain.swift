import Foundation

/// The CraigslistBargain dialogue format (He et al., 2018), as much of it as the coach reads.
public struct BargainDialogue: Sendable, Decodable {
    public struct Scenario: Sendable, Decodable {
        public let category: String?
        public let post_id: String?
        public let kbs: [KnowledgeBase]
    }
    public struct KnowledgeBase: Sendable, Decodable {
        public struct Personal: Sendable, Decodable { public let Role: String }
        public struct Item: Sendable, Decodable {
            public let Price: Double?
            public let Title: String?
        }
        public let personal: Personal
        public let item: Item
    }
    public struct Offer: Sendable, Decodable { public let price: Double? }
    public struct Outcome: Sendable, Decodable {
        public let reward: Int?
        public let offer: Offer?
    }
    public struct Event: Sendable, Decodable {
        public let agent: Int
        public let action: String
        public let text: String?
        public let price: Double?
        public let time: Double?

        enum CodingKeys: String, CodingKey { case agent, action, data, time }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            agent = try c.decode(Int.self, forKey: .agent)
            action = try c.decode(String.self, forKey: .action)
            text = try? c.decode(String.self, forKey: .data)
            price = (try? c.decode(Offer.self, forKey: .data))?.price
            if let s = try? c.decode(String.self, forKey: .time) { time = Double(s) } else { time = try? c.decode(Double.self, forKey: .time) }
        }
    }

    public let uuid: String?
    public let scenario: Scenario
    public let outcome: Outcome?
    public let events: [Event]

    public static func load(_ data: Data) throws -> [BargainDialogue] {
        do {
            return try JSONDecoder().decode([BargainDialogue].self, from: data)
        } catch {
            throw EvaluationError.badFile("not a CraigslistBargain file: \(error)")
        }
    }

    var listingPrice: Double? { scenario.kbs.first?.item.Price.flatMap { $0 > 0 ? $0 : nil } }
    var sellerIndex: Int? { scenario.kbs.firstIndex { $0.personal.Role == "seller" } }
    var finalPrice: Double? { outcome?.reward == 1 ? outcome?.offer?.price : nil }
}

/// One dialogue seen at its checkpoint: the first turn at which the buyer states a price.
public struct BargainCheckpoint: Sendable {
    public let group: String
    public let listingPrice: Double
    public let state: NegotiationState
    public let lastAsk: Double
    public let firstBid: Double
    public let deal: Bool
    public let finalPrice: Double?

    /// Replays turns as the seller's agent sees them until the buyer names a price; nil when
    /// the buyer never does.
    public static func at(_ d: BargainDialogue) -> BargainCheckpoint? {
        guard let list = d.listingPrice, let seller = d.sellerIndex else { return nil }
        var state = NegotiationState(listingPrice: list, represented: .seller)
        for e in d.events {
            let party: Side = e.agent == seller ? .seller : .buyer
            switch e.action {
            case "message": state.apply(NegotiationTurn(party: party, text: e.text, at: e.time))
            case "offer": if let p = e.price { state.apply(NegotiationTurn(party: party, offer: p, at: e.time)) }
            default: continue
            }
            if let bid = state.currentBid {
                let final = d.finalPrice
                return BargainCheckpoint(
                    group: d.scenario.post_id ?? d.uuid ?? "", listingPrice: list, state: state, lastAsk: state.currentAsk, firstBid: bid,
                    deal: final != nil, finalPrice: final)
            }
        }
        return nil
    }

    public var example: NegotiationModelFitter.Example {
        NegotiationModelFitter.Example(
            features: NegotiationModel.Features(state),
            settlement: finalPrice.flatMap { f in f / listingPrice < 3 ? f / listingPrice : nil },
            deal: deal, group: group)
    }
}
