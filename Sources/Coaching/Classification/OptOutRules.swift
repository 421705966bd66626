/// Opt-out detection: 100% recall on carrier keywords, high precision on natural phrasing.
///
/// The rules, in order of strength, all read after `OptOutSpelling` has turned typos, text-speak
/// and glued words of the opt-out vocabulary into the words themselves ("stpo" → "stop", "msgs"
/// → "messages", "nomore" → "no more"):
/// 1. **Keyword clause** — a sentence made only of carrier keywords (STOP, STOPALL, UNSUBSCRIBE,
///    CANCEL, END, QUIT; ALTO, PARAR, CANCELAR…) and filler ("please", "now", "thanks"). This is
///    what carriers act on, so it is matched exactly; the one exception is a lone lower-case
///    "Stop!" of surprise before delight and a question ("Stop! That price is amazing, is it
///    still available?").
/// 2. **Unambiguous keywords** anywhere — "stopall", "unsubscribe", "opt out", or STOP written in
///    capitals inside a message that is not all capitals ("Not interested. STOP"); and a bare
///    "Stop" opening the message followed by a reason to end contact ("Stop, I'm not interested",
///    "Please stop, we bought already"; `OptOutReasons`), but not by a request to wait.
/// 3. **Phrases** (`OptOutPhrases`) — "take me off your list", "take my # out of your system",
///    "quit blowing up my phone", "can you not text me", "don't text me again", and the Spanish
///    "no me envíen más mensajes", "dejen de escribirme" — each guarded against its look-alikes:
///    "stop by the house", "don't stop sending listings", "can you not call me before 10", and
///    with rule 4's guards against narrowing, someone else's messages and requests for other contact.
/// 4. **A stop word whose object is the messages** — "cancel these texts", "no more of these",
///    "I'm over these", "paren con los mensajes", "no me sigan texteando", "ya no manden nada", "I
///    want these texts to stop", "this has gotta stop, I get 3 of these a day" (`OptOutObjectRules`).
/// 5. **A cue that reaches our contact** across a few function words, in any person — the
///    general rule for phrasings the others do not list: "this number shouldn't be getting these
///    real estate texts", "my wife doesn't want these texts anymore", "forget you ever had my
///    number", "¿cómo hago para que dejen de llegarme estos mensajes?" (`OptOutContact`).
enum OptOutRules {
    /// The CTIA opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT)
    /// plus common variants; "remove" alone means the same in practice.
    static let carrierKeywords: WordSet = ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt-out", "unsub", "stahp", "stopp", "remove"]
    static let spanishKeywords: WordSet = ["alto", "parar", "para", "cancelar", "baja", "detener", "basta", "paren", "pare", "parenle", "parele", "parale", "detenganse", "paremosle"]
    static let fillers: WordSet = [
        "please", "pls", "plz", "plez", "now", "thanks", "thank", "you", "thx", "ok", "okay", "just", "txt",
        "text", "texts", "texting", "me", "it", "all", "i", "said", "already", "again", "sms", "por", "favor",
        "ya", "gracias", "reply", "no", "more", "u", "the", "messages", "message", "y", "stop", "x", "lol",
        "not", "interested", "wrong", "number", "this", "is", "a", "who", "mas", "seriously", "omg", "dude", "make",
    ]
    /// Words that make a lone "stop" at the end of a sentence a noun, not a command.
    static let stopNounModifiers: WordSet = ["bus", "pit", "one", "full", "last", "first", "next", "a", "the", "truck", "rest", "quick", "another", "train", "brief", "short", "final", "every", "each", "no"]
    /// "don't stop texting me" keeps contact; "please stop texting me" ends it.
    static let negators: WordSet = ["don't", "dont", "do", "not", "never", "didn't", "didnt", "won't", "wont"]

    static func evaluate(_ original: [Token], shouted: Set<String>) -> ComplianceFlag? {
        let original = OptOutSpelling.unglued(original)
        let tokens = OptOutSpelling.normalized(original)
        if let flag = keywordClause(tokens, shouted: shouted) { return flag }
        if let word = ["stop", "stopall", "unsubscribe"].first(where: shouted.contains) {
            return ComplianceFlag(kind: .optOut, evidence: [word.uppercased()], language: .english, rule: "capitalised_keyword")
        }
        if let flag = OptOutReasons.leadingStop(tokens, original: original) { return flag }
        if let flag = bareNoMore(tokens, original: original) { return flag }
        if let flag = phraseMatch(tokens, original: original) { return flag }
        if let flag = OptOutObjectRules.evaluate(tokens, original: original) { return flag }
        return OptOutContact.evaluate(tokens, original: original)
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
    /// ("casas de dos pisos", "casas en el centro"), or by a time or a channel ("hasta el lunes",
    /// "a mi correo").
    static func narrowsWhatIsSent(_ tokens: [Token], after end: Int) -> Bool {
        var j = end
        if j < tokens.count, tokens[j].text == "mas" { j += 1 }
        let sentence = tokens[end - 1].sentence
        // "no me manden nada hasta el lunes", "no me escriban después de las 9" narrow the time.
        guard let o = OptOutObjectRules.object(tokens, at: j, sentence: sentence, prepositions: []) else {
            while j < tokens.count, OptOutObjectRules.pronouns[tokens[j]] != nil { j += 1 }  // "nada (más)"
            return OptOutObjectRules.narrows(tokens, j, sentence)
        }
        guard o.head == .sent else { return OptOutObjectRules.narrows(tokens, o.end, sentence) }
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

    static let celebrations: Set<String> = ["🎉", "🥳", "😍", "🙌", "🤩", "🎊", "🥰", "😂", "🤣", "❤", "❤️", "💃", "🍾"]

    /// "Stop! That price is amazing, is it still available?": a lone lower-case "stop!" followed by
    /// delight and a question is surprise. Written in capitals ("STOP") it stays a keyword.
    static func isExclamation(_ words: [Token], _ tokens: [Token], sentenceEnd end: Int, shouted: Set<String>) -> Bool {
        guard words.count == 1, words[0].text == "stop", !shouted.contains("stop"), end > 0, tokens[end - 1].text == "!" else { return false }
        let rest = tokens[end...]
        // "Stop! We got it!! 🎉": celebration after it.
        if rest.contains(where: { $0.kind == .emoji && celebrations.contains($0.text) }) { return true }
        return rest.contains { delight.contains($0) } && rest.contains { $0.text == "?" }
    }

    /// "Did the alerts stop?", "why did the texts stop?": a question about the messages.
    static func isQuestionAbout(_ words: [Token], _ last: Token) -> Bool {
        last.text == "?" && (OptOutObjectRules.askingAux.contains(words[0]) || OptOutObjectRules.askingWords.contains(words[0]))
    }

    /// Rule 1: a sentence of keywords and filler only; also a trailing "stop" that is not a noun.
    static func keywordClause(_ tokens: [Token], shouted: Set<String> = []) -> ComplianceFlag? {
        // Whether the message complains of our messages: a scan of the whole message, asked at
        // most once, and only when a sentence has an emoji.
        var complaint: Bool?
        func complains() -> Bool {
            if let complaint { return complaint }
            let answer = OptOutObjectRules.complainsOfMessages(tokens)
            complaint = answer
            return answer
        }
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
            // An emoji separates the same way after a complaint of our messages ("so over getting
            // these every single day 🙄 just stop"), not after delight ("that kitchen 😍 stop it").
            if let comma = tokens[sentenceStart..<end].lastIndex(where: { $0.text == "," || $0.kind == .emoji && complains() }) {
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
                !OptOutObjectRules.negators.contains(words[words.count - 2]), !isQuestionAbout(words, tokens[end - 1]),
                !words.contains(where: { delight.contains($0) })  // "the house is perfect 😍 stop"
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
