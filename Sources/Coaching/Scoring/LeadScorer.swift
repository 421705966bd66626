import Foundation

/// Scores a lead from the whole conversation so far.
///
/// Additive and explainable: a base of 30, then points for buying signals (intents, weighted
/// towards recent messages), financing readiness, timeline, engagement and sentiment trend,
/// and deductions for objections and disinterest. Each component that moves the score adds
/// a sentence to `reasons`. Opt-out or a confirmed wrong number makes the lead dead.
public enum LeadScorer {
    static let intentPoints: [Intent: Double] = [
        .offer: 22, .scheduleShowing: 20, .financing: 10, .callbackRequest: 10, .sellInquiry: 12, .buyInquiry: 10,
        .availability: 7, .priceQuestion: 6, .propertyQuestion: 6, .positiveAck: 3, .rescheduleCancel: 2,
        .humanRequest: 3, .objection: -4, .notInterested: -30, .other: 0, .wrongNumber: 0, .optOut: 0,
    ]
    static let intentReasons: [Intent: String] = [
        .offer: "Talked about making an offer.", .scheduleShowing: "Wants to see a property.",
        .financing: "Asked about financing.", .callbackRequest: "Asked for a call.",
        .sellInquiry: "Is thinking about selling.", .buyInquiry: "Is looking to buy.",
        .availability: "Checked whether a listing is available.", .priceQuestion: "Asked about price.",
        .propertyQuestion: "Asked about the property's details.", .notInterested: "Said they are not interested.",
        .objection: "Raised an objection.",
    ]

    public static func score(_ messages: [ScoredMessage]) -> LeadScore {
        // Indices, not copies: a history holds dozens of analyses and this runs on every message.
        let lead = LeadView(messages)
        guard !lead.isEmpty else { return LeadScore(score: 30, tier: .cold, reasons: ["The lead has not written yet."]) }
        if let optOut = lead.last(where: { $0.analysis.isOptOut }) {
            return LeadScore(score: 0, tier: .dead, reasons: ["Opted out (\"\(optOut.analysis.intent.evidence.first ?? "stop")\"): do not contact on this channel."])
        }
        if lead.last?.analysis.intent.intent == .wrongNumber {
            return LeadScore(score: 0, tier: .dead, reasons: ["Says this is the wrong number."])
        }
        var points = 30.0
        var reasons: [(Double, String)] = []

        // Intents: the most recent messages count most (weight halves every three messages back).
        var best: [Intent: Double] = [:]
        for (age, m) in lead.reversedMessages.enumerated() {
            let weight = pow(0.5, Double(age) / 3)
            let intent = m.analysis.intent.intent
            let p = (intentPoints[intent] ?? 0) * weight
            if abs(p) > abs(best[intent] ?? 0) { best[intent] = p }
        }
        for (intent, p) in best.sorted(by: { abs($0.value) > abs($1.value) }) where abs(p) >= 1 {
            points += p
            if let r = intentReasons[intent] { reasons.append((p, r)) }
        }
        let disinterest = lead.suffix(3).filter { $0.analysis.intent.intent == .notInterested }.count
        if disinterest >= 2 {
            points -= 20
            reasons.append((-20, "Said no more than once recently."))
        }

        // Financing readiness.
        if lead.contains(where: { $0.analysis.entities.loanType?.type == .cash }) {
            points += 15
            reasons.append((15, "Can pay cash."))
        } else if let approval = lead.last(where: { $0.analysis.entities.preApproval != nil })?.analysis.entities.preApproval {
            points += 12
            reasons.append((12, "Pre-approved for \(ReplyContext.formatPrice(approval.amount))."))
        } else if lead.contains(where: { $0.analysis.intent.intent == .financing || $0.analysis.entities.loanType != nil }) {
            points += 6
            reasons.append((6, "Is working out financing."))
        }

        // Timeline: the most urgent horizon stated.
        if let timeline = lead.minTimeline(), let days = timeline.horizonDays {
            let p: Double
            switch timeline.urgency {
            case .immediate: p = 12
            case .high: p = 9
            case .medium: p = 4
            case .low: p = days > 300 ? -8 : -3
            case .none: p = 0
            }
            points += p
            let when = timeline.evidence.first.map { "\"\($0)\"" } ?? "in \(days) days"
            reasons.append((p, p >= 0 ? "Wants to move soon (\(when))." : "Long timeline (\(when))."))
        }

        // Engagement: how fast and how often the lead answers the agent.
        var latencies: [Double] = []
        var lastAgent: Double?
        for m in messages {
            if m.fromLead {
                if let t = lastAgent { latencies.append(m.at - t); lastAgent = nil }
            } else {
                lastAgent = m.at
            }
        }
        if let median = latencies.sorted().dropFirst(latencies.count / 2).first {
            let p: Double = median <= 300 ? 8 : median <= 3_600 ? 4 : median <= 86_400 ? 0 : -6
            points += p
            if p != 0 { reasons.append((p, p > 0 ? "Answers quickly (typically within \(Self.duration(median)))." : "Slow to answer (typically \(Self.duration(median)))." )) }
        }
        if lead.count >= 4 {
            points += 5
            reasons.append((5, "Engaged: \(lead.count) messages so far."))
        }

        // Sentiment trend: recent messages against earlier ones.
        let sentiments = lead.sentiments
        let recent = sentiments.suffix(2).reduce(0, +) / Double(min(2, sentiments.count))
        if sentiments.count >= 3 {
            let earlier = sentiments.dropLast(2).reduce(0, +) / Double(sentiments.count - 2)
            let trend = recent - earlier
            if trend <= -0.3 {
                points -= 8
                reasons.append((-8, "Mood is getting worse."))
            } else if trend >= 0.3 {
                points += 5
                reasons.append((5, "Mood is improving."))
            }
        } else if recent <= -0.5 {
            points -= 6
            reasons.append((-6, "Sounds unhappy."))
        }

        // Objections still on the table in the last three messages.
        var objections = Set<Objection>()
        for m in lead.suffix(3) { for o in m.analysis.objections { objections.insert(o.objection) } }
        for o in objections.sorted(by: { $0.rawValue < $1.rawValue }) {
            let p: Double = o == .hasAgent ? -15 : o == .justBrowsing ? -8 : -4
            points += p
            reasons.append((p, Self.objectionReason(o)))
        }

        let score = Int(max(1, min(100, points)).rounded())
        let tier: LeadScore.Tier = score >= 70 ? .hot : score >= 45 ? .warm : .cold
        let ordered = reasons.sorted { abs($0.0) > abs($1.0) }.map(\.1)
        return LeadScore(score: score, tier: tier, reasons: ordered)
    }

    static func objectionReason(_ o: Objection) -> String {
        switch o {
        case .hasAgent: return "Already works with another agent."
        case .justBrowsing: return "Says they are just browsing."
        case .priceTooHigh: return "Finds the price too high."
        case .commission: return "Pushes back on commission."
        case .timing: return "Says the timing is not right."
        case .decisionMaker: return "Someone else has to agree."
        case .waitMarket: return "Wants to wait for the market."
        case .trust: return "Does not trust us yet."
        }
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds)) seconds" }
        if seconds < 5_400 { return "\(Int((seconds / 60).rounded())) minutes" }
        if seconds < 129_600 { return "\(Int((seconds / 3_600).rounded())) hours" }
        return "\(Int((seconds / 86_400).rounded())) days"
    }
}

/// The lead's messages within a conversation, read in place.
struct LeadView {
    let all: [ScoredMessage]
    let indices: [Int]

    init(_ messages: [ScoredMessage]) {
        all = messages
        indices = messages.indices.filter { messages[$0].fromLead }
    }

    var isEmpty: Bool { indices.isEmpty }
    var count: Int { indices.count }
    var last: ScoredMessage? { indices.last.map { all[$0] } }
    var reversedMessages: LazyMapSequence<ReversedCollection<[Int]>, ScoredMessage> { indices.reversed().lazy.map { all[$0] } }
    var sentiments: [Double] { indices.map { all[$0].analysis.sentiment.score } }

    func last(where p: (ScoredMessage) -> Bool) -> ScoredMessage? {
        for i in indices.reversed() where p(all[i]) { return all[i] }
        return nil
    }

    func contains(where p: (ScoredMessage) -> Bool) -> Bool { indices.contains { p(all[$0]) } }

    func suffix(_ n: Int) -> LazyMapSequence<ArraySlice<Int>, ScoredMessage> { indices.suffix(n).lazy.map { all[$0] } }

    func minTimeline() -> Timeline? {
        var best: Timeline?
        for i in indices {
            let t = all[i].analysis.timeline
            guard let d = t.horizonDays else { continue }
            if best.map({ d < ($0.horizonDays ?? .max) }) ?? true { best = t }
        }
        return best
    }
}
