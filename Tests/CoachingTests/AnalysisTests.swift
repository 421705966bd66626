import Coaching
import Testing

@Suite("Sentiment, intents and robustness")
struct AnalysisTests {
    func sentiment(_ t: String) -> Double { Support.analyze(t).sentiment.score }

    @Test("negation and intensifiers")
    func negation() {
        #expect(sentiment("not bad") > 0)
        #expect(sentiment("not bad") < sentiment("good"))
        #expect(sentiment("really not happy") < -0.3)
        #expect(sentiment("really happy") > sentiment("happy"))
        #expect(sentiment("not happy") < 0)
        #expect(sentiment("I love it!! 😍").isFinite && sentiment("I love it!! 😍") > 0.6)
        #expect(Support.analyze("this is terrible and rude").sentiment.label == .veryNegative)
        #expect(Support.analyze("The house is on Elm").sentiment.label == .neutral)
    }

    @Test("top intents on unseen phrasing", arguments: [
        ("yo is that place on 3rd still for sale?", Intent.availability), ("could we take a look at it thursday evening", .scheduleShowing),
        ("what's the HOA like and does it allow dogs", .propertyQuestion), ("we'd offer 10k below asking", .offer),
        ("we need to cancel tomorrow's tour, sorry", .rescheduleCancel), ("gimme a call when u can", .callbackRequest),
        ("wanting to sell our townhouse next spring", .sellInquiry), ("Am I chatting with a bot right now?", .humanRequest),
    ])
    func intents(_ c: (String, Intent)) {
        let a = Support.analyze(c.0)
        #expect(a.intent.intent == c.1, "\(c.0) → \(a.intent.intent)")
        #expect(!a.intent.evidence.isEmpty)
    }

    @Test("a multi-intent message keeps both: top and runner-up")
    func multiIntent() {
        let a = Support.analyze("Is it still available? And can we see it Saturday?")
        let both: Set<Intent> = [a.intent.intent, a.runnerUp?.intent ?? .other]
        #expect(both == [.availability, .scheduleShowing])
    }

    @Test("objections are found with evidence, alongside another intent")
    func objections() {
        let a = Support.analyze("Love the house but it's way too expensive, and my husband needs to see it first")
        #expect(a.has(.priceTooHigh))
        #expect(a.has(.decisionMaker))
        #expect(a.objections.allSatisfy { !$0.evidence.isEmpty })
        #expect(!Support.analyze("the price is fine for us").has(.priceTooHigh))
    }

    @Test("empty, emoji-only, enormous and invalid input")
    func edges() {
        let empty = Support.analyze("")
        #expect(empty.compliance.isEmpty && empty.entities.isEmpty && empty.sentiment.label == .neutral && empty.objections.isEmpty)
        #expect(empty.intent.intent == .other && empty.intent.source == .rule)
        #expect(Support.analyze(" ?! ").intent.intent == .other)
        #expect(Support.analyze("👍👍").intent.intent == .positiveAck)
        let huge = String(repeating: "We love the house but the price is a bit high. ", count: 2_200) + "STOP"
        #expect(huge.utf8.count > 100_000)
        #expect(Support.analyzer.analyze(huge).isOptOut)
        let bytes: [UInt8] = Array("Call me at 5pm ".utf8) + [0xFF, 0xC3, 0x28] + Array(" thanks".utf8)
        let text = MessageText(bytes: bytes)
        #expect(text.original.contains("\u{FFFD}"))
        #expect(Support.analyzer.analyze(text).entities.dates.first?.hour == 17)
    }

    @Test("analysis never traps and is deterministic for arbitrary strings")
    func property() {
        var rng = SplitMix64(seed: 99)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789$%,.:;!?-/'\"()@#&*\n\t😀👍🛑éñü\u{200B}\u{FEFF}\u{0}")
        for _ in 0..<400 {
            let length = Int(rng.next() % 120)
            let s = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let a = Support.analyze(s, listingPrice: 400_000)
            #expect(a == Support.analyze(s, listingPrice: 400_000))
            #expect(a.sentiment.score >= -1 && a.sentiment.score <= 1)
            #expect(a.intent.confidence >= 0 && a.intent.confidence <= 1)
        }
    }
}
