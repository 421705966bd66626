/// Opt-out rule 4: a stop word whose object is the messages themselves.
///
/// "cancel these texts", "stop the listing alerts", "I'm done with these messages", "no more of
/// these", "put an end to these messages", "remove me from these texts", "knock it off with the
/// texts"; Spanish "cancelen los mensajes", "paren con los mensajes", "basta de mensajes", "darme
/// de baja", "no me vuelvan a escribir". And a sentence saying the messages should stop: "I want
/// these texts to stop", "these msgs need to end".
///
/// The object decides. After the stop word comes a noun phrase — determiners ("the", "these",
/// "all", "your", "los"…), at most three modifiers ("listing", "daily", "text") and a head noun —
/// and it counts only when the head is one of the things we send: messages, texts, alerts,
/// notifications, emails, calls, a subscription (`OptOutWords`); after "send" or "no more" also
/// unqualified listings, after "send" "this crap"; or a bare "this"/"these" closing the clause
/// ("end this now"). So "cancel the showing", "stop by at 5", "end of the month", "end my lease",
/// "quit smoking", "done with the inspection", "no more than 400k" are not opt-outs: their objects
/// are something else.
///
/// It does not count either when the request is turned around (`OptOutGuards`): negated ("don't
/// stop sending listings", "I don't want these texts to stop"), narrowed ("no more texts after
/// 9pm", "stop the emails to my husband"), aimed at someone else's messages ("unsubscribe me from
/// the Zillow alerts"), or followed by a request for other contact ("…and have someone real call
/// me", "…just send me your own picks").
enum OptOutObjectRules {
    /// What an object phrase is about.
    enum Head: Sendable, Hashable {
        /// Messages, texts, alerts, notifications, emails, calls, a subscription.
        case messages
        /// Things we send that are not messages in themselves ("listings", "stuff"): they count
        /// only after "send" or "no more", and only when nothing narrows them.
        case sent
        /// A word of scorn, the messages only when sent: "stop sending me this crap" (while "stop
        /// with the BS, what's your best price" is about the haggling).
        case scorn
        /// A bare "this"/"esto" closing the clause.
        case this
        /// A bare "these"/"those"/"estos" closing the clause.
        case these
        /// A bare "anything", "any more", "más" closing the clause.
        case more
    }

    /// Rule 4 on normalised tokens; evidence is read from `original`.
    static func evaluate(_ tokens: [Token], original: [Token]) -> ComplianceFlag? {
        for m in triggers.matches(in: tokens) {
            guard let end = accepts(m, tokens), !asksForOtherContact(tokens, after: end), !OptOutContact.acceptsOtherContact(tokens, than: m.start..<end),
                !passedOn(tokens, before: m.start)
            else { continue }
            return ComplianceFlag(kind: .optOut, evidence: [original.phrase(m.start, end)], language: m.label.language, rule: "object:\(m.label.kind)")
        }
        if let (start, end, language) = messagesShouldStop(tokens), !asksForOtherContact(tokens, after: end) {
            return ComplianceFlag(kind: .optOut, evidence: [original.phrase(start, end)], language: language, rule: "object:messages_stop")
        }
        return nil
    }

    /// The end of the evidence when the trigger and what follows it make an opt-out.
    static func accepts(_ m: PhraseLexicon<Trigger>.Match, _ t: [Token]) -> Int? {
        let kind = m.label.kind
        let spanish = m.label.language == .spanish
        let sentence = t[m.start].sentence
        if kind == .stop || kind == .cancel, m.start > 0, t[m.start - 1].sentence == sentence, nounMarkers.contains(t[m.start - 1]) { return nil }
        if negated(t, before: m.start, spanish: spanish) { return nil }
        // "let's end this", "let's end the day with a showing": a proposal, not a request to us.
        if m.start > 0, ["let's", "lets"].contains(t[m.start - 1].text) { return nil }
        // "Enough texts!" opens its clause; "we have enough messages from the seller" does not.
        if t[m.start].text == "enough", m.end - m.start == 1, m.start > 0, t[m.start - 1].sentence == sentence, t[m.start - 1].kind == .word,
            !["ok", "okay", "alright", "please", "pls", "seriously", "just", "already", "that's", "thats"].contains(t[m.start - 1].text)
        {
            return nil
        }
        // "Over these texts." opens its sentence; "can you go over these with me" does not.
        if kind == .fedUp, t[m.start].text == "over", m.start > 0, t[m.start - 1].sentence == sentence { return nil }
        switch kind {
        case .unsubscribe:
            // "dar de baja el contrato" is cancelling something else; "me quiero dar de baja" is not.
            if ["dar", "den", "doy", "damos"].contains(t[m.start].text) {
                let before = t[max(0, m.start - 3)..<m.start]
                guard before.contains(where: { $0.sentence == sentence && ($0.text == "me" || $0.text == "nos") }) else { return nil }
            }
            return namesThirdParty(t, after: m.end) ? nil : m.end
        case .neverAgain:
            var j = m.end
            if j < t.count, t[j].text == "mas" { j += 1 }
            if isClauseEnd(t, j, sentence) { return j }
            guard let o = object(t, at: m.end, sentence: sentence, prepositions: []), fits(o, kind) else { return nil }
            // "no me sigan mandando casas" ends them; "…casas viejas, solo nuevas" narrows.
            if o.head == .sent, o.modifiers > 0 || !closesWhole(t, o.end, sentence) { return nil }
            return o.end
        case .idiom:
            // "give it a rest" alone may be about the haggling; "knock it off" is about us.
            if isClauseEnd(t, m.end, sentence) { return t[m.start].text == "give" ? nil : m.end }
            return object(t, at: m.end, sentence: sentence, prepositions: ["with", "w"]).flatMap { fits($0, .stop) ? $0.end : nil }
        case .turnOff:
            guard let o = object(t, at: m.end, sentence: sentence, prepositions: []), fits(o, .stop),
                o.end < t.count, t[o.end].text == "off", !aimsElsewhere(t, o, sentence: sentence)
            else { return nil }
            return o.end + 1
        case .stop, .cancel, .refuse, .send, .quantity, .removal, .fedUp, .complaint, .receive:
            var j = m.end
            if kind == .send, j < t.count, ["me", "us", "nos"].contains(t[j].text) { j += 1 }
            var prepositions: WordSet = kind == .stop ? ["with", "w", "con"] : kind == .quantity ? ["of", "de", "con", "with", "w"] : []
            // "I'm so over it with these texts": the messages follow "it with".
            if kind == .fedUp, j + 1 < t.count, ["it", "this", "that"].contains(t[j].text), ["with", "w"].contains(t[j + 1].text) {
                j += 1
                prepositions = ["with", "w"]
            }
            // "I don't want any more information": things we send, refused as an amount.
            guard let o = object(t, at: j, sentence: sentence, prepositions: prepositions),
                fits(o, kind) || kind == .refuse && o.head == .sent && t[o.start..<o.end].contains(where: { ["more", "mas"].contains($0.text) })
            else { return nil }
            // "I'm tired of texting, can we call?" is tired of the channel, not of us.
            if kind == .fedUp, o.end - o.start == 1, ["texting", "messaging", "emailing"].contains(t[o.start].text) { return nil }
            // Things we send count only unqualified: "stop sending me listings", not "…duplicate listings".
            if o.head == .sent, o.modifiers > 0 || !closesWhole(t, o.end, sentence) { return nil }
            if narrows(t, o.end, sentence) || aimsElsewhere(t, o, sentence: sentence) { return nil }
            // "Over these texts." alone; "Over these texts I've been sending you, …" is a preposition.
            if kind == .fedUp, t[m.start].text == "over", !isClauseEnd(t, o.end, sentence) { return nil }
            // "I'm over these, anything with a yard?": a bare "these" was the houses just sent.
            if o.head == .these || o.head == .this, wantsOthers(t, after: o.end) { return nil }
            return o.end
        }
    }

    /// Words asking for other houses after a bare "these": "…anything bigger?", "…something newer".
    static let otherRequests: WordSet = ["anything", "something", "other", "others", "different", "else", "instead", "bigger", "smaller", "cheaper", "newer", "algo", "otras", "otros"]

    /// True when the rest of the message asks a question or for other houses.
    static func wantsOthers(_ t: [Token], after end: Int) -> Bool {
        t[end...].contains { $0.text == "?" || otherRequests.contains($0) }
    }

    static func fits(_ o: Object, _ kind: Kind) -> Bool {
        switch o.head {
        case .messages: return true
        case .these: return kind != .refuse
        case .scorn: return kind == .send || kind == .receive
        case .this: return kind == .stop || kind == .quantity || kind == .idiom
        case .sent, .more: return kind == .send || kind == .quantity && o.head == .sent || kind == .neverAgain || kind == .receive
        }
    }

    struct Object {
        let head: Head
        let start: Int
        let end: Int
        /// Words between the determiners and the head ("daily listing" in "the daily listing alerts").
        var modifiers = 0
    }

    /// The noun phrase at `start`: [preposition] determiners* modifiers{0,3} head.
    static func object(_ t: [Token], at start: Int, sentence: Int, prepositions: WordSet) -> Object? {
        func word(_ k: Int) -> Bool { k < t.count && t[k].kind == .word && t[k].sentence == sentence }
        var i = start
        // "paren ya con los mensajes", "stop please the texts"
        while word(i), i < start + 2, ["ya", "please", "pls", "plz", "now", "por", "favor"].contains(t[i].text) { i += 1 }
        if word(i), prepositions.contains(t[i]) {
            i += 1
            if i < t.count, t[i].text == "/" { i += 1 }  // "w/ the texts"
        }
        let phraseStart = i
        var standalone: Head? = nil
        var count = 0
        while word(i), count < 4, determiners.contains(t[i]) {
            standalone = pronouns[t[i]]
            i += 1
            count += 1
        }
        var modifiers = 0
        while word(i) {
            if let head = heads[t[i]] {
                let next: Token? = word(i + 1) ? t[i + 1] : nil
                // "text me", "email us back": the noun is a verb here.
                if let next, ["me", "us", "him", "her", "them", "back"].contains(next.text) { return nil }
                if let next, otherThings.contains(next) { return nil }
                // A compound is judged at its last noun: "text messages", "listing alert emails";
                // "the text thread", "junk fees" are about something else.
                let compound = next.map { heads[$0] != nil || (modifierForms.contains(t[i]) && !breakers.contains($0) && !closers.contains($0)) } ?? false
                if !compound { return Object(head: head, start: phraseStart, end: i + 1, modifiers: modifiers) }
            }
            if modifiers == 3 || breakers.contains(t[i]) || closers.contains(t[i]) || otherThings.contains(t[i]) || determiners.contains(t[i]) { break }
            modifiers += 1
            i += 1
        }
        if modifiers == 0, count > 0, let standalone, isClauseEnd(t, i, sentence) {
            return Object(head: standalone, start: phraseStart, end: i)
        }
        return nil
    }

    static func isClauseEnd(_ t: [Token], _ i: Int, _ sentence: Int) -> Bool {
        let i = ownTail(t, i, sentence)
        return i >= t.count || t[i].sentence != sentence || t[i].kind == .symbol || t[i].kind == .emoji || closers.contains(t[i])
    }

    /// Past a tail that only says the messages are ours or reach the lead's own phone: "from you",
    /// "de ustedes", "de su parte", "to this number", "a este número". `i` when there is none.
    static func ownTail(_ t: [Token], _ i: Int, _ sentence: Int) -> Int {
        func word(_ k: Int, _ set: WordSet) -> Bool { k < t.count && t[k].sentence == sentence && set.contains(t[k]) }
        if word(i, ["from", "de"]) {
            if word(i + 1, ["you", "u", "y'all", "yall", "ustedes", "usted", "ti"]) { return i + 2 }
            if word(i + 1, ["your", "su", "tu"]), word(i + 2, ["company", "team", "office", "parte", "empresa", "oficina", "compania"]) { return i + 3 }
        }
        if word(i, ["to", "on", "a", "al", "en"]), word(i + 1, ["this", "my", "este", "mi"]), word(i + 2, ownPhone) { return i + 3 }
        return i
    }

    /// Stricter for things we send: "stop sending me listings" ends contact, "stop sending me
    /// listings in Riverside" or "no more houses, just condos" only narrows the search.
    static func closesWhole(_ t: [Token], _ i: Int, _ sentence: Int) -> Bool {
        guard isClauseEnd(t, i, sentence) else { return false }
        let i = ownTail(t, i, sentence)
        guard i < t.count, t[i].sentence == sentence, [",", "and", "but", "y", "pero"].contains(t[i].text) else { return true }
        let next = t[(i + 1)...].first { $0.kind == .word }
        return !(next.map { ["just", "only", "except", "but", "instead", "unless", "send", "more", "solo", "nomas", "excepto"].contains($0.text) } ?? false)
    }

    /// A sentence saying the messages should stop: a message noun, a few modal words ("need to",
    /// "have to", "tienen que") and "stop"/"end"/"parar" closing the clause. Questions and
    /// suppositions about them ("did the texts stop?", "if the texts stop…") and negated wishes
    /// ("I don't want these texts to stop") are not requests. Returns the evidence range and language.
    static func messagesShouldStop(_ t: [Token]) -> (Int, Int, Language)? {
        for h in t.indices where t[h].kind == .word {
            let sentence = t[h].sentence
            // A bare "this"/"it" opening its clause stands for the messages only when the message
            // complains of them: "This has gotta stop, I get like 3 of these a day", not "this has
            // to stop, the sellers keep moving the closing date".
            let bare = bareSubjects.contains(t[h]) && (h == 0 || t[h - 1].sentence != sentence || t[h - 1].kind != .word || clauseOpeners.contains(t[h - 1]))
            // "how do I get these to stop", "make them stop": the object of a causative. "Them" may
            // be people ("get the sellers… make them stop"), so it too needs a complaint of messages.
            let caused = causedSubjects.contains(t[h]) && h > 0 && t[h - 1].sentence == sentence && causatives.contains(t[h - 1])
            guard bare || caused || heads[t[h]] == .messages else { continue }
            if h + 1 < t.count, t[h + 1].sentence == sentence, heads[t[h + 1]] != nil { continue }
            var j = h + 1
            while j < t.count, j - h <= 4, t[j].sentence == sentence, modalChain.contains(t[j]) { j += 1 }
            guard j < t.count, t[j].sentence == sentence, intransitiveStops.contains(t[j]), isClauseEnd(t, j + 1, sentence) else { continue }
            var s = h
            while s > 0, t[s - 1].sentence == sentence, t[s - 1].kind == .word, determiners.contains(t[s - 1]) || heads[t[s - 1]] != nil { s -= 1 }
            if s > 0, t[s - 1].sentence == sentence, askingAux.contains(t[s - 1]) { continue }
            if t[..<s].contains(where: { $0.sentence == sentence && askingWords.contains($0) }) { continue }
            if negated(t, before: s, spanish: false) { continue }
            if aimsElsewhere(t, Object(head: .messages, start: s, end: h + 1), sentence: sentence) { continue }
            if bare, !complainsOfMessages(t) { continue }
            // "ur texts r annoying. make them stop": "them" must have messages to stand for (not
            // "the seller keeps calling me, make them stop").
            if caused, t[h].text == "them", !t.contains(where: { heads[$0] == .messages && !$0.text.hasSuffix("ing") }) { continue }
            if caused, t.contains(where: { thirdParties.contains($0) || othersOwn.contains($0) }) { continue }
            return (s, j + 1, spanishIntransitive.contains(t[j]) ? .spanish : .english)
        }
        return nil
    }

    static let bareSubjects: WordSet = ["this", "it", "esto"]
    static let causedSubjects: WordSet = ["these", "those", "them"]
    static let causatives: WordSet = ["get", "make", "have", "got", "made"]
    static let clauseOpeners: WordSet = ["ok", "okay", "seriously", "honestly", "man", "dude", "omg", "ugh", "and", "look", "all", "srsly", "like", "just"]
    static let contactVerbForms: WordSet = [
        "text", "texts", "texting", "texted", "message", "messages", "messaging", "messaged", "call", "calls", "calling", "called",
        "email", "emails", "emailing", "emailed",
    ]
    static let receiving: WordSet = ["get", "gets", "getting", "got", "receive", "receiving", "received", "recibo", "recibir", "recibiendo", "llegan", "llega"]
    /// Owners that make the messages not ours: "my calls", "their emails", "his texts".
    static let notOurs: WordSet = ["my", "our", "his", "her", "their", "other", "mis", "sus"]

    /// True when the message names our messages ("3 texts a day", "your emails every morning"),
    /// or says the lead keeps receiving "these"/"them" ("I get like 3 of these a day").
    static func complainsOfMessages(_ t: [Token]) -> Bool {
        for k in t.indices where t[k].kind == .word {
            let sentence = t[k].sentence
            // "you text me every day", "y'all keep calling me" (not "the lender keeps calling me")
            if contactVerbForms.contains(t[k]), k + 1 < t.count, ["me", "us"].contains(t[k + 1].text),
                t[max(0, k - 3)..<k].contains(where: { $0.sentence == sentence && ["you", "u", "y'all", "yall", "ya'll", "you've", "youve", "you're", "youre"].contains($0.text) })
            {
                return true
            }
            if heads[t[k]] == .messages {
                let next = k + 1 < t.count && t[k + 1].sentence == sentence ? t[k + 1].text : ""
                // "text me when it drops" is the verb; "my calls", "Zillow's emails" are not ours.
                if ["me", "us", "him", "her", "them", "back"].contains(next) { continue }
                if k > 0, t[k - 1].sentence == sentence, notOurs.contains(t[k - 1]) { continue }
                if t.contains(where: { $0.sentence == sentence && (thirdParties.contains($0) || othersOwn.contains($0)) }) { continue }
                return true
            }
            if receiving.contains(t[k]), t[(k + 1)...].prefix(5).contains(where: { $0.sentence == sentence && ["these", "them", "those", "estos", "estas"].contains($0.text) }) {
                return true
            }
        }
        return false
    }
}
