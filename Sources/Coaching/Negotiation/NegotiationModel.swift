import Foundation

/// The two fitted models behind the advice: settlement price and deal probability.
///
/// Both read the state as ratios to the listing price, so one model serves a $160 bike and a
/// $450,000 house. Settlement is a least-absolute-deviations line on (ask, bid); the deal
/// probability a logistic regression on the gap, the bid and the shape of the talk so far.
/// Coefficients live in `Resources/negotiation-model.json`, written by
/// `livehub train negotiation` (which also prints cross-validated figures).
public struct NegotiationModel: Sendable, Hashable, Codable {
    public static let format = "livehub-negotiation-model/1"

    public var format: String
    public var command: String
    public var trainedOn: String
    /// Intercept, ask ratio, bid ratio.
    public var settlement: [Double]
    /// Residual quantiles (10th, 90th percentile) of the settlement ratio, for the interval.
    public var settlementInterval: [Double]
    /// Intercept then one weight per `dealFeatures` entry.
    public var deal: [Double]

    public init(json: Data) throws {
        let m = try JSONDecoder().decode(NegotiationModel.self, from: json)
        guard m.format == Self.format else { throw IntentModelError.invalid("negotiation model format \(m.format), expected \(Self.format)") }
        guard m.settlement.count == 3, m.settlementInterval.count == 2, m.deal.count == Self.dealFeatureCount + 1 else {
            throw IntentModelError.invalid("negotiation model has the wrong number of coefficients")
        }
        self = m
    }

    public init(command: String, trainedOn: String, settlement: [Double], settlementInterval: [Double], deal: [Double]) {
        self.format = Self.format
        self.command = command
        self.trainedOn = trainedOn
        self.settlement = settlement
        self.settlementInterval = settlementInterval
        self.deal = deal
    }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }

    /// What the models read, all relative to the listing price.
    public struct Features: Sendable, Hashable {
        public var ask: Double
        public var bid: Double
        public var formalOffer: Bool
        public var messages: Int
        public var buyerAskedQuestions: Bool
        public var sellerConceded: Bool
        /// The bid is a round number for its scale (a multiple of 5·10^(digits−2) of the
        /// listing: $50 on a $160 bike, $50,000 on a $430,000 house). Round bids close less
        /// often: they tend to be budgets, not opening moves.
        public var roundBid: Bool

        public init(_ s: NegotiationState) {
            let list = max(s.listingPrice, 1)
            ask = min(s.currentAsk / list, 1.3)
            bid = min((s.currentBid ?? s.currentAsk) / list, 1.3)
            formalOffer = s.buyerOffers.last?.formal ?? false
            messages = s.turns
            buyerAskedQuestions = s.buyerQuestions > 0
            sellerConceded = s.currentAsk < s.listingPrice * 0.999
            roundBid = s.currentBid.map { Self.isRound($0, scale: s.listingPrice) } ?? false
        }

        static func isRound(_ price: Double, scale: Double) -> Bool {
            guard scale >= 10 else { return false }
            let digits = Int(log10(scale).rounded(.down)) + 1
            let unit = 5 * pow(10, Double(digits - 2))
            let q = price / unit
            return abs(q - q.rounded()) < 1e-9
        }

        public init(ask: Double, bid: Double, formalOffer: Bool, messages: Int, buyerAskedQuestions: Bool, sellerConceded: Bool, roundBid: Bool = false) {
            self.ask = ask
            self.bid = bid
            self.formalOffer = formalOffer
            self.messages = messages
            self.buyerAskedQuestions = buyerAskedQuestions
            self.sellerConceded = sellerConceded
            self.roundBid = roundBid
        }

        public var settlementRow: [Double] { [1, ask, bid] }

        /// Gap and bid with step features: deal odds are not linear in either (very low bids
        /// and bids over the ask both close less often).
        public var dealRow: [Double] {
            let gap = ask - bid
            var row: [Double] = [1, gap, bid]
            for edge in [0.5, 0.6, 0.7, 0.8, 0.9, 1.0] { row.append(bid >= edge ? 1 : 0) }
            for edge in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5] { row.append(gap >= edge ? 1 : 0) }
            row.append(formalOffer ? 1 : 0)
            row.append(formalOffer ? gap : 0)
            row.append(Double(min(messages, 10)) / 10)
            row.append(buyerAskedQuestions ? 1 : 0)
            row.append(sellerConceded ? 1 : 0)
            row.append(roundBid ? 1 : 0)
            return row
        }
    }

    static let dealFeatureCount = 20

    /// Predicted settlement as a fraction of the listing price, kept between bid and ask.
    public func settlementRatio(_ f: Features) -> Double {
        let raw = LinearAlgebra.dot(settlement, f.settlementRow)
        return min(max(raw, min(f.bid, f.ask)), max(f.ask, f.bid))
    }

    public func dealProbability(_ f: Features) -> Double {
        sigmoid(LinearAlgebra.dot(deal, f.dealRow))
    }
}

/// Fits `NegotiationModel` from examples; used by `livehub train negotiation` and by the
/// cross-validation in the evaluation.
public enum NegotiationModelFitter {
    public struct Example: Sendable {
        public let features: NegotiationModel.Features
        /// Final price over listing, for dialogues that ended in a deal.
        public let settlement: Double?
        public let deal: Bool
        public let group: String

        public init(features: NegotiationModel.Features, settlement: Double?, deal: Bool, group: String) {
            self.features = features
            self.settlement = settlement
            self.deal = deal
            self.group = group
        }
    }

    public static func fit(_ examples: [Example], command: String, trainedOn: String) -> NegotiationModel? {
        let deals = examples.filter { $0.settlement != nil }
        let x = deals.map(\.features.settlementRow)
        let y = deals.compactMap(\.settlement)
        guard let settlement = LinearAlgebra.leastAbsoluteDeviations(x, y),
            let deal = LinearAlgebra.logistic(examples.map(\.features.dealRow), examples.map { $0.deal ? 1 : 0 }, lambda: 1)
        else { return nil }
        let residuals = zip(x, y).map { $1 - LinearAlgebra.dot(settlement, $0) }.sorted()
        let q = { (p: Double) in residuals.isEmpty ? 0 : residuals[min(residuals.count - 1, Int(Double(residuals.count) * p))] }
        return NegotiationModel(command: command, trainedOn: trainedOn, settlement: settlement, settlementInterval: [q(0.1), q(0.9)], deal: deal)
    }
}
