/// Recognises tactics in what a party says. Numeric tactics (an extreme anchor, silence after
/// an offer) are read from the offers in `NegotiationState`.
enum TacticDetector {
    static let phrases = PhraseLexicon<DetectedTactic.Kind>([
        .finalOffer: [
            "final offer|price|answer", "best and final", "take it or leave it", "lowest i|we can|will|'ll go", "lowest i|we can do",
            "highest i|we can|will go", "can't|cant|cannot go any lower|higher|further|lower|higher", "not a penny|cent|dollar more|less",
            "that's|thats my|our limit|max|bottom", "firm", "non-negotiable", "non negotiable", "not negotiable", "walk away",
            "bottom line", "no lower", "no higher", "that's it", "final", "max i can", "all i can do",
        ],
        .meetInTheMiddle: ["meet in the middle", "split the difference", "meet halfway", "meet you halfway", "split it", "somewhere in between", "meet in between", "middle ground"],
        .timePressure: [
            "other offers", "another offer", "another buyer", "other buyers", "someone else", "multiple offers", "today only",
            "by tonight", "by tomorrow", "deadline", "first come", "need an answer", "need to know by", "before the weekend",
            "going fast", "lots of interest", "a lot of interest", "expires", "offer expires", "other people", "many people",
            "someone is coming", "others interested", "in the next hour", "right now or",
        ],
        .nibbling: [
            "throw in", "toss in", "include the|it", "also cover|include|leave|fix", "can you also", "cover closing costs",
            "closing costs", "leave the", "plus the", "and you deliver", "deliver it|for free", "free delivery", "for free",
            "credit for", "seller credit", "home warranty",
        ],
    ])

    static func detect(_ tokens: [Token], party: Side, turn: Int) -> [DetectedTactic] {
        var seen = Set<DetectedTactic.Kind>()
        var out: [DetectedTactic] = []
        for m in phrases.matches(in: tokens) where !seen.contains(m.label) {
            // "final" alone is weak: "final walkthrough" is logistics.
            if m.pattern == "final", m.end < tokens.count, ["walkthrough", "walk-through", "inspection", "approval", "papers"].contains(tokens[m.end].text) { continue }
            seen.insert(m.label)
            out.append(DetectedTactic(kind: m.label, party: party, turn: turn, evidence: tokens.phrase(m.start, m.end)))
        }
        return out
    }
}
