/// How soon the lead means to act.
public struct Timeline: Sendable, Hashable, Codable {
    public enum Urgency: String, Sendable, Codable, Hashable, Comparable {
        case none, low, medium, high, immediate

        var rank: Int { [.none, .low, .medium, .high, .immediate].firstIndex(of: self) ?? 0 }
        public static func < (a: Urgency, b: Urgency) -> Bool { a.rank < b.rank }
    }

    /// The horizon normalised to days from now; nil when the message gives none.
    public let horizonDays: Int?
    public let urgency: Urgency
    public let evidence: [String]

    public static let unknown = Timeline(horizonDays: nil, urgency: .none, evidence: [])

    /// The level that goes with a horizon: within 2 days immediate, a week high, 45 days medium.
    public static func urgency(forDays days: Int) -> Urgency {
        switch days {
        case ...2: return .immediate
        case ...10: return .high
        case ...45: return .medium
        default: return .low
        }
    }
}

/// Reads timelines: fixed phrases ("asap", "this weekend", "before school starts", "next year")
/// and counted ones ("in 3 months", "within two weeks", "lease ends in 60 days").
public enum TimelineExtractor {
    static let phrases = PhraseLexicon<Int>([
        ("asap|a.s.a.p|urgent|urgently|immediately|emergency", 1),
        ("right away|now", 1),
        ("as soon as possible", 1),
        ("today|tonight|hoy", 0),
        ("tomorrow|tmrw|tmr|tomorow", 1),
        ("this week", 5),
        ("this weekend", 4),
        ("next week", 10),
        ("next weekend", 10),
        ("this month", 25),
        ("end of the|this month", 25),
        ("next month", 45),
        ("couple|few weeks", 21),
        ("couple [of] months", 60),
        ("few months", 90),
        ("before school starts", 75),
        ("before the school year", 75),
        ("this summer|spring|fall|winter", 120),
        ("by summer|spring|fall|winter", 120),
        ("end of the year", 200),
        ("by the end of the year", 200),
        ("this year", 200),
        ("after the holidays", 60),
        ("next year", 365),
        ("next spring|summer|fall|winter", 300),
        ("someday|eventually|one day", 720),
        ("no rush|hurry", 365),
        ("not in a rush|hurry", 365),
        ("in no rush|hurry", 365),
        ("few years", 900),
        ("a year or two", 540),
    ])
    static let units: WordMap<Int> = [
        "day": 1, "days": 1, "week": 7, "weeks": 7, "wk": 7, "wks": 7, "month": 30, "months": 30, "mo": 30,
        "mos": 30, "year": 365, "years": 365, "yr": 365, "yrs": 365, "dias": 1, "semanas": 7, "meses": 30,
    ]
    static let countCues: WordSet = ["in", "within", "next", "about", "around", "roughly", "under", "over", "than", "en", "ends"]

    public static func extract(_ tokens: [Token]) -> Timeline {
        var best: (days: Int, evidence: String)?
        for m in phrases.matches(in: tokens) {
            // "now" only counts when it asks for action ("call me now"), not "right now I'm just looking".
            if tokens[m.start].text == "now", m.start + 1 < tokens.count, tokens[m.start + 1].kind == .word { continue }
            let text = tokens.phrase(m.start, m.end)
            if best.map({ m.label < $0.days }) ?? true { best = (m.label, text) }
        }
        for (i, t) in tokens.enumerated() where i > 0 {
            guard let unit = units[t], countCues.contains(tokens[max(0, i - 2)]) || countCues.contains(tokens[i - 1])
                || (i >= 3 && countCues.contains(tokens[i - 3])) else { continue }
            // "in 3 months", "in a couple of months", "within two weeks", "60-90 days"
            var count = 1.0
            if tokens[i - 1].kind == .number || NumberWords.units[tokens[i - 1]] != nil || NumberWords.tens[tokens[i - 1]] != nil {
                var s = i - 1
                while s > 0, tokens[s - 1].kind == .word, NumberWords.tens[tokens[s - 1]] != nil { s -= 1 }
                if let r = NumberWords.read(tokens, at: s) { count = r.value } else if let first = tokens[i - 1].text.split(separator: "-").first, let v = Double(first) { count = v }
            } else if !["a", "an", "one", "next", "couple", "few"].contains(tokens[i - 1].text) {
                continue
            }
            let days = Int((count * Double(unit)).rounded())
            let start = max(0, i - 2)
            if best.map({ days < $0.days }) ?? true { best = (days, tokens.phrase(start, i + 1)) }
        }
        guard let best else { return .unknown }
        return Timeline(horizonDays: best.days, urgency: Timeline.urgency(forDays: best.days), evidence: [best.evidence])
    }
}
