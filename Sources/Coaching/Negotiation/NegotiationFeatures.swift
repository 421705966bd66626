import Foundation

extension NegotiationModel {
    /// What the two models read from a negotiation, all relative to the listing price so one
    /// model serves a $160 bike, a $2,250 rent and a $450,000 house.
    ///
    /// Only prices, the structured/typed distinction, the listing's scale and the time-pressure
    /// tactic: text cues (firmness and "obo" in the listing or the talk, condition words, cash,
    /// pick-up, hedges, budget talk) and the number of turns before the bid were measured on
    /// CraigslistBargain and moved neither figure beyond the noise between fold draws, or only
    /// as a stand-in for the item's category, so they are not read (docs/coaching.md,
    /// "Negotiation coach"). Turn counts also depend on which
    /// messages the caller feeds the state, which differs between a replayed chat and the live
    /// engine.
    public struct Features: Sendable, Hashable {
        /// The seller's current ask over the listing price (capped at 1.3: larger is a misread).
        public var ask: Double
        /// The buyer's current bid over the listing price (capped at 1.3), or the ask before one.
        public var bid: Double
        /// The bid was a structured offer rather than a price read from text.
        public var formalOffer: Bool
        /// The seller has already named a price below the listing.
        public var sellerConceded: Bool
        /// log10 of the listing price minus 3, clamped to [−2, 1.5] ($10 to about $31,600):
        /// the data holds nothing dearer than a few cars, so a house is read as the dearest
        /// item seen rather than extrapolated to.
        public var scale: Double
        /// Either side has claimed time pressure (other buyers, a deadline, "today only").
        public var timePressure: Bool

        public init(_ s: NegotiationState) {
            let list = max(s.listingPrice, 1)
            ask = min(s.currentAsk / list, 1.3)
            bid = min((s.currentBid ?? s.currentAsk) / list, 1.3)
            formalOffer = s.buyerOffers.last?.formal ?? false
            sellerConceded = s.currentAsk < s.listingPrice * 0.999
            scale = Self.scale(listingPrice: s.listingPrice)
            timePressure = s.tactics.contains { $0.kind == .timePressure }
        }

        public init(ask: Double, bid: Double, formalOffer: Bool, sellerConceded: Bool, scale: Double = 0, timePressure: Bool = false) {
            self.ask = ask
            self.bid = bid
            self.formalOffer = formalOffer
            self.sellerConceded = sellerConceded
            self.scale = scale
            self.timePressure = timePressure
        }

        static func scale(listingPrice: Double) -> Double {
            min(max(log10(max(listingPrice, 1)) - 3, -2), 1.5)
        }

        public var gap: Double { ask - bid }

        /// The buyer's "price" is the ask itself or above it, typed rather than submitted:
        /// almost always the ask quoted back ("you want 150 for it?", "is $430k firm?"), not a
        /// bid. The ask then bounds the settlement only from above.
        public var bidEchoesAsk: Bool { !formalOffer && bid >= ask - 1e-9 }

        /// Where the settlement may fall, as ratios to the listing: between bid and ask, or
        /// anywhere up to the ask when the bid only echoes it.
        public var settlementBounds: ClosedRange<Double> {
            let high = max(ask, bid)
            return (bidEchoesAsk ? 0 : min(ask, bid))...high
        }

        /// Gap sizes at which the share of the gap the seller keeps may change slope.
        static let gapKnots = [0.1, 0.2, 0.3, 0.4, 0.5]
        /// Bid ratios at which deal odds may change slope (a fixed grid, not fitted).
        static let bidKnots = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]

        /// Intercept, ask, bid, echo, the gap past each of `gapKnots`, gap × seller conceded.
        /// Small gaps usually close at the bid and large ones nearer the middle, so the
        /// settlement is piecewise linear in the gap rather than a fixed share of it.
        public var settlementRow: [Double] {
            var row: [Double] = [1, ask, bid, bidEchoesAsk ? 1 : 0]
            for k in Self.gapKnots { row.append(max(gap - k, 0)) }
            row.append(sellerConceded ? gap : 0)
            return row
        }

        static let settlementFeatureCount = 9

        /// Intercept, gap, bid, the bid past each of `bidKnots`, structured offer, structured
        /// offer × gap, scale, time pressure. Deal odds are not monotone in the bid (very low
        /// bids and bids at the ask both close less often), so the bid enters as a piecewise
        /// linear curve. Price terms are in units of ten points of the listing price so that
        /// one ridge strength suits every column.
        public var dealRow: [Double] {
            var row: [Double] = [1, 10 * gap, 10 * bid]
            for k in Self.bidKnots { row.append(10 * max(bid - k, 0)) }
            row.append(formalOffer ? 1 : 0)
            row.append(formalOffer ? 10 * gap : 0)
            row.append(scale)
            row.append(timePressure ? 1 : 0)
            return row
        }

        static let dealFeatureCount = 12
    }
}
