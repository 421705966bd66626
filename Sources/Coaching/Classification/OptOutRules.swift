/// Opt-out detection: 100% recall on carrier keywords, high precision on natural phrasing.
///
/// Three rules, in order of strength:
/// 1. **Keyword clause** — a sentence made only of carrier keywords (STOP, STOPALL, UNSUBSCRIBE,
///    CANCEL, END, QUIT; ALTO, PARAR, CANCELAR…) and filler ("please", "now", "thanks"). This is
///    what carriers act on, so it is matched exactly and never overruled.
/// 2. **Unambiguous keywords** anywhere — "stopall", "unsubscribe", "opt out", or STOP written in
///    capitals inside a message that is not all capitals ("Not interested. STOP").
/// 3. **Phrases** — "take me off your list", "lose my number", "don't text me again", and the
///    Spanish "no me envíen más mensajes" — each guarded against its look-alikes: "stop by the
///    house", "don't stop sending listings", "can we cancel Saturday's showing".
enum OptOutRules {
    /// The CTIA opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT)
    /// plus common variants; "remove" alone means the same in practice.
    static let carrierKeywords: WordSet = ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt-out", "unsub", "stahp", "stopp", "remove"]
    static let spanishKeywords: WordSet = ["alto", "parar", "para", "cancelar", "baja", "detener", "basta", "paren", "pare"]
    static let fillers: WordSet = [
        "please", "pls", "plz", "plez", "now", "thanks", "thank", "you", "thx", "ok", "okay", "just", "txt",
        "text", "texts", "texting", "me", "it", "all", "i", "said", "already", "again", "sms", "por", "favor",
        "ya", "gracias", "reply", "no", "more", "u", "the", "messages", "message", "y", "stop", "x", "lol",
        "not", "interested", "wrong", "number", "this", "is", "a", "who", "mas", "seriously", "omg", "dude",
    ]
    /// Words that make a lone "stop" at the end of a sentence a noun, not a command.
    static let stopNounModifiers: WordSet = ["bus", "pit", "one", "full", "last", "first", "next", "a", "the", "truck", "rest", "quick", "another", "train", "brief", "short", "final", "every", "each", "no"]
    /// "don't stop texting me" keeps contact; "please stop texting me" ends it.
    static let negators: WordSet = ["don't", "dont", "do", "not", "never", "didn't", "didnt", "won't", "wont"]

    static let phrases = PhraseLexicon<String>([
        // stop + what we do to them
        ("stop|quit|cease texting|messaging|contacting|calling|sending|emailing|bothering|spamming|harassing|hitting|txting|texing|msging|blowing|pestering", "stop_doing"),
        ("stop|quit text|message|contact|call|email|bother|spam|harass|txt [me|us|my|this]", "stop_doing"),
        // list removal
        ("take|get|remove|delete|drop|scratch|put me off|from [of] [your|the|this|ur|all|my|these|those] [texting|text|mailing|contact|call|sms|marketing|email|distribution] list|lists|contacts|list.|database|system", "list_removal"),
        ("take|get|remove|delete|drop|put me off|from [of] [your|the|this|ur|all] [texting|text|mailing|contact|call|sms|marketing|email|distribution] list|lists|contacts|database|system", "list_removal"),
        ("remove|delete|erase|lose|forget|drop|scratch my|this number|info|contact|information|phone|cell", "lose_number"),
        // "I want off this list", "keep me off your list" (but not "we crossed it off the list")
        ("want|wanna|need|like|be|being|keep|stay off [of] your|the|this|ur|that|all [texting|text|mailing|contact|call|sms|marketing|email] list|lists", "list_removal"),
        ("keep me off", "list_removal"),
        ("remove|delete|erase me", "remove_me"),
        ("take|get|remove|delete|drop|put this|my number|phone|cell off|from [of] [your|the|this|ur|all] [texting|text|mailing|contact|call|sms|marketing] list|lists|contacts|database|system", "list_removal"),
        ("cease|stop|end|halt all|any communication|communications|contact|messages|texts|correspondence", "stop_doing_all"),
        ("enough with|of the|your|these texts|messages|calls|spam", "enough"),
        ("don't|dont|not want to receive|get [any|these|those|more|your|the] [more] texts|messages|calls|emails|sms", "dont_want"),
        ("unsubscribe|unsub", "unsubscribe"),
        ("opt out|me", "opt_out"),
        ("optout|opt-out", "opt_out"),
        ("stopall", "stopall"),
        // don't contact me
        ("don't|dont|do|never|pls|please|stop not|don't|dont [ever] text|txt|message|msg|contact|call|email|bother|sms|reach me|us|this", "dont_contact"),
        ("don't|dont|never text|txt|message|msg|contact|call|email|bother|sms me|us|this", "dont_contact"),
        ("no more texts|messages|msgs|calls|texting|messaging|contact|emails|sms", "no_more"),
        ("leave me|us alone", "leave_alone"),
        ("i|we don't|dont|do [not] want [any] [more|your] texts|messages|calls|emails|contact", "dont_want"),
        ("i|we don't|dont|do [not] want to be contacted|texted|messaged|called", "dont_want"),
        ("not want to be contacted|texted|messaged|called", "dont_want"),
        ("stop contact|contacting|texting|messaging", "stop_doing"),
        ("never contact|text|message|call me|us [again]", "dont_contact"),
        ("wrong|this number|person stop", "keyword_tail"),
        ("lose this|my number", "lose_number"),
        ("block|blocking|blocked you|your|this number", "block"),
        // Spanish
        ("no me|nos envien|envies|manden|mandes|escriban|escribas|contacten|llamen|textees|envie|mande|escriba|llame [mas]", "es_dont_contact"),
        ("dejen|deja|deje de enviarme|mandarme|escribirme|llamarme|contactarme|molestarme|enviar|mandar|escribir", "es_stop_doing"),
        ("borrenme|quitenme|eliminenme|saquenme|borreme|quiteme|sacame|borrame|quitame", "es_remove"),
        ("borren|quiten|eliminen|saquen mi numero", "es_remove"),
        ("no quiero|queremos [recibir] [mas] mensajes|textos|llamadas", "es_dont_want"),
        ("no mas mensajes|textos|llamadas", "es_no_more"),
        ("ya no quiero|queremos [recibir] [mas] mensajes|textos|llamadas", "es_dont_want"),
    ])

    /// Phrases that share words with opt-outs but are not: checked before a weaker match counts.
    static let lookAlikes = PhraseLexicon<String>([
        ("don't|dont|do|never not stop sending|texting|messaging|sending|the", "keep_sending"),
        ("stop by|in|over|at|past|through", "visit"),
        ("remove me from the|your waitlist|showing", "other_list"),
    ])

    static func evaluate(_ tokens: [Token], shouted: Set<String>) -> ComplianceFlag? {
        if let flag = keywordClause(tokens) { return flag }
        if let word = ["stop", "stopall", "unsubscribe"].first(where: shouted.contains) {
            return ComplianceFlag(kind: .optOut, evidence: [word.uppercased()], language: .english, rule: "capitalised_keyword")
        }
        let lookAlike = lookAlikes.matches(in: tokens)
        for m in phrases.matches(in: tokens) {
            // "don't stop sending listings": the phrase sits inside a look-alike → not an opt-out.
            if lookAlike.contains(where: { $0.start <= m.start && $0.end > m.start }) { continue }
            if m.label == "stop_doing", m.start > 0, negators.contains(tokens[m.start - 1]) { continue }
            if m.label == "stop_doing" || m.label == "dont_contact", !endsContactClause(tokens, at: m.end) { continue }
            let language: Language = m.label.hasPrefix("es_") ? .spanish : .english
            return ComplianceFlag(kind: .optOut, evidence: [tokens.phrase(m.start, m.end)], language: language, rule: "phrase:\(m.label)")
        }
        return nil
    }

    /// Words that may follow "stop texting" / "don't call me" in a real opt-out. Anything else
    /// ("stop calling the lender", "don't call me before noon", "don't call me, text") narrows
    /// or redirects the request instead of ending contact.
    static let contactClauseEnders: WordSet = [
        "me", "us", "my", "this", "these", "here", "now", "please", "pls", "plz", "immediately",
        "already", "asap", "or", "dude", "man", "lol", "omg", "wtf", "ok", "again", "anymore",
        "ever", "every", "forever", "period", "seriously", "number", "phone", "and", "sir", "maam",
        "further", "whatsoever", "going", "about", "thanks", "thank",
    ]
    static let redirections: WordSet = ["until", "till", "til", "before", "after", "at", "during", "between", "tomorrow", "today", "tonight", "while", "instead", "but", "on", "in"]

    static func endsContactClause(_ tokens: [Token], at end: Int) -> Bool {
        var j = end
        while j < tokens.count, tokens[j].kind == .word, ["me", "us", "this", "number", "again", "anymore", "please", "pls", "ever"].contains(tokens[j].text) { j += 1 }
        guard j < tokens.count else { return true }
        let next = tokens[j]
        if next.kind == .symbol || next.kind == .emoji {
            // "don't call me, text me instead" redirects to another channel.
            let rest = tokens[(j + 1)...].prefix(4).map(\.text)
            if next.text == ",", rest.contains("text") || rest.contains("email") || rest.contains("instead") { return false }
            return true
        }
        if redirections.contains(next) { return false }
        return j > end || contactClauseEnders.contains(next)
    }

    /// Rule 1: a sentence of keywords and filler only; also a trailing "stop" that is not a noun.
    static func keywordClause(_ tokens: [Token]) -> ComplianceFlag? {
        var sentenceStart = 0
        while sentenceStart < tokens.count {
            var end = sentenceStart
            while end < tokens.count, tokens[end].sentence == tokens[sentenceStart].sentence { end += 1 }
            let words = tokens[sentenceStart..<end].filter { $0.kind == .word }
            let keyword = words.first { carrierKeywords.contains($0.text) || spanishKeywords.contains($0.text) }
            if let keyword, words.allSatisfy({ fillers.contains($0.text) || carrierKeywords.contains($0.text) || spanishKeywords.contains($0.text) }) {
                // "para" is a preposition too: alone it is "stop", inside a sentence it is not.
                let onlySpanishPara = keyword.text == "para" && words.count > 1
                // "not interested" alone is not an opt-out, and neither is "the end".
                let hasKeyword = words.contains { carrierKeywords.contains($0.text) || spanishKeywords.contains($0.text) }
                let nounEnd = words.count >= 2 && ["end", "stop"].contains(words.last?.text ?? "") && stopNounModifiers.contains(words[words.count - 2].text)
                if hasKeyword, !onlySpanishPara, !nounEnd {
                    let language: Language = spanishKeywords.contains(keyword) ? .spanish : .english
                    return ComplianceFlag(kind: .optOut, evidence: [keyword.text], language: language, rule: "keyword")
                }
            }
            // "I didn't sign up for this, stop": the last comma clause is only keywords and filler.
            if let comma = tokens[sentenceStart..<end].lastIndex(where: { $0.text == "," }) {
                let clause = tokens[(comma + 1)..<end].filter { $0.kind == .word }
                if let keyword = clause.first(where: { carrierKeywords.contains($0) || spanishKeywords.contains($0) && $0.text != "para" }),
                    clause.allSatisfy({ fillers.contains($0) || carrierKeywords.contains($0) || spanishKeywords.contains($0) })
                {
                    let language: Language = spanishKeywords.contains(keyword) ? .spanish : .english
                    return ComplianceFlag(kind: .optOut, evidence: [keyword.text], language: language, rule: "keyword_clause")
                }
            }
            // "..., stop" / "not interested stop": the sentence ends on a bare stop command.
            if let last = words.last, last.text == "stop" || last.text == "stopall", words.count >= 2,
                !stopNounModifiers.contains(words[words.count - 2].text), !["to", "will", "can", "would", "should", "gonna", "could", "did", "let's", "lets", "must"].contains(words[words.count - 2].text)
            {
                if last.text == "stopall" || words.count <= 6 {
                    return ComplianceFlag(kind: .optOut, evidence: [last.text], language: .english, rule: "keyword_tail")
                }
            }
            sentenceStart = end
        }
        return nil
    }
}
