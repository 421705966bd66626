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
        ("told|asked|ask|asking|telling you|u|y'all|yall [to] stop", "told_to_stop"),
        ("say|said|saying|type|typed stop", "told_to_stop"),
        ("tell|told|telling you|u stop", "told_to_stop"),
        ("you|u|y'all|yall|ya'll|guys need|needs|have|gotta|got|must [to] stop", "told_to_stop"),
        ("you|u|y'all|yall|ya'll|guys can|may [just] stop", "told_to_stop"),
        // "Why are you still texting me?", "why do u keep calling me": a complaint of the contact itself.
        ("why|y are|r you|u|y'all|yall still texting|messaging|contacting|calling|emailing|txting", "still_contacting"),
        // "Go away", "please just go away"; "go away for the weekend" is not it.
        ("go away", "go_away"),
        // "Reporting this number", "this is spam", "I'm marking you as spam".
        ("report|reporting|reported this|your number", "report"),
        ("report|reporting|reported|mark|marking|marked you|u|this|these as|for spam", "report"),
        ("this|that|these is|are spam|harassment", "report"),
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
        // "please don't message again", "never call again": the lead is understood.
        ("don't|dont|never [ever] text|txt|message|msg|contact|call|email|write again|anymore", "dont_contact"),
        // "Do not text. Do not call." on its own (not "I don't text", "don't text, call").
        ("don't|dont|never text|txt|message|msg|contact|call", "dont_contact_bare"),
        ("do not text|txt|message|msg|contact|call", "dont_contact_bare"),
        ("do|please not|don't|dont [ever] reach out [to] [me|us]", "dont_contact"),
        ("refrain from texting|messaging|contacting|calling|emailing|txting me|us|this", "dont_contact"),
        // The same asked as a favour: "can you not text me anymore", "I'd rather you didn't
        // contact me", "would you mind not texting me". The clause must end as in "don't text me":
        // "can you not call me before 10" only moves the calls.
        ("can|could|would|will you|u [please|pls|plz|just|kindly] not [ever] text|txt|message|msg|contact|call|email|bother|sms|reach|bug|spam me|us", "dont_contact"),
        ("rather|prefer [that|if] you|u not|didn't|didnt|wouldn't|wouldnt [ever] text|txt|message|msg|contact|call|email|bother|reach me|us", "dont_contact"),
        ("can|could|would|will you|u [please|pls|plz|just|kindly] not [ever] reach out [to] [me|us]", "dont_contact"),
        ("mind not texting|messaging|contacting|calling|emailing me|us", "dont_contact"),
        ("if you|u [would|could] [please] not|didn't|didnt|wouldn't|wouldnt|stopped [ever] text|txt|message|msg|contact|call|email|texting|messaging|contacting|calling [me|us]", "dont_contact"),
        ("no more texts|messages|msgs|calls|texting|messaging|contact|emails|sms", "no_more"),
        // "No texts please" on its own; "no texts after 9" narrows, "no texts, calls only" redirects.
        ("no texts|messages|texting|sms|spam", "no_texts"),
        ("leave me|us alone|be", "leave_alone"),
        ("dejenme|dejame|dejeme|dejennos|dejanos|dejenos en paz", "es_leave_alone"),
        ("dejen|deja|deje|dejes|dejar me|nos en paz", "es_leave_alone"),
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
        ("no me|nos envien|envies|manden|mandes|escriban|escribas|contacten|contactes|contacte|llamen|llames|textees|envie|mande|escriba|llame|molesten|molestes|spameen|spamees [mas]", "es_dont_contact"),
        // "dejen de mandarme", "pueden dejar de escribirme": the infinitive with "me"/"nos" is
        // about the lead; bare "enviar"/"mandar" take an object, judged like "stop sending".
        ("dejen|deja|deje|dejes|dejar|paren|pare|para de enviarme|mandarme|escribirme|llamarme|contactarme|molestarme|textearme|marcarme|mensajearme|enviarnos|mandarnos|escribirnos|llamarnos|contactarnos|molestarnos|textearnos|spamearme|spamearnos", "es_stop_doing"),
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
    static let needsClauseEnd: Set<String> = ["number_off", "no_texts", "es_stop_bare", "told_to_stop", "go_away", "still_contacting", "report"]
    /// Things other than a list that a lead asks to be taken out of: "quítenme del préstamo".
    static let spanishOtherThings: WordSet = ["prestamo", "credito", "contrato", "escritura", "titulo", "espera", "hipoteca", "solicitud", "grupo"]
    /// Labels a negator before them turns around ("won't stop blowing up my phone").
    static let negatable: Set<String> = [
        "stop_doing", "phone", "block", "be_removed", "stop_doing_all", "told_to_stop", "lose_number", "number_off", "list_removal", "remove_me",
        "go_away", "report",
    ]

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
            if ["stop_doing", "dont_contact", "dont_contact_bare"].contains(m.label), !endsContactClause(tokens, at: m.end) { return false }
            // "why are you still texting me?" (not "…texting me the old listings?")
            let tail = m.label == "still_contacting" && m.end < tokens.count && ["me", "us"].contains(tokens[m.end].text) ? m.end + 1 : m.end
            if needsClauseEnd.contains(m.label), !OptOutObjectRules.isClauseEnd(tokens, skipping(tokens, tail, repeats), sentence) { return false }
            // "Go away? No way": a question back.
            if m.label == "go_away", m.end < tokens.count, tokens[m.end].text == "?" { return false }
            // "Go away" opens its clause: "I wish the HOA would go away" is about someone else.
            if m.label == "go_away" || m.label == "dont_contact_bare", m.start > 0, tokens[m.start - 1].sentence == sentence, tokens[m.start - 1].kind == .word,
                !["please", "pls", "plz", "just", "ok", "okay", "so", "omg", "now"].contains(tokens[m.start - 1].text)
            {
                return false
            }
            // "quítenme del préstamo", "sáquenme de la lista de espera" remove from something else.
            if m.label == "es_remove", m.end - m.start == 1, m.end < tokens.count, ["de", "del"].contains(tokens[m.end].text),
                tokens[m.end...].prefix(5).contains(where: { $0.sentence == sentence && (OptOutObjectRules.otherThings.contains($0) || spanishOtherThings.contains($0)) })
            {
                return false
            }
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
            // "remove me from the Saturday showing" is about the showing ("…from this" is ours).
            if m.label == "remove_me", m.end + 1 < tokens.count, ["from", "off", "of"].contains(tokens[m.end].text), !namesList(tokens, after: m.end),
                !["this", "these", "everything", "all", "whatever", "it", "any", "your", "ur"].contains(tokens[m.end + 1].text)
            {
                return false
            }
            // "I want to be removed from the offer" is about the offer.
            if m.label == "be_removed", !OptOutObjectRules.isClauseEnd(tokens, skipping(tokens, m.end, repeats), sentence), !namesList(tokens, after: m.end) { return false }
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
            if OptOutObjectRules.passedOn(tokens, before: m.start) { return false }
            // "I don't want calls, texts are fine" narrows the channel; "forget my number from
            // before, this is my new cell" updates it.
            if OptOutContact.acceptsOtherContact(tokens, than: m.start..<m.end) { return false }
            if ["lose_number", "number_off", "es_remove", "list_removal"].contains(m.label), OptOutContact.updatesNumber(tokens) { return false }
            // "I always forget my phone": said of oneself, and of the device.
            if m.label == "lose_number", m.start > 0, tokens[m.start - 1].sentence == sentence, OptOutContact.statementSubjects.contains(tokens[m.start - 1]) { return false }
            if m.label == "lose_number", ["forget", "lose", "drop"].contains(tokens[m.start].text), ["phone", "cell"].contains(tokens[m.end - 1].text) { return false }
            // "forget my number 2 choice" is a ranking.
            if m.label == "lose_number", m.end < tokens.count, tokens[m.end].kind == .number { return false }
            // "déjenme en paz (con sus mensajes)"; "déjame en paz un rato con la oferta" is about the offer.
            if m.label == "es_leave_alone", !OptOutObjectRules.isClauseEnd(tokens, m.end, sentence),
                OptOutObjectRules.object(tokens, at: m.end, sentence: sentence, prepositions: ["con"])?.head != .messages
            {
                return false
            }
            return true
        }
    }
}
