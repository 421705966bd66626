/// The references of opt-out rule 5 (`OptOutContact`): what a cue may reach, and where it ends.
///
/// A cue reaches only what its meaning fits — a number is deleted, not stopped; messages are
/// stopped, refused or fed up with — and the reference must close its clause, so the words after
/// it cannot narrow or redirect it.
extension OptOutContact {
    /// The words a pronoun in the gap leaves to the reference: "ya no **le** escriban".
    struct Gap {
        var received = false
        /// The last object pronoun seen: "me", "nos", "le"…
        var pronoun: String? = nil
    }

    /// The reference at `j` that the cue of `m` may reach, with the end of its clause.
    static func reference(_ t: [Token], at j: Int, _ sentence: Int, _ m: PhraseLexicon<Label>.Match, gap: Gap) -> (Reference, Int)? {
        let cue = m.label.cue
        switch cue {
        case .remove, .takeOff:
            // "forget my phone" is the device; "borra mi teléfono", "delete my phone" the number.
            let device = deviceVerbs.contains(t[m.start])
            // "take my wife's number off your list": a bare "take" needs the "off".
            let bare = cue == .takeOff && m.end - m.start == 1
            if let e = number(t, at: j, sentence, device: device) {
                if !bare, OptOutObjectRules.isClauseEnd(t, e, sentence) { return (.number, e) }
                guard e < t.count, ["from", "off", "out", "de", "del"].contains(t[e].text) else { return nil }
                // "elimina mi número de tu lista", "take my number off (your list)"
                if let l = list(t, at: e + 1, sentence) { return (.number, l) }
                return bare && t[e].text != "from" && OptOutObjectRules.isClauseEnd(t, e + 1, sentence) ? (.number, e + 1) : nil
            }
            if bare { return nil }
            // "who gave u my number?? lose it": "it" is the number named in the message.
            if cue == .remove, j == m.end, ["it", "that"].contains(t[j].text), OptOutObjectRules.isClauseEnd(t, j + 1, sentence),
                t.indices.contains(where: { $0 != j && number(t, at: $0, t[$0].sentence, device: false) != nil })
            {
                return (.number, j + 1)
            }
            // "forget about me", "olvídense de mí"
            if device, ["me", "us", "mi", "nosotros"].contains(t[j].text), OptOutObjectRules.isClauseEnd(t, j + 1, sentence) { return (.contacted, j + 1) }
            guard cue == .takeOff else { return nil }
            if let l = list(t, at: j, sentence) { return (.list, l) }
            // "leave me out of your texts", "don't include me in these texts anymore"
            if let o = messages(t, at: j, sentence) { return (.messages, o) }
            return anyListEnd(t, at: j, sentence).map { (.list, $0) }
        case .cease, .refuse, .fedUp, .consent:
            let refusal = cue == .refuse || cue == .consent
            // "I'd prefer not to be contacted", "I revoke consent to be texted"
            if refusal, j > m.end, ["be", "being", "ser"].contains(t[j - 1].text), contactedForms.contains(t[j]), OptOutObjectRules.isClauseEnd(t, j + 1, sentence) {
                return (.contacted, j + 1)
            }
            if let e = contacting(t, at: j, sentence, gap: gap, infinitive: refusal) { return (.contacted, e) }
            // "rather not get these anymore", "no quiero recibir estos": a bare "these" received.
            if gap.received, ["these", "those", "estos", "estas"].contains(t[j].text), OptOutObjectRules.isClauseEnd(t, j + 1, sentence) {
                return (.messages, j + 1)
            }
            // "I shouldn't be on your list", "I don't want to be on your list"
            if refusal, j > m.end, ["be", "estar"].contains(t[j - 1].text), ["on", "in", "en"].contains(t[j].text), let l = list(t, at: j + 1, sentence) {
                return (.list, l)
            }
            return messages(t, at: j, sentence, received: gap.received).map { (.messages, $0) }
        }
    }

    /// The end of the messages at `j` closing their clause: "these real estate texts", "estos
    /// mensajes", "your texts from you"; a bare "these" only after a receiving verb.
    static func messages(_ t: [Token], at j: Int, _ sentence: Int, received: Bool = false) -> Int? {
        guard let o = OptOutObjectRules.object(t, at: j, sentence: sentence, prepositions: []),
            o.head == .messages || received && o.head == .these,
            OptOutObjectRules.isClauseEnd(t, o.end, sentence), !OptOutObjectRules.aimsElsewhere(t, o, sentence: sentence)
        else { return nil }
        let end = OptOutObjectRules.ownTail(t, o.end, sentence)
        return OptOutObjectRules.narrows(t, end, sentence) ? nil : end
    }

    /// Contacting the lead: "texting me", "calling this number", after a refusal "to text me";
    /// Spanish "(me) escriban", "(nos) sigan mandando". Someone else — "stop texting her", "ya
    /// no le escriban a mi esposo" — only narrows who is contacted, unless the message says this
    /// number is theirs ("this is her phone", "este es el número de mi papá").
    static func contacting(_ t: [Token], at j: Int, _ sentence: Int, gap: Gap, infinitive: Bool) -> Int? {
        func word(_ k: Int, _ set: WordSet) -> Bool { k < t.count && t[k].sentence == sentence && set.contains(t[k]) }
        // Scans the whole message: asked only when a third person is in play.
        var known: Bool?
        func theirs() -> Bool {
            if let known { return known }
            let answer = thisNumberIsTheirs(t)
            known = answer
            return answer
        }
        var e = j + 1
        if contactGerunds.contains(t[j]) && !spanishContactForms.contains(t[j]) || infinitive && contactInfinitives.contains(t[j]) {
            if word(e, firstPersons) || word(e, thirdPersons) && theirs() {
                e += 1
            } else if ["this", "este"].contains(e < t.count ? t[e].text : ""), let n = number(t, at: e, sentence, device: false) {
                e = n
            } else {
                return nil
            }
        } else if spanishContactForms.contains(t[j]), let p = gap.pronoun, ["me", "nos"].contains(p) || theirs() {
            // "ya no me manden (más) (mensajes)", "ya no le escriban (a mi papá)"
            while word(e, spanishMessageTail) { e += 1 }
            if theirs(), word(e, spanishTo), e + 2 < t.count, t[e + 2].sentence == sentence { e += 3 }
        } else {
            return nil
        }
        return OptOutObjectRules.isClauseEnd(t, e, sentence) ? OptOutObjectRules.ownTail(t, e, sentence) : nil
    }

    /// Verbs that, of a phone, mean the device: "forget my phone" is no request to delete a number.
    static let deviceVerbs: WordSet = ["forget", "lose", "drop", "toss", "trash", "ditch", "olvida", "olvide", "olviden", "olvidar", "olvidense", "olvidate"]
    static let firstPersons: WordSet = ["me", "us"]
    /// What may follow "ya no me manden": "(más) (nada) (mensajes)".
    static let spanishMessageTail: WordSet = ["mas", "nada", "mensajes", "textos", "ni", "un", "mensaje"]
    static let spanishTo: WordSet = ["a", "al"]

    /// True when the message says the number we text belongs to someone it speaks of: "this is
    /// her phone", "es su celular", "este es el número de mi papá", "at this number".
    static func thisNumberIsTheirs(_ t: [Token]) -> Bool {
        t.indices.contains { k in
            ["this", "este", "es", "is"].contains(t[k].text)
                && t[(k + 1)...].prefix(3).contains { $0.sentence == t[k].sentence && OptOutObjectRules.ownPhone.contains($0) }
        }
    }

    /// "take me off whatever you've got me on": any list of ours, unless the clause names
    /// something else ("whatever showing you booked").
    static func anyListEnd(_ t: [Token], at j: Int, _ sentence: Int) -> Int? {
        guard anyList.contains(t[j]) else { return nil }
        var e = j + 1
        while e < t.count, t[e].sentence == sentence, t[e].kind == .word, e < j + 7 {
            let other = OptOutObjectRules.otherThings.contains(t[e]) || OptOutObjectRules.heads[t[e]] == .sent
            if other || OptOutObjectRules.narrowers.contains(t[e]) && t[e].text != "on" { return nil }
            e += 1
        }
        return OptOutObjectRules.isClauseEnd(t, e, sentence) ? e : nil
    }

    /// The end of "my number", "this #", "my wife's cell number", "mi número", "su celular".
    static func number(_ t: [Token], at j: Int, _ sentence: Int, device: Bool) -> Int? {
        func word(_ k: Int) -> Bool { k < t.count && t[k].sentence == sentence && t[k].kind == .word }
        guard word(j), numberOwners.contains(t[j]) else { return nil }
        var k = j + 1
        if word(k), t[k].text.hasSuffix("'s") { k += 1 }  // "my wife's"
        var modifiers = 0
        while word(k), modifiers < 2, numberModifiers.contains(t[k]), word(k + 1), numberWords.contains(t[k + 1]) || numberModifiers.contains(t[k + 1]) {
            k += 1
            modifiers += 1
        }
        guard word(k), numberWords.contains(t[k]) else { return nil }
        if device, modifiers == 0, ["phone", "cell", "celular", "telefono"].contains(t[k].text) { return nil }
        if k + 1 < t.count, t[k + 1].kind == .number { return nil }  // "my number 2 pick"
        return k + 1
    }

    /// The end of a list of ours closing its clause: "your texting list", "sus contactos", "this list".
    static func list(_ t: [Token], at j: Int, _ sentence: Int) -> Int? {
        func word(_ k: Int) -> Bool { k < t.count && t[k].sentence == sentence && t[k].kind == .word }
        var k = j
        if word(k), ["of", "de"].contains(t[k].text) { k += 1 }
        guard word(k), listOwners.contains(t[k]) else { return nil }
        k += 1
        while word(k), k < j + 4, listModifiers.contains(t[k]), !listNouns.contains(t[k]) { k += 1 }
        guard word(k), listNouns.contains(t[k]) else { return nil }
        return OptOutObjectRules.isClauseEnd(t, k + 1, sentence) ? k + 1 : nil
    }
}
