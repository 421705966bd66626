/// The phrase rules behind `CallNextStep`, as a lead or agent says them on a call.
enum CallNextStepRules {
    static let lexicon = PhraseLexicon<CallNextStep.Kind>([
        .showing: [
            "see|tour|view|visit|show [you|them] [the|this|that] house|home|place|property|condo|unit|townhouse|townhome|apartment",
            "come|go see|look it|the|this|that", "show you|y'all|them around", "a|your|our|private showing|tour|viewing|walkthrough|walk-through",
            "open house", "book|schedule|set|lock [up|in] a|the showing|tour|viewing|visit",
        ],
        .meeting: [
            "meet you|there at the|this house|home|place|property|condo|unit",
            "meet you|there on|tomorrow|saturday|sunday|monday|tuesday|wednesday|thursday|friday",
            "see you there|at|on|saturday|sunday|monday|tuesday|wednesday|thursday|friday|tomorrow",
        ],
        .offer: [
            "write|writing|draft|drafting|submit|submitting|prepare|preparing [up] an|the|our|your offer",
            "write|draft it up", "make|making an|our|the offer", "put|putting in|together an|the|our offer", "put|putting an|the|our offer in|together",
        ],
        .sendDocuments: [
            "send|email|text|forward|sending|emailing|texting|shoot [you|me|over|them|him|her] [you|me|over] [the|those|these|a|some|my|your|our] disclosures|disclosure|comps|paperwork|documents|docs|contract|contracts|listing|details|info|information|link|report|cma|photos|pictures|pics|breakdown|numbers|estimate|agreement|application",
        ],
        .callBack: [
            "call|ring|phone you|me|him|her|them|us back", "call back", "get back to you|me|us", "i'll|we'll|will|let's|let follow up", "follow up with you|tomorrow|later|next|then|soon", "touch|check base|in",
            "circle back", "give you|me|us a call|ring", "talk|speak tomorrow|later|soon|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday|then|tonight",
            "call you|me tomorrow|later|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|on|after|in|at|this|next|around|before|then",
        ],
        .lender: [
            "get|getting pre-approved|preapproved|prequalified|pre-qualified", "get|getting a pre-approval|preapproval",
            "talk|speak|speaking|talking to|with a|my|the|your|our lender|lenders|lender's", "connect|put you with a|my|our lender", "put you in touch with a|my|our lender",
            "loan officer",
        ],
        .listingAppointment: [
            "listing appointment|presentation|agreement", "home|house|property valuation|evaluation", "price your|the home|house|place",
            "list your|the home|house|place",
        ],
    ])

    /// Negations that cancel a step said just before it ("I don't want to see the house").
    static let negators: WordSet = ["not", "don't", "dont", "no", "never", "won't", "wont", "can't", "cant", "cannot", "didn't", "didnt", "shouldn't"]

    /// One step phrase found in a turn, with the days and times of its own sentence.
    struct Found {
        let kind: CallNextStep.Kind
        let evidence: String
        let object: String?
        let sentenceDates: [DateMention]
    }

    /// The steps in the turn's tokens, left to right, without negated ones or overlaps.
    static func steps(in tokens: [Token]) -> [Found] {
        var out: [Found] = []
        var covered = 0
        for m in lexicon.matches(in: tokens) where m.start >= covered {
            if negated(tokens, before: m.start) { continue }
            let object = m.label == .sendDocuments ? tokens[m.end - 1].text : nil
            out.append(Found(kind: m.label, evidence: tokens.phrase(m.start, m.end), object: object, sentenceDates: dates(inSentenceOf: m.start, tokens)))
            covered = m.end
        }
        return out
    }

    /// Dates in the sentence holding token `i`: "I'll see you Saturday at 3, and send the
    /// disclosures tonight" gives each step its own time.
    static func dates(inSentenceOf i: Int, _ tokens: [Token]) -> [DateMention] {
        let sentence = tokens[i].sentence
        var state = ExtractionState(tokens: tokens.filter { $0.sentence == sentence }, context: AnalysisContext())
        // Phone numbers first, as in a full extraction, so their digits are never read as times.
        ContactRecognizer.run(&state)
        DateRecognizer.run(&state)
        return state.entities.dates
    }

    /// A negation within four tokens before, in the same clause ("No, could we see it" asks);
    /// "can't wait to" is eagerness.
    static func negated(_ tokens: [Token], before start: Int) -> Bool {
        var i = start - 1
        while i >= 0, i >= start - 4, tokens[i].sentence == tokens[start].sentence, tokens[i].kind != .symbol {
            if negators.contains(tokens[i]) {
                let eager = i + 1 < tokens.count && tokens[i + 1].text == "wait"
                return !eager
            }
            i -= 1
        }
        return false
    }
}
