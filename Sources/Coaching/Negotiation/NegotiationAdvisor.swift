/// Turns a `NegotiationState` and the fitted models into advice for the represented side.
///
/// The counter follows three rules of thumb from negotiation practice, each stated in the
/// rationale when it applies: concede in decreasing steps (each step about 60% of the last);
/// do not split the difference early (in the first rounds, move a quarter of the gap, not half);
/// and hold when the other side is conceding faster. It never recommends crossing the predicted
/// settlement on the represented side's behalf; when the gap is within 1.5% it says close.
public struct NegotiationAdvisor: Sendable {
    public let model: NegotiationModel

    public init(model: NegotiationModel) {
        self.model = model
    }

    public func advise(_ s: NegotiationState) -> NegotiationAdvice {
        let list = s.listingPrice
        let me = s.represented
        let them = me.other
        var rationale: [String] = []
        var warnings: [String] = []
        let tactics = s.tactics + silence(s)

        guard let bid = s.currentBid else {
            // No buyer price yet: predictions need both numbers.
            let counter = me == .seller ? s.currentAsk : nil
            rationale.append(me == .seller ? "Let the buyer name a price first; hold the asking price until then." : "Name a price only after you know what the seller will move on; ask about their flexibility first.")
            return NegotiationAdvice(predictedSettlement: nil, settlementInterval: nil, dealProbability: nil, recommendedCounter: counter, action: .wait, rationale: rationale, warnings: warnings, tactics: tactics, gap: nil)
        }
        let ask = s.currentAsk
        let features = NegotiationModel.Features(s)
        let ratio = model.settlementRatio(features)
        let settlement = ratio * list
        let bounds = features.settlementBounds
        let interval = NegotiationAdvice.Interval(
            low: max(bounds.lowerBound * list, (ratio + model.settlementInterval[0]) * list),
            high: min(bounds.upperBound * list, (ratio + model.settlementInterval[1]) * list))
        let probability = model.dealProbability(features)
        let gap = ask - bid

        if gap <= list * 0.015 {
            rationale.append("The gap is \(ReplyContext.formatPrice(max(gap, 0))), within 1.5% of the price: close now rather than risk the deal over it.")
            return NegotiationAdvice(predictedSettlement: settlement, settlementInterval: interval, dealProbability: probability, recommendedCounter: nil, action: .accept, rationale: rationale, warnings: warnings, tactics: tactics, gap: gap)
        }

        let mine = s.offers(me)
        let myConcessions = s.concessions(me)
        let theirConcessions = s.concessions(them)
        let myTotal = myConcessions.reduce(0, +)
        let theirTotal = theirConcessions.reduce(0, +)
        let current = me == .seller ? ask : (mine.last?.amount)
        var action: NegotiationAdvice.Action = .counter
        var step: Double

        if let last = myConcessions.last, last > 0 {
            step = last * 0.6
            rationale.append("Concede in decreasing steps: your last move was \(ReplyContext.formatPrice(last)); move about \(ReplyContext.formatPrice(step)) this time.")
        } else {
            step = gap * 0.25
            rationale.append("Move a quarter of the gap (\(ReplyContext.formatPrice(step))): a first concession sets how fast the rest go.")
        }
        if theirTotal > 0, theirTotal > myTotal * 1.5, theirConcessions.count >= 1 {
            step *= 0.3
            action = .hold
            rationale.append("The \(them.rawValue) is conceding faster (\(ReplyContext.formatPrice(theirTotal)) against your \(ReplyContext.formatPrice(myTotal))): hold nearly firm and let them keep moving.")
        }
        if tactics.contains(where: { $0.kind == .meetInTheMiddle && $0.party == them }), s.offers(them).count + mine.count < 5 {
            rationale.append("Do not split the difference this early: the midpoint rewards their anchor. Counter above it instead.")
            step = min(step, gap * 0.25)
        }
        if let anchor = tactics.first(where: { $0.kind == .extremeAnchor && $0.party == them }) {
            warnings.append("The \(them.rawValue) \(anchor.evidence): do not let that number set the midpoint.")
        }
        if tactics.contains(where: { $0.kind == .finalOffer && $0.party == them }) {
            let stillMoving = (theirConcessions.last ?? 0) > 0
            warnings.append(stillMoving ? "They call it final but conceded on their last move: it may not be." : "They call it final: test it with a small, conditional move rather than a big one.")
        }
        if tactics.contains(where: { $0.kind == .timePressure && $0.party == them }) {
            warnings.append("Time pressure claimed: ask for it in writing before moving faster.")
        }
        if tactics.contains(where: { $0.kind == .nibbling && $0.party == them }) {
            warnings.append("Nibbling: trade every extra they ask for against price or terms; do not give it free.")
        }
        if myConcessions.count >= 2, let a = myConcessions.dropLast().last, let b = myConcessions.last, b > a {
            warnings.append("Your concessions are growing (\(ReplyContext.formatPrice(a)) then \(ReplyContext.formatPrice(b))): that signals more room. Shrink the next one.")
        }
        if let silent = tactics.first(where: { $0.kind == .silenceAfterOffer }), silent.party == them {
            warnings.append("They went quiet after your offer: wait, do not bid against yourself.")
            action = .hold
            step = 0
        }

        var counter: Double
        if me == .seller {
            counter = ask - step
            // Never below the predicted settlement: it is where the deal lands, not where to go.
            if counter < settlement {
                counter = max(settlement, bid)
                rationale.append("Stay at or above the likely settlement of \(ReplyContext.formatPrice(settlement)).")
            }
        } else {
            let base = current ?? bid
            counter = base + step
            if counter > settlement {
                counter = min(settlement, ask)
                rationale.append("Stay at or below the likely settlement of \(ReplyContext.formatPrice(settlement)).")
            }
        }
        counter = Self.round(counter, scale: list)
        if action == .counter, mine.isEmpty, me == .buyer { action = .anchor }
        if let own = mine.last?.amount, abs(counter - own) < 1e-6, action == .counter {
            action = .hold
            rationale.append("Your current price already sits at the likely settlement: hold it and let them move.")
        }
        return NegotiationAdvice(predictedSettlement: Self.round(settlement, scale: list), settlementInterval: interval, dealProbability: probability, recommendedCounter: counter, action: action, rationale: rationale, warnings: warnings, tactics: tactics, gap: gap)
    }

    /// "Silence after an offer": the other side has let two or more turns of ours pass, or a
    /// day, since our last price without naming one of theirs.
    func silence(_ s: NegotiationState) -> [DetectedTactic] {
        var out: [DetectedTactic] = []
        for side in [Side.buyer, .seller] {
            guard let mine = s.offers(side).last else { continue }
            let theirs = s.offers(side.other).last
            guard theirs.map({ $0.turn < mine.turn }) ?? true else { continue }
            let turnsSince = s.turns - 1 - mine.turn
            var quietFor = 0.0
            if let now = s.lastAt, let then = mine.at { quietFor = now - then }
            if turnsSince >= 2 || quietFor >= 86_400 {
                out.append(DetectedTactic(kind: .silenceAfterOffer, party: side.other, turn: s.turns - 1, evidence: "no counter since \(ReplyContext.formatPrice(mine.amount))"))
            }
        }
        return out
    }

    /// Rounds to a number people say: $5 under $1,000, $50 under $100,000, $1,000 above.
    static func round(_ value: Double, scale: Double) -> Double {
        let unit: Double = scale < 1_000 ? 5 : scale < 100_000 ? 50 : 1_000
        return (value / unit).rounded() * unit
    }
}
