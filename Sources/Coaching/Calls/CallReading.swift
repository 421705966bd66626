/// What a call's turns have shown, read turn by turn by `CallSummarizer`: topics, objections,
/// prices, dates, steps and an opt-out.
struct CallReading {
    /// Each topic intent's summed confidence over the lead's turns, in order of first sight.
    var topicWeights: [(intent: Intent, weight: Double)] = []
    var objections: [(objection: Objection, evidence: String)] = []
    var prices: [CallPrice] = []
    var dates: [(turn: Int, mention: DateMention)] = []
    var steps: [(turn: Int, found: CallNextStepRules.Found)] = []
    var optOut: String?

    /// Intents that say what a call was about; acknowledgements, objections (listed on their
    /// own line) and requests for a person (the call is one) do not.
    static let topicIntents: Set<Intent> = [
        .scheduleShowing, .rescheduleCancel, .callbackRequest, .priceQuestion, .financing, .availability,
        .propertyQuestion, .offer, .sellInquiry, .buyInquiry, .notInterested, .wrongNumber,
    ]

    mutating func read(_ a: MessageAnalysis) {
        if a.isOptOut, optOut == nil { optOut = a.compliance.first { $0.kind == .optOut }?.evidence.first ?? "" }
        // Runners-up count too ("thinking of selling but not ready" is an objection first),
        // but a weak guess on every "yeah, sure" must not add up to a topic.
        for score in [a.intent, a.runnerUp].compactMap({ $0 }) where Self.topicIntents.contains(score.intent) && score.confidence >= 0.2 {
            if let i = topicWeights.firstIndex(where: { $0.intent == score.intent }) {
                topicWeights[i].weight += score.confidence
            } else {
                topicWeights.append((score.intent, score.confidence))
            }
        }
        for o in a.objections where !objections.contains(where: { $0.objection == o.objection }) {
            objections.append((o.objection, o.evidence.first ?? ""))
        }
    }

    mutating func read(_ e: Entities, speaker: CallSpeaker, turn: Int, listing: Listing?) {
        for m in e.money where m != e.preApproval {
            // With a listing, only amounts a negotiation over it could name are prices
            // (not "$500 earnest money"); without one, small sums are not prices either.
            let isPrice = listing?.price.map { MoneyRecognizer.plausible(m.amount, $0) } ?? (m.amount >= 1_000)
            let price = CallPrice(amount: m.amount, speaker: speaker)
            if isPrice, !prices.contains(price) { prices.append(price) }
        }
        for d in e.dates where d.isSpecific || d.period != nil { dates.append((turn, d)) }
    }

    /// The day and time said nearest a step found in `turn`: its own sentence first, then
    /// its turn, the answer after it, the question before, up to two turns away. A bare day
    /// and a bare time within one turn of each other combine ("Saturday?" — "Sure, at 3.").
    func when(_ found: CallNextStepRules.Found, turn: Int) -> DateMention? {
        var groups = [found.sentenceDates]
        for t in [turn, turn + 1, turn - 1, turn + 2, turn - 2] { groups.append(dates.filter { $0.turn == t }.map(\.mention)) }
        var day: DateMention?
        var time: DateMention?
        for (distance, group) in groups.enumerated() {
            // Two turns away is near enough to find a time, not to complete one found closer.
            if distance >= 4, day != nil || time != nil { break }
            for m in group where m.isSpecific {
                if m.spokenDay != nil, m.hour != nil {
                    // A whole day-and-time nearby completes a bare "Tuesday" or "at 10" that agrees with it.
                    let agrees = (day == nil || day?.spokenDay == m.spokenDay) && (time == nil || time?.hour == m.hour)
                    if agrees { return m }
                    continue
                }
                // Only a bare day and a bare time combine: "tonight" stays tonight beside
                // another step's "Saturday at 3".
                if day == nil, m.spokenDay != nil, m.hour == nil { day = m }
                if time == nil, m.hour != nil, m.spokenDay == nil { time = m }
            }
            if day != nil, time != nil { break }
        }
        guard var d = day else { return time }
        guard var t = time else { return d }
        d.hour = nil
        d.minute = nil
        d.qualifier = nil
        t.weekday = nil
        t.dayOffset = nil
        t.month = nil
        t.day = nil
        return DateRecognizer.combine(d, t)
    }
}
