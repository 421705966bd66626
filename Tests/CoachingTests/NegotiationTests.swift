import Coaching
import Foundation
import Testing

@Suite("Negotiation coach")
struct NegotiationTests {
    let advisor = NegotiationAdvisor(model: try! BundledResources.negotiationModel())

    func state(_ turns: [NegotiationTurn], list: Double = 430_000, side: Side = .seller) -> NegotiationState {
        var s = NegotiationState(listingPrice: list, represented: side)
        for t in turns { s.apply(t) }
        return s
    }

    @Test("offers in order, concessions and the gap, from text and structured offers")
    func tracking() {
        let s = state([
            NegotiationTurn(party: .buyer, text: "We'd offer 380"),
            NegotiationTurn(party: .seller, text: "Seller can do 425,000"),
            NegotiationTurn(party: .buyer, offer: 395_000),
            NegotiationTurn(party: .seller, text: "You offered 395k, they'd take $418k"),
        ])
        #expect(s.buyerOffers.map(\.amount) == [380_000, 395_000])
        #expect(s.sellerOffers.map(\.amount) == [425_000, 418_000])
        #expect(s.concessions(.buyer) == [15_000])
        #expect(s.concessions(.seller) == [5_000, 7_000])
        #expect(s.gap == 23_000)
        #expect(s.buyerOffers[1].formal)
    }

    @Test("tactics: anchor, final offer, meet in the middle, time pressure, nibbling, silence")
    func tactics() {
        let s = state([
            NegotiationTurn(party: .buyer, text: "I'll give you 250k"),
            NegotiationTurn(party: .seller, text: "We have other offers coming in, 420 is the price"),
            NegotiationTurn(party: .buyer, text: "Let's meet in the middle, that's my final offer"),
            NegotiationTurn(party: .buyer, text: "Also can you throw in the washer and dryer?"),
        ])
        let kinds = Set(s.tactics.map(\.kind))
        #expect(kinds.isSuperset(of: [.extremeAnchor, .timePressure, .meetInTheMiddle, .finalOffer, .nibbling]))
        let quiet = state([NegotiationTurn(party: .seller, text: "We can do 420"), NegotiationTurn(party: .buyer, text: "hmm"), NegotiationTurn(party: .buyer, text: "let me think")])
        #expect(advisor.advise(quiet).tactics.contains { $0.kind == .silenceAfterOffer && $0.party == .buyer })
    }

    @Test("advice: concede in decreasing steps, never past the predicted settlement")
    func decreasingSteps() throws {
        let s = state([
            NegotiationTurn(party: .buyer, offer: 380_000), NegotiationTurn(party: .seller, offer: 420_000),
            NegotiationTurn(party: .buyer, offer: 385_000),
        ])
        let a = advisor.advise(s)
        let counter = try #require(a.recommendedCounter)
        let settlement = try #require(a.predictedSettlement)
        #expect(counter < 420_000 && counter >= settlement - 1_000)
        // The last seller concession was 10,000 (430 → 420); the next must be smaller.
        #expect(420_000 - counter < 10_000)
        #expect(a.rationale.contains { $0.contains("decreasing") })
        #expect((0...1).contains(a.dealProbability ?? -1))
        let interval = try #require(a.settlementInterval)
        #expect(interval.low <= settlement && settlement <= interval.high)
    }

    @Test("advice: hold when the other side concedes faster; do not split early")
    func hold() {
        let fast = state([
            NegotiationTurn(party: .buyer, offer: 360_000), NegotiationTurn(party: .seller, offer: 428_000),
            NegotiationTurn(party: .buyer, offer: 390_000), NegotiationTurn(party: .seller, offer: 426_000),
            NegotiationTurn(party: .buyer, text: "ok how about we meet in the middle at 405"),
        ])
        let a = advisor.advise(fast)
        #expect(a.action == .hold)
        #expect(a.rationale.contains { $0.contains("conceding faster") })
        #expect((a.recommendedCounter ?? 0) > (426_000 + 405_000) / 2)
    }

    @Test("a pre-approval amount is not an offer")
    func preApproval() {
        let s = state([NegotiationTurn(party: .buyer, text: "we're pre-approved for $450k, would they take 410?")])
        #expect(s.buyerOffers.map(\.amount) == [410_000])
        var session = CoachingSession(reply: ReplyContext(listing: Listing(price: 430_000)), represented: .seller)
        let step = Support.engine.step(&session, text: "Good news, we got pre-approved for $450,000!", speaker: .lead, at: 0)
        #expect(step.negotiation == nil && session.negotiation == nil)
    }

    @Test("a small gap means close")
    func accept() {
        let s = state([NegotiationTurn(party: .buyer, offer: 425_000), NegotiationTurn(party: .seller, offer: 428_000)])
        #expect(advisor.advise(s).action == .accept)
    }

    @Test("buyer's agent gets buyer-side advice")
    func buyerSide() throws {
        let s = state([NegotiationTurn(party: .seller, offer: 430_000), NegotiationTurn(party: .buyer, offer: 390_000), NegotiationTurn(party: .seller, offer: 425_000)], side: .buyer)
        let advice = advisor.advise(s)
        let counter = try #require(advice.recommendedCounter)
        #expect(counter >= 390_000 && counter < 425_000)
        #expect(counter > 390_000 || advice.action == .hold)
    }
}

@Suite("Negotiation features and model file")
struct NegotiationFeatureTests {
    let model = try! BundledResources.negotiationModel()

    func features(_ turns: [NegotiationTurn], list: Double) -> NegotiationModel.Features {
        var s = NegotiationState(listingPrice: list, represented: .seller)
        for t in turns { s.apply(t) }
        return NegotiationModel.Features(s)
    }

    @Test("a buyer quoting the ask back is not a bid: the ask bounds the settlement only from above")
    func echo() {
        let quoted = features([NegotiationTurn(party: .buyer, text: "You want 150 for the phone? Right?")], list: 150)
        #expect(quoted.bid == 1 && quoted.bidEchoesAsk)
        #expect(quoted.settlementBounds == 0...1)
        let ratio = model.settlementRatio(quoted)
        #expect(ratio < 1 && ratio > 0.5, "\(ratio)")
        // A structured offer at the asking price is an acceptance, not an echo.
        let accepted = features([NegotiationTurn(party: .buyer, offer: 150)], list: 150)
        #expect(!accepted.bidEchoesAsk && accepted.settlementBounds == 1...1)
        #expect(model.settlementRatio(accepted) == 1)
        let bid = features([NegotiationTurn(party: .buyer, text: "would you take 120?")], list: 150)
        #expect(!bid.bidEchoesAsk && bid.settlementBounds == 0.8...1)
    }

    @Test("settlement stays between bid and ask and rises with the bid")
    func settlementShape() {
        var last = 0.0
        for bid in stride(from: 250_000.0, through: 420_000, by: 10_000) {
            let f = features([NegotiationTurn(party: .buyer, offer: bid)], list: 430_000)
            let r = model.settlementRatio(f)
            #expect(r >= f.bid && r <= f.ask)
            #expect(r >= last, "settlement fell from \(last) to \(r) at a bid of \(bid)")
            last = r
        }
    }

    @Test("scale: log10 of the listing, clamped so a house is not extrapolated beyond the dearest item seen")
    func scale() {
        #expect(features([], list: 1_000).scale == 0)
        #expect(abs(features([], list: 160).scale - (log10(160) - 3)) < 1e-12)
        #expect(features([], list: 450_000).scale == 1.5)
        #expect(features([], list: 2).scale == -2)
    }

    @Test("time pressure from either side is read; seller concession and structured offers too")
    func flags() {
        let f = features([
            NegotiationTurn(party: .seller, text: "I have other offers, but I can do 140"),
            NegotiationTurn(party: .buyer, offer: 120),
        ], list: 160)
        #expect(f.timePressure && f.sellerConceded && f.formalOffer)
        #expect(abs(f.gap - 0.125) < 1e-12)
        let plain = features([NegotiationTurn(party: .buyer, text: "would you take 120?")], list: 160)
        #expect(!plain.timePressure && !plain.sellerConceded && !plain.formalOffer)
    }

    @Test("deal odds: a half-price opening closes less often than a bid at 80%; rows match the shipped coefficients")
    func dealShape() {
        let low = features([NegotiationTurn(party: .buyer, offer: 80)], list: 160)
        let fair = features([NegotiationTurn(party: .buyer, offer: 128)], list: 160)
        #expect(model.dealProbability(low) < model.dealProbability(fair))
        #expect(low.dealRow.count == model.deal.count && low.settlementRow.count == model.settlement.count)
        #expect(model.settlementInterval[0] < 0 && model.settlementInterval[1] > 0)
    }

    @Test("the model file round-trips and rejects another format or the wrong number of coefficients")
    func modelFile() throws {
        let again = try NegotiationModel(json: model.json())
        #expect(again == model)
        var old = model
        old.format = "livehub-negotiation-model/1"
        #expect(throws: (any Error).self) { try NegotiationModel(json: old.json()) }
        var short = model
        short.deal.removeLast()
        #expect(throws: (any Error).self) { try NegotiationModel(json: short.json()) }
    }
}

@Suite("Evaluation floors")
struct EvaluationTests {
    @Test("intents: cross-validated accuracy ≥ 90%, opt-out recall 100%, opt-out false positives ≤ 1%")
    func intents() throws {
        let examples = try IntentExample.parseLines(Support.fixture("Fixtures/coaching/messages.jsonl"))
        #expect(examples.count >= 300)
        let counts = Dictionary(grouping: examples, by: \.intent).mapValues(\.count)
        #expect(Intent.allCases.allSatisfy { (counts[$0] ?? 0) >= 10 })
        let cv = IntentEvaluation.crossValidate(examples, folds: 5)
        #expect(cv.accuracy >= 0.90, "cross-validated accuracy \(cv.accuracy)")
        #expect(cv.optOutRecall == 1)
        #expect(cv.optOutFalsePositiveRate <= 0.01)
        let shipped = IntentEvaluation.evaluate(examples, analyzer: Support.analyzer)
        #expect(shipped.optOutRecall == 1 && shipped.optOutFalsePositiveRate == 0)
    }

    @Test("intents on the dev set (never trained on, used for error analysis): accuracy ≥ 95%, every opt-out found")
    func devSet() throws {
        let examples = try IntentExample.parseLines(Support.fixture("Fixtures/coaching/dev.jsonl"))
        #expect(examples.count >= 100)
        let report = IntentEvaluation.evaluate(examples, analyzer: Support.analyzer)
        #expect(report.accuracy >= 0.95, "dev accuracy \(report.accuracy)")
        #expect(report.optOutRecall == 1 && report.optOutFalsePositiveRate == 0)
    }

    @Test("intents on the held-out set nobody tuned on: every opt-out found, no false opt-out, accuracy floor")
    func heldOut() throws {
        let examples = try IntentExample.parseLines(Support.fixture("Fixtures/coaching/holdout.jsonl"))
        #expect(examples.count >= 80)
        let report = IntentEvaluation.evaluate(examples, analyzer: Support.analyzer)
        // Measured 88.8% when written; the 90% target is not met on fresh text (see the
        // closing note). This floor guards against regressions without tuning on the set.
        #expect(report.accuracy >= 0.85, "held-out accuracy \(report.accuracy)")
        #expect(report.optOutRecall == 1 && report.optOutFalsePositiveRate == 0)
    }

    @Test("negotiation on CraigslistBargain, 5-fold CV by post_id: settlement MAE ≤ 6.8%, deal AUC ≥ 0.74, both past the baselines")
    func negotiation() throws {
        guard FileManager.default.fileExists(atPath: Support.bargainPath) else {
            print("skipping: \(Support.bargainPath) is absent (the data lives in ../shared/)")
            return
        }
        let dialogues = try BargainDialogue.load(Data(contentsOf: URL(fileURLWithPath: Support.bargainPath)))
        let cv = try #require(NegotiationEvaluation.crossValidate(dialogues, folds: 5))
        #expect(cv.checkpoints > 500)
        // Measured 6.67% (7.11% before the gap knots and the echo rule); the 6.5% is
        // not reached (docs/coaching.md).
        #expect(cv.settlementMAE <= 0.068, "MAE \(cv.settlementMAE)")
        #expect(cv.settlementMAE < cv.baselineMidpointMAE)
        // Measured 0.750 (0.716 before the piecewise linear bid curve, scale and time pressure).
        #expect(cv.dealAUC >= 0.74 && cv.dealAUC > cv.baselineGapAUC, "AUC \(cv.dealAUC)")
    }

    @Test("negotiation: the gain holds over other draws of folds, not only the reported one")
    func negotiationSpread() throws {
        guard FileManager.default.fileExists(atPath: Support.bargainPath) else {
            print("skipping: \(Support.bargainPath) is absent (the data lives in ../shared/)")
            return
        }
        let dialogues = try BargainDialogue.load(Data(contentsOf: URL(fileURLWithPath: Support.bargainPath)))
        let spread = try #require(NegotiationEvaluation.crossValidationSpread(dialogues, folds: 5, seeds: 5))
        // The previous model averaged 7.10% and 0.693 over such draws; this one 6.68% and 0.735.
        #expect(spread.settlementMAE.max <= 0.069, "MAE \(spread.settlementMAE)")
        #expect(spread.dealAUC.mean >= 0.72, "AUC \(spread.dealAUC)")
    }

    @Test("AUC is computed correctly")
    func auc() {
        #expect(NegotiationEvaluation.auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) == 0.75)
        #expect(NegotiationEvaluation.auc([1, 1], [true, false]) == 0.5)
    }
}
