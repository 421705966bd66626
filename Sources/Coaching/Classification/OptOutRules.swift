/// Opt-out detection: 100% recall on carrier keywords, high precision on natural phrasing.
///
/// Four rules, in order of strength, all read after `OptOutSpelling` has turned typos and
/// text-speak of the opt-out words into the words themselves ("stpo" → "stop", "msgs" → "messages"):
/// 1. **Keyword clause** — a sentence made only of carrier keywords (STOP, STOPALL, UNSUBSCRIBE,
///    CANCEL, END, QUIT; ALTO, PARAR, CANCELAR…) and filler ("please", "now", "thanks"). This is
///    what carriers act on, so it is matched exactly; the one exception is a lone lower-case
///    "Stop!" of surprise before delight and a question ("Stop! That price is amazing, is it
///    still available?").
/// 2. **Unambiguous keywords** anywhere — "stopall", "unsubscribe", "opt out", or STOP written in
///    capitals inside a message that is not all capitals ("Not interested. STOP").
/// 3. **Phrases** — "take me off your list", "lose my number", "don't text me again", and the
///    Spanish "no me envíen más mensajes" — each guarded against its look-alikes: "stop by the
///    house", "don't stop sending listings", "can we cancel Saturday's showing", and with rule 4's
///    guards against narrowing, someone else's messages and requests for other contact.
/// 4. **A stop word whose object is the messages** — "cancel these texts", "no more of these",
///    "paren con los mensajes", "I want these texts to stop" (`OptOutObjectRules`).
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
        ("no me|nos envien|envies|manden|mandes|escriban|escribas|contacten|contactes|contacte|llamen|llames|textees|envie|mande|escriba|llame|molesten|molestes [mas]", "es_dont_contact"),
        ("dejen|deja|deje|paren|pare|para de enviarme|mandarme|escribirme|llamarme|contactarme|molestarme|enviar|mandar|escribir", "es_stop_doing"),
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

    static func evaluate(_ original: [Token], shouted: Set<String>) -> ComplianceFlag? {
        let tokens = OptOutSpelling.normalized(original)
        if let flag = keywordClause(tokens, shouted: shouted) { return flag }
        if let word = ["stop", "stopall", "unsubscribe"].first(where: shouted.contains) {
            return ComplianceFlag(kind: .optOut, evidence: [word.uppercased()], language: .english, rule: "capitalised_keyword")
        }
        let lookAlike = lookAlikes.matches(in: tokens)
        for m in phrases.matches(in: tokens) {
            // "don't stop sending listings": the phrase sits inside a look-alike → not an opt-out.
            if lookAlike.contains(where: { $0.start <= m.start && $0.end > m.start }) { continue }
            if m.label == "stop_doing", m.start > 0, negators.contains(tokens[m.start - 1]) { continue }
            // "no dejen de mandarme casas" asks for more, like "don't stop sending".
            if m.label == "es_stop_doing", m.start > 0, tokens[m.start - 1].text == "no" { continue }
            if m.label == "stop_doing" || m.label == "dont_contact", !endsContactClause(tokens, at: m.end) { continue }
            // "stop sending me condos" narrows the search: what follows "sending" is judged as an
            // object by rule 4 ("stop sending me this crap", "quit sending me listings").
            if m.label == "stop_doing", ["sending", "send"].contains(tokens[m.end - 1].text), sendsSomething(tokens, after: m.end) { continue }
            // "no more texts after 9pm" narrows the hours instead of ending them.
            if m.label == "no_more" || m.label == "es_no_more", OptOutObjectRules.narrows(tokens, m.end, tokens[m.start].sentence) { continue }
            // "no me manden casas de dos pisos" narrows the search, like "stop sending me condos".
            if m.label == "es_dont_contact" || m.label == "es_stop_doing", narrowsWhatIsSent(tokens, after: m.end) { continue }
            // Someone else's messages ("unsubscribe me from the Zillow alerts", "no more emails from
            // the HOA") and requests for other contact ("stop texting my wife, text me instead").
            if OptOutObjectRules.asksForOtherContact(tokens, after: m.end) { continue }
            if ["unsubscribe", "opt_out", "no_more", "es_no_more"].contains(m.label), OptOutObjectRules.namesThirdParty(tokens, after: m.end) { continue }
            let language: Language = m.label.hasPrefix("es_") ? .spanish : .english
            return ComplianceFlag(kind: .optOut, evidence: [original.phrase(m.start, m.end)], language: language, rule: "phrase:\(m.label)")
        }
        return OptOutObjectRules.evaluate(tokens, original: original)
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

    /// True when "no me manden (más)", "dejen de mandar" are followed by things we send, narrowed
    /// ("casas de dos pisos", "casas en el centro").
    static func narrowsWhatIsSent(_ tokens: [Token], after end: Int) -> Bool {
        var j = end
        if j < tokens.count, tokens[j].text == "mas" { j += 1 }
        let sentence = tokens[end - 1].sentence
        guard let o = OptOutObjectRules.object(tokens, at: j, sentence: sentence, prepositions: []), o.head == .sent else { return false }
        return o.modifiers > 0 || !OptOutObjectRules.closesWhole(tokens, o.end, sentence)
    }

    /// True when a word other than a clause ender follows "sending (me)".
    static func sendsSomething(_ tokens: [Token], after end: Int) -> Bool {
        var j = end
        if j < tokens.count, ["me", "us"].contains(tokens[j].text) { j += 1 }
        return j < tokens.count && tokens[j].sentence == tokens[end - 1].sentence && tokens[j].kind == .word && !contactClauseEnders.contains(tokens[j])
    }

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

    /// Words of delight that make a lone "Stop!" before them an exclamation, not a command.
    static let delight: WordSet = [
        "amazing", "incredible", "unbelievable", "gorgeous", "stunning", "beautiful", "perfect", "love", "loving",
        "obsessed", "dream", "wow", "awesome", "fantastic", "increible", "hermosa", "preciosa", "encanta",
    ]

    /// "Stop! That price is amazing, is it still available?": a lone lower-case "stop!" followed by
    /// delight and a question is surprise. Written in capitals ("STOP") it stays a keyword.
    static func isExclamation(_ words: [Token], _ tokens: [Token], sentenceEnd end: Int, shouted: Set<String>) -> Bool {
        guard words.count == 1, words[0].text == "stop", !shouted.contains("stop"), end > 0, tokens[end - 1].text == "!" else { return false }
        let rest = tokens[end...]
        return rest.contains { delight.contains($0) } && rest.contains { $0.text == "?" }
    }

    /// "Did the alerts stop?", "why did the texts stop?": a question about the messages.
    static func isQuestionAbout(_ words: [Token], _ last: Token) -> Bool {
        last.text == "?" && (OptOutObjectRules.askingAux.contains(words[0]) || OptOutObjectRules.askingWords.contains(words[0]))
    }

    /// Rule 1: a sentence of keywords and filler only; also a trailing "stop" that is not a noun.
    static func keywordClause(_ tokens: [Token], shouted: Set<String> = []) -> ComplianceFlag? {
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
                if hasKeyword, !onlySpanishPara, !nounEnd, !isExclamation(words, tokens, sentenceEnd: end, shouted: shouted) {
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
            // Not after a negator ("never stop") nor in a question about the messages ("did the texts stop?").
            if let last = words.last, last.text == "stop" || last.text == "stopall", words.count >= 2,
                !stopNounModifiers.contains(words[words.count - 2].text), !["to", "will", "can", "would", "should", "gonna", "could", "did", "let's", "lets", "must"].contains(words[words.count - 2].text),
                !OptOutObjectRules.negators.contains(words[words.count - 2]), !isQuestionAbout(words, tokens[end - 1])
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
