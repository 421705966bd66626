/// An objection with the words that showed it.
public struct DetectedObjection: Sendable, Hashable, Codable {
    public let objection: Objection
    public let evidence: [String]
}

/// Finds objections by phrase. Each objection is a reason not to move forward, so the phrases
/// are written as a lead says them, and look-alikes that are questions or agreement are left out
/// ("is the price too high ?" still counts; "the price is fine" does not).
public enum ObjectionDetector {
    static let lexicon = PhraseLexicon<Objection>([
        .priceTooHigh: [
            "too high|expensive|pricey|steep|much|rich", "way|waaay|too overpriced|over", "overpriced|over-priced|overpricing",
            "over priced", "out of my|our|the price|budget|range", "can't|cant|cannot|couldn't afford", "not worth", "price is crazy|insane|ridiculous|nuts",
            "asking price is|seems too|way|crazy|high|insane|nuts", "priced too high", "above my|our budget", "more than i|we can|want|wanted",
            "too rich for", "bit|little pricey|steep|high|much", "over my|our budget", "price too high", "prices are insane|crazy|nuts",
            "muy caro|cara", "demasiado caro", "outside my|our budget|range",
        ],
        .commission: [
            "commission|commissions", "your fee|fees|cut", "realtor|agent|broker|listing fee|fees", "6|5|six|five percent|% to|for an|the agent|realtor|you",
            "sell it myself|ourselves", "sell myself|ourselves", "sell on my|our own", "no agent", "without an agent|realtor", "by owner", "fsbo", "for sale by owner", "pay an|a agent|realtor",
            "why would i pay", "discount broker|brokerage|realtor", "flat fee", "1|one percent|% listing", "redfin|zillow offers|opendoor|offerpad",
            "cash offer companies|company", "we buy houses", "comision",
        ],
        .timing: [
            "not ready", "not yet", "too soon", "too early", "bad time", "not the right time", "not right now", "not now",
            "maybe later", "later this year", "after the holidays", "lease isn't|isnt up", "lease is not up", "in a few months",
            "not for a while", "not for another", "down the road", "next year", "until next year", "wait until|till after",
            "not in a hurry|rush", "no rush", "timing isn't|isnt right", "timing is not right", "busy right now", "not a good time", "todavia no",
        ],
        .hasAgent: [
            "already have an|a agent|realtor|broker", "already working with", "working with an|a|another|my agent|realtor|broker",
            "my agent|realtor|broker", "our agent|realtor|broker", "have a realtor|agent", "got a realtor|agent", "signed with",
            "my cousin|brother|sister|friend|uncle|aunt|dad|mom|mother|father|wife|husband|son|daughter is a realtor|agent|broker",
            "family member is a realtor|agent", "using another agent|realtor", "listed with", "under contract with an|another agent",
            "ya tengo agente|realtor",
        ],
        .decisionMaker: [
            "my|our wife|husband|spouse|partner|parents|family|fiance|fiancee|boyfriend|girlfriend|dad|mom|co-signer|cosigner|lender|attorney has|needs|wants|will|must|would|to",
            "talk|check|discuss|speak|consult to|with my|our wife|husband|spouse|partner|parents|family|fiance|fiancee|boyfriend|girlfriend|dad|mom",
            "run it by", "ask my wife|husband|spouse|partner|parents", "need to think about it", "think it over", "sleep on it",
            "let me discuss", "not my decision", "not up to me", "both need to|agree", "hablar con mi esposa|esposo",
        ],
        .justBrowsing: [
            "just looking", "just browsing", "just curious", "window shopping", "just checking", "only looking", "only browsing",
            "not serious", "not really looking", "not actively looking", "just seeing what's out there", "seeing what's out there",
            "just wanted to see", "just getting an idea", "just exploring", "curious what", "just researching", "solo estoy viendo",
        ],
        .waitMarket: [
            "rates to come|go down|drop|fall", "rates come|go down", "rates drop|fall", "rates are too high", "interest rates are",
            "prices to drop|fall|come|go down", "market to cool|crash|correct|settle|drop", "market crashes|crash|cools",
            "wait and see", "bubble", "waiting for the market", "wait for the market", "waiting on rates", "wait for rates",
            "waiting for rates", "prices drop|fall|come down", "rates go down", "wait for prices", "market is crazy|insane",
            "housing crash", "home prices are insane|crazy", "rates are insane|crazy|high|ridiculous",
        ],
        .trust: [
            "scam|scammer|scams|scammy", "is this legit|real", "are you legit|real", "legit ?", "how did you get my number|info",
            "where did you get my number|info", "who gave you my number|info", "don't trust|dont trust", "sketchy", "spam",
            "fake", "who is this", "who's this", "whos this", "never heard of you", "suspicious", "phishing",
        ],
    ])

    public static func detect(_ tokens: [Token]) -> [DetectedObjection] {
        var byKind: [Objection: [String]] = [:]
        for m in lexicon.matches(in: tokens) {
            // "not too high" and "isn't too expensive" deny the objection.
            if m.start > 0, ["not", "isn't", "isnt", "never"].contains(tokens[m.start - 1].text), m.label == .priceTooHigh { continue }
            if m.label == .timing, tokens[m.start].text == "next", tokens.indices.contains(m.end), tokens[m.end].text == "week" { continue }
            byKind[m.label, default: []].append(tokens.phrase(m.start, m.end))
        }
        return Objection.allCases.compactMap { kind in
            byKind[kind].map { DetectedObjection(objection: kind, evidence: $0.uniqued()) }
        }
    }
}
