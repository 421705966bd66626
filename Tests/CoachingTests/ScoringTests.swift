import Coaching
import Testing

@Suite("Lead scoring")
struct ScoringTests {
    func score(_ turns: [(AnalysisContext.Speaker, String, Double)]) -> LeadScore {
        LeadScorer.score(turns.map { ScoredMessage(analysis: Support.analyze($0.1, speaker: $0.0), at: $0.2) })
    }

    @Test("buying signals raise the score, step by step")
    func rises() {
        let s1 = score([(.lead, "hi, saw your listing", 0)])
        let s2 = score([(.lead, "hi, saw your listing", 0), (.agent, "Hi! Want to see it?", 60), (.lead, "yes can we see it saturday?", 120)])
        let s3 = score([(.lead, "hi, saw your listing", 0), (.agent, "Hi! Want to see it?", 60), (.lead, "yes can we see it saturday?", 120),
                        (.agent, "Sure", 180), (.lead, "we're pre-approved for 450k and want to move asap", 200)])
        #expect(s1.score < s2.score)
        #expect(s2.score < s3.score)
        #expect(s3.tier == .hot)
        #expect(s3.reasons.contains { $0.contains("Pre-approved") })
    }

    @Test("disinterest, objections and a souring mood lower it")
    func falls() {
        let base: [(AnalysisContext.Speaker, String, Double)] = [(.lead, "can we see the house saturday?", 0), (.agent, "Sure!", 60)]
        let warm = score(base + [(.lead, "great thanks", 90)])
        let cooled = score(base + [(.lead, "actually we already have a realtor", 90)])
        let cold = score(base + [(.lead, "not interested anymore", 90), (.lead, "no thanks", 100)])
        #expect(cooled.score < warm.score)
        #expect(cold.score < cooled.score)
        #expect(cold.reasons.contains { $0.contains("not interested") || $0.contains("no more than once") })
    }

    @Test("opt-out makes the lead dead, whatever came before")
    func optOut() {
        let s = score([(.lead, "we're pre-approved and want to see it today", 0), (.lead, "STOP", 30)])
        #expect(s.tier == .dead && s.score == 0)
        #expect(s.reasons.first?.contains("Opted out") == true)
    }

    @Test("fast answers count for engagement")
    func engagement() {
        let fast = score([(.agent, "Hi!", 0), (.lead, "hi, is it available?", 30), (.agent, "Yes", 60), (.lead, "great", 90)])
        let slow = score([(.agent, "Hi!", 0), (.lead, "hi, is it available?", 200_000), (.agent, "Yes", 200_060), (.lead, "great", 400_000)])
        #expect(fast.score > slow.score)
        #expect(fast.reasons.contains { $0.contains("Answers quickly") })
    }
}
