/// Builds the coaching cards for one lead message: compliance first, then escalations,
/// objection handling, negotiation, and the next best action for the intent.
public struct CardBuilder: Sendable {
    public let playbooks: PlaybookSet

    public init(playbooks: PlaybookSet) {
        self.playbooks = playbooks
    }

    public func cards(for a: MessageAnalysis, score: LeadScore?, advice: NegotiationAdvice?) -> [CoachingCard] {
        var cards: [CoachingCard] = []
        func add(_ template: CardTemplate?, evidence: [String]) {
            guard let t = template else { return }
            cards.append(CoachingCard(kind: t.kind, title: t.title, body: t.body, priority: t.priority, evidence: evidence, templateId: t.id))
        }
        for flag in a.compliance {
            add(playbooks.cards.first { $0.compliance == flag.kind }, evidence: flag.evidence)
        }
        if a.isOptOut { return cards }
        if a.intent.intent == .humanRequest {
            add(playbooks.cards.first { $0.intent == .humanRequest }, evidence: a.intent.evidence)
        }
        if a.sentiment.label == .veryNegative, !a.has(.abuse), !a.has(.legalThreat) {
            cards.append(CoachingCard(
                kind: .escalation, title: "Lead is upset",
                body: "Acknowledge the frustration in your own words before anything else, then offer a call. Do not send a template.",
                priority: .high, evidence: a.sentiment.evidence, templateId: nil))
        }
        for o in a.objections {
            add(playbooks.cards.first { $0.objection == o.objection }, evidence: o.evidence)
        }
        if let advice {
            cards.append(CoachingCard(kind: .negotiation, title: advice.headline, body: advice.summary, priority: .high, evidence: advice.evidence, templateId: nil))
        }
        if a.intent.intent != .humanRequest {
            add(playbooks.cards.first { $0.intent == a.intent.intent && $0.kind == .nextBestAction }, evidence: a.intent.evidence)
        }
        if let score, score.tier == .hot {
            cards.append(CoachingCard(
                kind: .nextBestAction, title: "Hot lead: call now",
                body: "Score \(score.score)/100. Leads called within five minutes convert far more often than those texted later.",
                priority: .high, evidence: Array(score.reasons.prefix(3)), templateId: nil))
        }
        return cards.sorted { $0.priority > $1.priority }
    }
}
