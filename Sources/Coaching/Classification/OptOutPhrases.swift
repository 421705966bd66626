/// Opt-out rule 3: the phrases of natural opt-outs, by family, and their look-alikes. Each label
/// has the guards it needs (a contact clause that ends, no negation, no narrowing, no third
/// party…), applied in `phraseMatch`: a phrase names the contact, never whether it is wanted.
extension OptOutRules {
    /// Pieces of the list-removal phrases: the verbs, what of the lead is removed, and the list.
    static let removers = "take|get|remove|delete|drop|scratch|put|erase|wipe|pull|purge|cross"
    static let details = "number|numbers|phone|cell|info|information|details|data|contact|email|name"
    static let offTheList = "off|from|out [of] [all|any|every] [your|the|this|ur|all|my|these|those|that|whatever|any] "
        + "[texting|text|mailing|contact|call|calling|sms|marketing|email|distribution|phone] "
        + "list|lists|contacts|database|databases|system|systems|records|files|crm|thread|chat|group"

    static let phrases = PhraseLexicon<String>([
        // stop + what we do to them
        ("stop|quit|cease texting|messaging|contacting|calling|sending|emailing|bothering|spamming|harassing|hitting|txting|texing|msging|blowing|pestering|bugging|hounding|pinging|ringing", "stop_doing"),
        ("stop|quit text|message|contact|call|email|bother|spam|harass|txt [me|us|my|this]", "stop_doing"),
        ("stop|quit|cease reaching out [to] [me|us]", "stop_doing"),
        // What we do to their phone: "quit blowing up my phone", "stop hitting me up", "don't
        // blow my phone up". Only the lead's own phone: "blowing up the budget" is not contact.
        ("stop|quit|cease blowing|hitting|lighting up my|our|this phone|cell|line|inbox|number", "phone"),
        ("stop|quit|cease blowing|hitting|lighting|ringing|spamming|flooding|bombarding my|our|this phone|cell|line|inbox|number [up]", "phone"),
        ("stop|quit|cease blowing|hitting me|us up", "phone"),
        ("don't|dont|never [ever] blow|hit|light|ring|spam|flood up my|our|this phone|cell|line|inbox", "phone"),
        ("don't|dont|never [ever] blow|hit|light|ring|spam|flood my|our|this phone|cell|line|inbox [up]", "phone"),
        ("don't|dont|never [ever] blow|hit me|us up", "phone"),
        // Removal from the list, the lead or their number: "take me out of your system", "get my
        // # off your list", "delete my contact info from your database".
        ("\(removers) me|us \(offTheList)", "list_removal"),
        ("\(removers) this|my|our [phone|cell|contact|personal] [phone|cell] \(details) [and|&] [\(details)] \(offTheList)", "list_removal"),
        ("remove|delete|erase|lose|forget|drop|scratch|wipe|purge my|this number|info|contact|information|phone|cell", "lose_number"),
        // "take my number off" with nothing after it (not "take my number off the flyer").
        ("take|get|cross my|this|our number|info off|out", "number_off"),
        ("take|get|cross me|us off", "number_off"),
        // "I want off this list", "keep me off your list" (but not "we crossed it off the list")
        ("want|wanna|need|like|be|being|keep|stay off [of] your|the|this|ur|that|all [texting|text|mailing|contact|call|sms|marketing|email] list|lists", "list_removal"),
        ("keep me off", "list_removal"),
        ("remove|delete|erase me", "remove_me"),
        // "I want to be removed", "can I be unsubscribed" (not "the tree will be removed")
        ("want|wanna|like|wish|need|ask|asked|asking|request|requesting|prefer to be removed|unsubscribed|deleted|taken", "be_removed"),
        ("can|could|may i|we be removed|unsubscribed|taken", "be_removed"),
        // "I don't want to hear from you again", "no quiero saber nada de ustedes".
        ("don't|dont|never want|wanna|need [to] hear from you|u|y'all|yall", "dont_hear"),
        ("no quiero|queremos saber nada|mas [mas] de ustedes|usted|ti", "es_dont_hear"),
        // "I've told you to stop", "how many times do I have to say stop", "you need to stop".
        ("told|asked|asking|telling you|u|y'all|yall [to] stop", "told_to_stop"),
        ("say|said|saying|type|typed stop", "told_to_stop"),
        ("tell|told|telling you|u stop", "told_to_stop"),
        ("you|u|y'all|yall|ya'll|guys need|needs|have|gotta|got|must [to] stop", "told_to_stop"),
        ("cease|stop|end|halt all|any communication|communications|contact|messages|texts|correspondence", "stop_doing_all"),
        ("cease and desist", "stop_doing_all"),
        ("enough with|of the|your|these texts|messages|calls|spam", "enough"),
        ("don't|dont|not want to receive|get [any|these|those|more|your|the] [more] texts|messages|calls|emails|sms", "dont_want"),
        ("unsubscribe|unsub", "unsubscribe"),
        ("opt out|me", "opt_out"),
        ("optout|opt-out", "opt_out"),
        ("stopall", "stopall"),
        // don't contact me
        ("don't|dont|do|never|pls|please|stop not|don't|dont [ever] text|txt|message|msg|contact|call|email|bother|sms|reach me|us|this", "dont_contact"),
        ("don't|dont|never [ever] text|txt|message|msg|contact|call|email|bother|sms me|us|this", "dont_contact"),
        ("don't|dont|never [ever] reach out [to] [me|us]", "dont_contact"),
        ("do|please not|don't|dont [ever] reach out [to] [me|us]", "dont_contact"),
        ("refrain from texting|messaging|contacting|calling|emailing|txting me|us|this", "dont_contact"),
        // The same asked as a favour: "can you not text me anymore", "I'd rather you didn't
        // contact me", "would you mind not texting me". The clause must end as in "don't text me":
        // "can you not call me before 10" only moves the calls.
        ("can|could|would|will you|u [please|pls|plz|just|kindly] not [ever] text|txt|message|msg|contact|call|email|bother|sms|reach|bug|spam me|us", "dont_contact"),
        ("rather|prefer [that|if] you|u not|didn't|didnt|wouldn't|wouldnt [ever] text|txt|message|msg|contact|call|email|bother|reach me|us", "dont_contact"),
        ("can|could|would|will you|u [please|pls|plz|just|kindly] not [ever] reach out [to] [me|us]", "dont_contact"),
        ("mind not texting|messaging|contacting|calling|emailing me|us", "dont_contact"),
        ("if you|u [would|could] [please] not|didn't|didnt|wouldn't|wouldnt|stopped [ever] text|txt|message|msg|contact|call|email|texting|messaging|contacting|calling me|us", "dont_contact"),
        ("no more texts|messages|msgs|calls|texting|messaging|contact|emails|sms", "no_more"),
        // "No texts please" on its own; "no texts after 9" narrows, "no texts, calls only" redirects.
        ("no texts|messages|texting|sms|spam", "no_texts"),
        ("leave me|us alone|be", "leave_alone"),
        ("i|we don't|dont|do [not] want [any] [more|your] texts|messages|calls|emails|contact", "dont_want"),
        ("i|we don't|dont|do [not] want to be contacted|texted|messaged|called", "dont_want"),
        ("not want to be contacted|texted|messaged|called", "dont_want"),
        ("stop contact|contacting|texting|messaging", "stop_doing"),
        ("never contact|text|message|call me|us [again]", "dont_contact"),
        ("wrong|this number|person stop", "keyword_tail"),
        ("lose this|my number", "lose_number"),
        ("block|blocking|blocked you|u|ya", "block"),
        ("block|blocking|blocked your|this number", "block"),
        // Spanish
        ("no me|nos envien|envies|manden|mandes|escriban|escribas|contacten|contactes|contacte|llamen|llames|textees|envie|mande|escriba|llame|molesten|molestes [mas]", "es_dont_contact"),
        // "dejen de mandarme", "pueden dejar de escribirme": the infinitive with "me"/"nos" is
        // about the lead; bare "enviar"/"mandar" take an object, judged like "stop sending".
        ("dejen|deja|deje|dejes|dejar|paren|pare|para de enviarme|mandarme|escribirme|llamarme|contactarme|molestarme|textearme|marcarme|mensajearme|enviarnos|mandarnos|escribirnos|llamarnos|contactarnos|molestarnos|textearnos", "es_stop_doing"),
        ("dejen|deja|deje|dejes|paren|pare|para de enviar|mandar|escribir", "es_stop_sending"),
        // "dejen de llamar", "dejen de molestar" alone: not "dejen de llamar al banco".
        ("dejen|deja|deje|dejes|paren|pare de llamar|contactar|molestar|textear|marcar|mensajear|spamear", "es_stop_bare"),
        ("borrenme|quitenme|eliminenme|saquenme|borreme|quiteme|sacame|borrame|quitame", "es_remove"),
        ("borren|quiten|eliminen|saquen|borre|quite|elimine|saque mi numero|telefono|celular|informacion|info|contacto", "es_remove"),
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

    /// Labels whose phrase says nothing about whose messages they are, so a third party named
    /// after it ("unsubscribe me from the Zillow alerts", "remove my info from the Zillow app",
    /// "quiten mi número de la lista de Redfin") makes the request about someone else's.
    static let ownerless: Set<String> = [
        "unsubscribe", "opt_out", "no_more", "es_no_more", "no_texts", "lose_number", "list_removal", "remove_me",
        "be_removed", "number_off", "es_remove", "phone", "stop_doing_all", "dont_want", "es_dont_want", "dont_hear",
    ]
    /// Labels that only count when the clause ends with them ("take my number off", "no texts
    /// please", "dejen de molestar").
    static let needsClauseEnd: Set<String> = ["number_off", "no_texts", "es_stop_bare", "told_to_stop"]
    /// Labels a negator before them turns around ("won't stop blowing up my phone").
    static let negatable: Set<String> = ["stop_doing", "phone", "block", "be_removed", "stop_doing_all", "told_to_stop"]

    /// Rule 3: the first phrase its guards accept, on normalised tokens.
    static func phraseMatch(_ tokens: [Token], original: [Token]) -> ComplianceFlag? {
        let lookAlike = lookAlikes.matches(in: tokens)
        for m in phrases.matches(in: tokens) where accepts(m, tokens) {
            let language: Language = m.label.hasPrefix("es_") ? .spanish : .english
            return ComplianceFlag(kind: .optOut, evidence: [original.phrase(m.start, m.end)], language: language, rule: "phrase:\(m.label)")
        }
        return nil

        /// The guards each label needs; false when the phrase is turned around.
        func accepts(_ m: PhraseLexicon<String>.Match, _ tokens: [Token]) -> Bool {
            let sentence = tokens[m.start].sentence
            // "don't stop sending listings": the phrase sits inside a look-alike → not an opt-out.
            if lookAlike.contains(where: { $0.start <= m.start && $0.end > m.start }) { return false }
            if negatable.contains(m.label), m.start > 0, negators.contains(tokens[m.start - 1]) { return false }
            // "no dejen de mandarme casas" asks for more, like "don't stop sending".
            if m.label.hasPrefix("es_stop"), m.start > 0, tokens[m.start - 1].text == "no" { return false }
            if m.label == "stop_doing" || m.label == "dont_contact", !endsContactClause(tokens, at: m.end) { return false }
            if needsClauseEnd.contains(m.label), !OptOutObjectRules.isClauseEnd(tokens, skipping(tokens, m.end, repeats), sentence) { return false }
            // "no texts please" opens its clause; "no texts, calls only" redirects.
            if m.label == "no_texts", m.start > 0, tokens[m.start - 1].sentence == sentence, tokens[m.start - 1].kind == .word,
                !["please", "pls", "plz", "ok", "okay", "seriously"].contains(tokens[m.start - 1].text)
            {
                return false
            }
            // "No texts? I thought you'd update me" asks about them.
            if m.label == "no_texts", tokens[m.end...].contains(where: { $0.sentence == sentence && ["only", "just", "instead", "solo", "?"].contains($0.text) }) { return false }
            // "stop sending me condos" narrows the search: what follows "sending" is judged as an
            // object by rule 4 ("stop sending me this crap", "quit sending me listings").
            if m.label == "stop_doing", ["sending", "send"].contains(tokens[m.end - 1].text), sendsSomething(tokens, after: m.end) { return false }
            // "no more texts after 9pm", "stop blowing up my phone before 8", "leave us be for a week"
            // narrow the hours.
            if ["no_more", "es_no_more", "phone", "no_texts", "leave_alone", "dont_want", "es_dont_want", "dont_hear"].contains(m.label), OptOutObjectRules.narrows(tokens, m.end, sentence) { return false }
            // "no me manden casas de dos pisos" narrows the search, like "stop sending me condos".
            if m.label == "es_dont_contact" || m.label == "es_stop_doing", narrowsWhatIsSent(tokens, after: m.end) { return false }
            if m.label == "es_stop_sending", !sendsUs(tokens, after: m.end) { return false }
            if m.label == "stop_doing" || m.label == "phone", narrowsWith(tokens, after: m.end) { return false }
            // "I want to be removed from the offer" is about the offer.
            if m.label == "be_removed", !OptOutObjectRules.isClauseEnd(tokens, m.end, sentence), !namesList(tokens, after: m.end) { return false }
            // Someone else's messages ("unsubscribe me from the Zillow alerts", "no more emails from
            // the HOA", "Zillow won't stop blowing up my phone") and requests for other contact
            // ("stop texting my wife, text me instead").
            if OptOutObjectRules.asksForOtherContact(tokens, after: m.end) { return false }
            if ownerless.contains(m.label), OptOutObjectRules.namesThirdParty(tokens, after: m.end) { return false }
            // "tell the lender to stop calling me": the request is passed on to someone else.
            if m.start >= 2, tokens[m.start - 1].text == "to",
                tokens[max(0, m.start - 4)..<(m.start - 1)].contains(where: { $0.sentence == sentence && OptOutObjectRules.thirdParties.contains($0) })
            {
                return false
            }
            return true
        }
    }

    /// Words that may surround a bare "no more" making up the whole message. Not "thanks": "No
    /// more, thanks" declines a question as often as it ends the messages.
    static let noMoreFillers: WordSet = ["please", "pls", "plz", "seriously", "omg", "ugh", "just", "already", "dude", "man", "god", "jesus"]

    /// "NO MORE!!", "Please no more": a message that is only "no more" and emphasis.
    static func bareNoMore(_ tokens: [Token], original: [Token]) -> ComplianceFlag? {
        guard let at = tokens.firstIndex(where: { $0.text == "no" }), at + 1 < tokens.count, tokens[at + 1].text == "more" else { return nil }
        let rest = tokens.enumerated().filter { $0.offset != at && $0.offset != at + 1 }.map(\.element)
        guard rest.allSatisfy({ $0.kind == .emoji || ["!", "."].contains($0.text) || ($0.kind == .word && noMoreFillers.contains($0)) }) else { return nil }
        return ComplianceFlag(kind: .optOut, evidence: [original.phrase(at, at + 2)], language: .english, rule: "phrase:no_more")
    }

    /// "quit hitting me up with condos" narrows what is sent; "…with these texts", "…with
    /// listings" and "…with this crap" do not.
    static func narrowsWith(_ tokens: [Token], after end: Int) -> Bool {
        var j = end
        while j < tokens.count, ["me", "us", "up", "my", "phone", "cell"].contains(tokens[j].text) { j += 1 }
        guard j < tokens.count, tokens[j].sentence == tokens[end - 1].sentence, ["with", "w"].contains(tokens[j].text) else { return false }
        guard let o = OptOutObjectRules.object(tokens, at: j, sentence: tokens[j].sentence, prepositions: ["with", "w"]) else { return true }
        return o.head == .sent && (o.modifiers > 0 || !OptOutObjectRules.closesWhole(tokens, o.end, tokens[j].sentence))
    }

    /// "I've told you to stop already", "…a million times": how often, not what.
    static let repeats: WordSet = ["already", "before", "twice", "multiple", "several", "many", "times", "a", "few", "million", "hundred", "like", "so", "all", "day"]

    static func skipping(_ tokens: [Token], _ i: Int, _ words: WordSet) -> Int {
        var j = i
        while j < tokens.count, tokens[j].sentence == tokens[i - 1].sentence, tokens[j].kind == .word || tokens[j].kind == .number, words.contains(tokens[j]) || tokens[j].kind == .number { j += 1 }
        return j
    }

    /// Nouns of a list the lead can be removed from: "removed from your list", "taken off the texts".
    static let listNouns: WordSet = ["list", "lists", "contacts", "database", "system", "records", "files", "crm", "lista", "sistema"]

    /// True when "from"/"off" after "to be removed" leads to a list or to the messages.
    static func namesList(_ tokens: [Token], after end: Int) -> Bool {
        guard end < tokens.count, ["from", "off", "of", "de"].contains(tokens[end].text) else { return false }
        let sentence = tokens[end].sentence
        // "I want to be taken off."
        if tokens[end].text == "off", OptOutObjectRules.isClauseEnd(tokens, end + 1, sentence) { return true }
        let tail = tokens[(end + 1)...].prefix(4).prefix { $0.sentence == sentence }
        // "removed from the showing list" is another list.
        if tail.contains(where: { OptOutObjectRules.otherThings.contains($0) || OptOutObjectRules.thirdParties.contains($0) }) { return false }
        return tail.contains { listNouns.contains($0) || OptOutObjectRules.heads[$0] == .messages }
    }

    /// "dejen de mandar mensajes", "dejen de escribir": bare "mandar"/"enviar"/"escribir" count
    /// with nothing after them or with something we send, unnarrowed ("dejen de mandar casas",
    /// not "dejen de mandar casas de dos pisos" nor "dejen de mandar ofertas al banco").
    static func sendsUs(_ tokens: [Token], after end: Int) -> Bool {
        var j = end
        if j < tokens.count, tokens[j].text == "mas" { j += 1 }
        let sentence = tokens[end - 1].sentence
        if OptOutObjectRules.isClauseEnd(tokens, j, sentence) { return true }
        guard let o = OptOutObjectRules.object(tokens, at: j, sentence: sentence, prepositions: []), OptOutObjectRules.fits(o, .send) else { return false }
        return !narrowsWhatIsSent(tokens, after: end) && !OptOutObjectRules.narrows(tokens, o.end, sentence)
    }
}
