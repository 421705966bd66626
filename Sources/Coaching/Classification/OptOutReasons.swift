/// A bare "Stop" opening the message, followed by a reason to end contact: "Stop, I'm not
/// interested", "Please stop, we bought already", "Stop we found a house", "Alto, no me interesa",
/// "Basta, ya compramos casa".
///
/// A stop clause that stands alone ("Stop.", "Stop, not interested") is a keyword sentence and is
/// caught by rule 1; this covers the stop followed in the same sentence by words that are not
/// filler. The reason decides: "stop, let me check with my wife" asks us to wait and "Stop! That
/// price is amazing" is surprise, so only reasons to stop contact count — not interested, not
/// looking, bought or found a house or an agent, moved, wrong number, never signed up — and only
/// when they close their clause ("Stop, I'm not interested in that one" is about a house) and no
/// question follows ("Stop, we found a house we love, can we see it?").
enum OptOutReasons {
    static let stopWords: WordSet = ["stop", "alto", "basta", "paren"]
    static let spanishStops: WordSet = ["alto", "basta", "paren"]
    /// Words that may surround the stop in its clause: "ok please stop", "stop it already".
    static let stopFillers: WordSet = [
        "please", "pls", "plz", "ok", "okay", "just", "no", "omg", "dude", "seriously", "guys", "hey", "hi", "sorry",
        "but", "so", "yeah", "now", "it", "already", "thanks", "thank", "you", "por", "favor", "ya", "oh", "man",
    ]
    /// Words before the reason: "we already bought", "I'm not interested", "ya compramos".
    static let subjects: WordSet = [
        "i'm", "im", "i", "we", "we're", "were", "we've", "weve", "i've", "ive", "am", "are", "have", "has", "already",
        "just", "recently", "finally", "actually", "honestly", "sorry", "but", "and", "really", "ya", "yo", "nosotros", "no",
    ]
    /// What a reason says, which decides what may follow it.
    enum Kind: Sendable, Hashable {
        /// Not interested, not looking, wrong number, never signed up: the words after it must
        /// close it ("not interested anymore", not "not interested in that one").
        case declined
        /// Bought, found a house or an agent, moved: whatever follows describes it ("we bought a
        /// house in Oak Park") unless a question or a request does.
        case settled
        /// "who gave you my number?": a reason asked as a question.
        case asksNumber
    }
    struct Reason: Sendable, Hashable {
        let kind: Kind
        let language: Language
    }
    static func en(_ kind: Kind) -> Reason { Reason(kind: kind, language: .english) }
    static func es(_ kind: Kind) -> Reason { Reason(kind: kind, language: .spanish) }

    static let reasons = PhraseLexicon<Reason>([
        ("who gave you my number", en(.asksNumber)),
        ("how did you get my number", en(.asksNumber)),
        ("quien le|les|te dio mi numero", es(.asksNumber)),
        ("not|longer interested [in] [buying|selling|moving|anything]", en(.declined)),
        ("not|longer looking", en(.declined)),
        ("done looking", en(.declined)),
        ("not in the market", en(.declined)),
        // "Stop, I'm good", "Stop, we're all set"
        ("i'm|im|we're|were|i|we [am|are] [all] good|set", en(.declined)),
        ("not buying|selling", en(.declined)),
        ("wrong number|person|guy|girl", en(.declined)),
        ("never|didn't|didnt sign|signed up", en(.declined)),
        ("did not sign up", en(.declined)),
        ("don't|dont need|want [an|a|your] agent|realtor|help|services", en(.declined)),
        // "Please stop, I've asked multiple times": having asked before, said of the asking only.
        ("asked|told [you|u] [to] [stop] already|before|twice|multiple|several|many|so|a|like", en(.declined)),
        ("bought|purchased|closed", en(.settled)),
        ("found|got a|an|our|the|my house|home|place|realtor|agent|broker|buyer", en(.settled)),
        ("have|got a|an|our|my agent|realtor|broker", en(.settled)),
        ("went|going with another|a|someone", en(.settled)),
        ("working with another|an|a agent|realtor|broker", en(.settled)),
        // "we moved (out of state)", "we moved to Texas"; not "we moved the showing to 5".
        ("moved|relocated [away|out]", en(.declined)),
        ("moved|relocated to", en(.settled)),
        ("no me|nos interesa|interesan", es(.declined)),
        ("no estoy|estamos interesado|interesada|interesados|interesadas|buscando", es(.declined)),
        ("numero equivocado", es(.declined)),
        ("compramos|compre|encontramos|encontre", es(.settled)),
        ("tenemos|tengo agente|realtor|corredor", es(.settled)),
        ("nos mudamos", es(.settled)),
        ("me mude", es(.settled)),
    ])
    /// Words that may follow a reason and still close it: "bought a house already", "moved out
    /// of state", "went with someone else", "compramos casa ya".
    static let trailers: WordSet = [
        "already", "anymore", "elsewhere", "thanks", "thank", "you", "sorry", "ok", "okay", "lol", "at", "all", "now",
        "a", "an", "our", "the", "house", "home", "place", "one", "last", "week", "month", "year", "ago", "out", "of",
        "state", "town", "area", "with", "someone", "else", "another", "agent", "realtor", "please", "pls", "bye",
        "ya", "gracias", "casa", "otra", "otro", "por", "favor", "for", "this", "these", "any", "texts", "messages", "it", "on",
        "times", "many", "million", "few", "several", "twice", "days", "weeks", "ago",
    ]

    static func leadingStop(_ t: [Token], original: [Token]) -> ComplianceFlag? {
        // The stop clause: fillers and at least one stop word, from the start of the message
        // ("Hi, please stop, …").
        var i = 0
        var stop: Token? = nil
        while i < t.count, t[i].kind == .word ? stopWords.contains(t[i]) || stopFillers.contains(t[i]) : stop == nil && t[i].text == "," {
            if stopWords.contains(t[i]) { stop = t[i] }
            i += 1
        }
        guard let stop, i < t.count else { return nil }
        // A separator, or the reason straight after ("Stop I'm not interested").
        while i < t.count, t[i].kind == .symbol || t[i].kind == .emoji, t[i].text != "?" { i += 1 }
        var s = i
        while s < t.count, s < i + 3, t[s].kind == .word, subjects.contains(t[s]) { s += 1 }
        guard let reason = reasons.matches(in: t).first(where: { $0.start >= i && $0.start <= s }) else { return nil }
        switch reason.label.kind {
        case .asksNumber:
            break
        case .declined:
            // The reason closes its clause, and nothing after it asks a question.
            var end = reason.end
            while end < t.count, end < reason.end + 5, t[end].kind == .word, t[end].sentence == t[reason.start].sentence, trailers.contains(t[end]) { end += 1 }
            guard end == t.count || t[end].kind == .symbol || t[end].kind == .emoji || t[end].sentence != t[reason.start].sentence else { return nil }
            if t[reason.end...].contains(where: { $0.text == "?" }) { return nil }
        case .settled:
            // "Stop, we found a house we love, can we see it?"
            if t[reason.end...].contains(where: { $0.text == "?" }) { return nil }
        }
        // "Stop, I'm good, keep them coming", "…, send me the details".
        if OptOutObjectRules.asksForOtherContact(t, after: reason.end) { return nil }
        let language: Language = spanishStops.contains(stop) ? .spanish : reason.label.language
        return ComplianceFlag(kind: .optOut, evidence: [original.phrase(0, reason.end)], language: language, rule: "leading_stop")
    }
}
