/// What turns a request about the messages around, for opt-out rule 4 (and the phrase rules that
/// share it): a negation, a narrowing, someone else's messages, a request for other contact.
extension OptOutObjectRules {
    static let negators: WordSet = [
        "not", "don't", "dont", "never", "didn't", "didnt", "won't", "wont", "can't", "cant", "cannot", "shouldn't",
        "shouldnt", "wouldn't", "wouldnt", "doesn't", "doesnt", "nunca",
    ]
    /// Words between a negator and the verb it negates ("don't you ever stop", "don't want to cancel").
    static let negationGap: WordSet = [
        "please", "pls", "plz", "just", "you", "u", "to", "want", "wanna", "need", "ever", "really", "i", "we",
        "make", "let", "like", "would", "i'd", "id", "que", "me", "nos", "se", "los", "quiero", "queremos",
    ]

    /// A negator governing the word at `start`: "don't stop", "never want to cancel", "no paren".
    /// English "no" is left out: "no, stop the texts", "no please stop" are opt-outs.
    static func negated(_ t: [Token], before start: Int, spanish: Bool) -> Bool {
        var k = start - 1
        while k >= 0, t[k].sentence == t[start].sentence, t[k].kind == .word {
            if negators.contains(t[k]) || (spanish && t[k].text == "no") { return true }
            if !negationGap.contains(t[k]) { return false }
            k -= 1
        }
        return false
    }

    /// Words after the object that narrow the request to some of the messages or some of the time
    /// ("no more texts after 9pm", "stop the emails to my husband", "no más mensajes en inglés").
    static let narrowers: WordSet = [
        "until", "till", "til", "unless", "before", "after", "at", "during", "between", "tomorrow", "today", "tonight",
        "while", "instead", "except", "only", "for", "to", "on", "in", "besides", "hasta", "antes", "despues",
        "durante", "excepto", "salvo", "solo", "para", "en", "about", "regarding", "sobre", "acerca",
    ]
    /// After a narrowing preposition these keep the request whole: "for now", "to me", "on this
    /// number", "en mi celular".
    static let wholeAgain: WordSet = ["me", "us", "now", "good", "ever", "real", "mi", "nosotros", "ahora", "siempre"]
    static let ownPhone: WordSet = ["number", "phone", "cell", "numero", "telefono", "celular"]
    /// "stop the calls this week", "no more texts every morning": some of the time only.
    static let timeNouns: WordSet = [
        "week", "weekend", "weekends", "month", "morning", "mornings", "afternoon", "evening", "evenings", "night",
        "nights", "day", "days", "year", "time", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    static let hours: WordSet = ["late", "early", "often", "frequently", "much", "tarde", "temprano", "seguido", "noche"]

    /// True when the words after the object at `i` narrow it.
    static func narrows(_ t: [Token], _ i: Int, _ sentence: Int) -> Bool {
        var j = i
        while j < t.count, t[j].sentence == sentence, ["please", "pls", "plz"].contains(t[j].text) { j += 1 }
        guard j < t.count, t[j].sentence == sentence else { return false }
        let after = t[(j + 1)...].prefix(2).filter { $0.sentence == sentence }
        // "stop the alerts from going to my old email": kept from doing something, not ended.
        if t[j].text == "from", let first = after.first, first.text.hasSuffix("ing") { return true }
        if ["this", "next", "every", "each", "on"].contains(t[j].text), let first = after.first, timeNouns.contains(first) { return true }
        // "no me manden nada a mi correo": to another channel ("a este número" keeps it whole).
        if ["a", "al"].contains(t[j].text), after.count == 2, ["mi", "su"].contains(after[0].text), !ownPhone.contains(after[1]) { return true }
        // "estos mensajes tan tarde", "these texts so early": some of the time.
        if ["so", "too", "tan", "muy"].contains(t[j].text), let first = after.first, hours.contains(first) { return true }
        // "these texts going to my work phone": some of the phones ("…going to this number" is whole).
        // ("…coming to me", "…going forward" are whole).
        if ["going", "coming", "sent", "llegando"].contains(t[j].text) {
            let rest = Array(t[(j + 1)...].prefix(3).filter { $0.sentence == sentence })
            let whole = rest.contains { wholeAgain.contains($0) || $0.text == "forward" } || rest.count == 3 && ["this", "este"].contains(rest[1].text) && ownPhone.contains(rest[2])
            return !whole
        }
        guard narrowers.contains(t[j]) else { return false }
        if let first = after.first, wholeAgain.contains(first) { return false }
        return !after.contains { ownPhone.contains($0) }
    }

    /// Someone else's messages: an agent cannot opt a lead out of them, and asking is not an opt-out.
    static let thirdParties: WordSet = [
        "zillow", "zillow's", "zillows", "redfin", "redfin's", "trulia", "trulia's", "craigslist", "facebook",
        "hotpads", "opendoor", "offerpad", "lender", "lender's", "lenders", "bank", "bank's", "hoa", "hoa's",
        "builder", "builder's", "banco",
    ]
    /// The same said with a word: "the other alerts", "her messages", "sus otros mensajes".
    static let othersOwn: WordSet = ["other", "others", "their", "his", "her", "otros", "otras", "otro", "otra"]

    /// Someone else's messages: a third party inside the phrase ("the Zillow alerts", "the other
    /// texts") or named just after it ("the alerts from Redfin").
    static func aimsElsewhere(_ t: [Token], _ o: Object, sentence: Int) -> Bool {
        if t[o.start..<o.end].contains(where: { thirdParties.contains($0) || othersOwn.contains($0) }) { return true }
        guard o.end < t.count, t[o.end].sentence == sentence, ["from", "by", "on", "through", "via", "de", "del"].contains(t[o.end].text) else { return false }
        return t[(o.end + 1)...].prefix(2).contains { $0.sentence == sentence && (thirdParties.contains($0) || othersOwn.contains($0)) }
    }

    /// A third party named in the clause after `start` ("unsubscribe me from the Zillow alerts you
    /// set up", "no more emails from the HOA"), for rules that take no object phrase. The clause
    /// ends at punctuation: "unsubscribe me, I'll just use Zillow" still opts out.
    static func namesThirdParty(_ t: [Token], after start: Int) -> Bool {
        guard start < t.count else { return false }
        let sentence = t[start].sentence
        return t[start...].prefix { $0.sentence == sentence && $0.kind == .word }.prefix(8).contains { thirdParties.contains($0) || othersOwn.contains($0) }
    }

    static let contactVerbs: WordSet = ["send", "text", "email", "call", "ring", "phone", "message", "contact", "reach", "dm", "whatsapp"]
    static let openers: WordSet = ["and", "but", "just", "only", "please", "pls", "then", "instead", "so", "&", "+", ","]
    static let someone: WordSet = ["someone", "somebody", "person", "human", "agent", "manager", "broker", "realtor"]
    static let spanishChannels: WordSet = ["texto", "textos", "mensaje", "mensajes", "llamada", "llamadas", "correo", "email", "whatsapp", "telefono"]
    static let spanishContact: WordSet = [
        "llamenme", "escribanme", "mandenme", "envienme", "contactenme", "llamame", "escribeme", "mandame", "enviame",
        "mandenmelos", "envienmelos", "mandamelos", "enviamelos", "mandenmelas", "envienmelas", "reenvienmelos",
    ]

    /// A request for other contact after the stop word turns it around: "stop with the automated
    /// messages and have someone real call me", "…and just send me your own picks", "stop texting
    /// my wife, text me instead", "mejor llámenme", read in the rest of the sentence. "…and don't
    /// call me", "text me again and I'll report you" and "…I'll use another agent instead" are no
    /// such request.
    static func asksForOtherContact(_ t: [Token], after end: Int) -> Bool {
        guard end < t.count else { return false }
        let sentence = t[end].sentence
        var k = end
        while k < t.count, t[k].sentence == sentence {
            let w = t[k].text
            if w == "instead" || (w == "vez" && k > 0 && t[k - 1].text == "en"),
                t[end..<k].contains(where: { contactVerbs.contains($0) || spanishContact.contains($0) })
            {
                return true
            }
            // "keep sending them" asks for more; "you keep texting me" complains.
            if ["keep", "sigan", "sigue"].contains(w), k + 1 < t.count, ["sending", "texting", "them", "the", "mandando", "enviando"].contains(t[k + 1].text),
                !(k > 0 && ["you", "u", "y'all", "yall", "guys"].contains(t[k - 1].text))
            {
                return true
            }
            if spanishContact.contains(t[k]), !negated(t, before: k, spanish: true) { return true }
            // "…, mejor por texto", "mejor llámenme": another channel preferred.
            if w == "mejor", t[(k + 1)...].prefix(3).contains(where: { $0.sentence == sentence && (spanishChannels.contains($0) || spanishContact.contains($0)) }) { return true }
            if contactVerbs.contains(t[k]), k + 1 < t.count, ["me", "us", "her", "him"].contains(t[k + 1].text),
                !(k + 2 < t.count && ["again", "ever", "anymore", "one"].contains(t[k + 2].text))
            {
                let window = t[max(end, k - 3)..<k]
                let refused = window.contains { negators.contains($0) || OptOutRules.carrierKeywords.contains($0) || $0.text == "no" }
                let opened = k == end || openers.contains(t[k - 1]) || window.contains { someone.contains($0) }
                if !refused, opened { return true }
            }
            k += 1
        }
        return false
    }

    /// Verbs that pass a request on: "tell the lender to stop calling me", "get the HOA to stop",
    /// "can you make them stop calling me?".
    static let passers: WordSet = ["get", "tell", "ask", "have", "make", "want", "need", "told", "asked", "got", "convince"]
    /// Who may stand between such a verb and the stop with the request still ours.
    static let ourSide: WordSet = [
        "you", "u", "y'all", "yall", "ya'll", "guys", "all", "of", "your", "ur", "team", "people", "folks", "staff", "office", "company", "assistant",
    ]
    /// What may stand there for the messages: "make them stop", "get these to stop".
    static let standIns: WordSet = ["these", "those", "them", "it", "this"]
    static let receivingForms: WordSet = ["getting", "receiving", "get", "receive"]

    /// True when the stop word at `start` is asked of someone else who sends ("is there a way to
    /// get the HOA to stop texting?", "tell the seller to stop countering", "make them stop
    /// calling me"). Asked of us ("I need you to stop"), of the messages ("make them stop") or of
    /// the lead's family as receivers ("I want my husband to stop getting these texts") it is ours.
    static func passedOn(_ t: [Token], before start: Int) -> Bool {
        let sentence = t[start].sentence
        let next: Token? = start + 1 < t.count && t[start + 1].sentence == sentence && t[start + 1].kind == .word ? t[start + 1] : nil
        if let next, receivingForms.contains(next) { return false }
        var k = start - 1
        if k >= 0, t[k].text == "to" { k -= 1 }
        var between: [Token] = []
        while k >= 0, k >= start - 6, t[k].sentence == sentence, t[k].kind == .word {
            if passers.contains(t[k]) {
                if between.isEmpty || between.allSatisfy({ ourSide.contains($0) }) { return false }
                // "make them stop" is the messages; "make them stop calling me" people who call.
                if between.allSatisfy({ standIns.contains($0) }) { return next?.text.hasSuffix("ing") ?? false }
                return true
            }
            // "I've told you multiple times to stop": how often is not who.
            if !OptOutRules.repeats.contains(t[k]) { between.append(t[k]) }
            k -= 1
        }
        return false
    }
}
