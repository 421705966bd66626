/// The lines of a `CallSummary`, each rendered from what `CallReading` found.
enum CallSummaryLines {
    /// "9-minute call; the lead did 40% of the talking."
    static func overview(_ sentences: [AttributedSentence], durationSeconds: Double?) -> String {
        let seconds = durationSeconds ?? sentences.compactMap(\.endTime).max()
        var line: String
        switch seconds {
        case let s? where s >= 60: line = "\(Int((s / 60).rounded()))-minute call"
        case let s? where s > 0: line = "\(Int(s.rounded()))-second call"
        default: line = "Call"
        }
        guard !sentences.isEmpty else { return line + "; nothing was transcribed." }
        let unknown = sentences.count(where: { $0.speaker == .unknown })
        if unknown == sentences.count {
            return line + "; one recording channel, so lead and agent could not be told apart (everything is read as the lead's)."
        }
        // Spoken seconds when every sentence is timed, characters otherwise.
        let timed = sentences.allSatisfy { $0.startTime != nil && $0.endTime != nil }
        func weight(_ s: AttributedSentence) -> Double {
            if timed, let a = s.startTime, let b = s.endTime { return max(0, b - a) }
            return Double(s.text.count)
        }
        let lead = sentences.filter { $0.speaker == .lead }.reduce(0) { $0 + weight($1) }
        let agent = sentences.filter { $0.speaker == .agent }.reduce(0) { $0 + weight($1) }
        if lead + agent > 0 { line += "; the lead did \(Int((100 * lead / (lead + agent)).rounded()))% of the talking" }
        if unknown > 0 { line += " (\(unknown) sentence\(unknown == 1 ? "" : "s") could not be attributed)" }
        return line + "."
    }

    /// "Discussed: a showing, the price and financing.": the lead's intents that weigh at least
    /// `topicWeight`, heaviest first, then what the call itself shows (prices, the steps named).
    static func topics(_ r: CallReading, steps: [CallNextStep]) -> String {
        var names = r.topicWeights.enumerated().filter { $0.element.weight >= topicWeight }
            .sorted { $0.element.weight != $1.element.weight ? $0.element.weight > $1.element.weight : $0.offset < $1.offset }
            .map { topicName($0.element.intent) }
        if !r.prices.isEmpty { names.append(topicName(.priceQuestion)) }
        for step in steps.reversed() {
            switch step.kind {
            case .showing: names.append(topicName(.scheduleShowing))
            case .offer: names.append(topicName(.offer))
            case .listingAppointment: names.append("listing the home")
            case .lender: names.append(topicName(.financing))
            case .sendDocuments, .callBack, .meeting: break
            }
        }
        let ranked = names.uniqued().prefix(3)
        guard let last = ranked.last else { return "Discussed: no specific topic was recognised." }
        let list = ranked.count == 1 ? last : ranked.dropLast().joined(separator: ", ") + " and " + last
        return "Discussed: \(list)."
    }

    /// The summed confidence at which an intent is a topic of the call.
    static let topicWeight = 0.3

    /// "Lead's objections: price too high ("way too much"), timing ("not ready")."
    static func objections(_ found: [(objection: Objection, evidence: String)]) -> String {
        "Lead's objections: " + found.map { "\(objectionName($0.objection)) (\"\($0.evidence)\")" }.joined(separator: ", ") + "."
    }

    /// "Prices named: agent $430,000, lead $415,000 (list price $430,000)."
    static func prices(_ prices: [CallPrice], listing: Listing?) -> String {
        let parts = prices.prefix(6).map { p -> String in
            let amount = ReplyContext.formatPrice(p.amount)
            switch p.speaker {
            case .lead: return "lead \(amount)"
            case .agent: return "agent \(amount)"
            case .unknown: return amount
            }
        }
        var line = "Prices named: " + parts.joined(separator: ", ")
        if let list = listing?.price { line += " (list price \(ReplyContext.formatPrice(list)))" }
        return line + "."
    }

    /// The next step, up to two other steps, and the times said that neither of them uses.
    static func nextStep(_ next: CallNextStep?, all: [CallNextStep], optOut: String?, dates: [String]) -> String {
        var line: String
        var used: [String] = []
        if let optOut {
            line = "Next step: none. The lead asked not to be contacted again" + (optOut.isEmpty ? "" : " (\"\(optOut)\")") + ": do not call or text."
        } else if let next {
            line = "Next step: \(next.phrase) (\"\(next.evidence)\")."
            used = [next.when].compactMap { $0 }
            let kinds = all.reversed().filter { $0.kind != next.kind }.map(\.kind).uniqued().prefix(2)
            let others = kinds.compactMap { kind in all.last { $0.kind == kind } }
            if !others.isEmpty { line += " Also: \(others.map { lowercasedFirst($0.phrase) }.joined(separator: ", "))." }
            used += others.compactMap(\.when)
        } else {
            line = "Next step: none agreed on the call; follow up within a day."
        }
        let mentioned = dates.filter { d in !used.contains { $0 == d || $0.hasSuffix(" " + d) } }.prefix(3)
        if !mentioned.isEmpty { line += " Times mentioned: \(mentioned.joined(separator: ", "))." }
        return line
    }

    /// The days and times said, as spoken, without repeats and without a bare "Saturday" or
    /// "at 3pm" when "Saturday at 3pm" was said too.
    static func distinctDates(_ mentions: [DateMention]) -> [String] {
        let whole = mentions.filter { $0.spokenDay != nil && $0.hour != nil }
        let kept = mentions.filter { m in
            if m.spokenDay != nil, m.hour == nil { return !whole.contains { $0.spokenDay == m.spokenDay } }
            if m.hour != nil, m.spokenDay == nil { return !whole.contains { $0.hour == m.hour && $0.minute == m.minute } }
            return true
        }
        return kept.map(\.spoken).uniqued()
    }

    /// "Send the disclosures" → "send the disclosures", for a phrase inside a sentence.
    static func lowercasedFirst(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }

    static func topicName(_ intent: Intent) -> String {
        switch intent {
        case .scheduleShowing: return "a showing"
        case .rescheduleCancel: return "rescheduling"
        case .callbackRequest: return "a call back"
        case .priceQuestion: return "the price"
        case .financing: return "financing"
        case .availability: return "availability"
        case .propertyQuestion: return "the property's details"
        case .offer: return "an offer"
        case .sellInquiry: return "selling a home"
        case .buyInquiry: return "buying a home"
        case .notInterested: return "the lead not being interested"
        case .wrongNumber: return "a wrong number"
        case .optOut: return "stopping contact"
        case .humanRequest, .objection, .positiveAck, .other: return intent.rawValue
        }
    }

    static func objectionName(_ o: Objection) -> String {
        switch o {
        case .priceTooHigh: return "price too high"
        case .commission: return "commission"
        case .timing: return "timing"
        case .hasAgent: return "already has an agent"
        case .decisionMaker: return "needs to consult someone"
        case .justBrowsing: return "just browsing"
        case .waitMarket: return "waiting on the market"
        case .trust: return "trust"
        }
    }
}
