/// Opt-out rule 5: a cue to end contact that reaches a reference to our contact, in one clause.
///
/// Rules 3 and 4 read fixed phrases and a stop word followed straight by its object. Unseen
/// phrasings put words between the two ("this number shouldn't be getting these real estate
/// texts", "forget you ever had my number", "¿cómo hago para que dejen de llegarme estos
/// mensajes?") or put the request in someone else's mouth ("my wife doesn't want these texts
/// anymore", "mi esposa ya no quiere recibir estos textos"). This rule reads any clause where
/// (a) a cue — cessation (stop, quit, dejen de, ya no), removal (delete, forget, borra, quita,
///     take me off), refusal in any person (doesn't want, rather not, shouldn't, no quiere, no
///     debería, prefiero no), withdrawn consent (revoke consent, never gave you permission) or
///     being fed up (harto de, cansado de, annoyed by); the lexicon is `OptOutContactWords` —
/// reaches, across at most four function words ("be getting", "you ever had", "recibir", "me
/// lleguen"; `gapWords`),
/// (b) a reference to what we send or to the lead's contact with us: the messages ("these real
///     estate texts", "estos mensajes", a bare "these" after "getting"), the lead's or a
///     relative's number ("my #", "este número", "my wife's number"), our list ("your texting
///     list", "whatever you've got me on"), or being contacted at all.
/// Which references a cue may reach is fixed by its meaning (a number is deleted, not stopped).
///
/// The reference must close its clause ("anymore", "from you", "to this number", "de tu lista"
/// may follow), so "my wife doesn't want these texts forwarded", "I'd rather not get into the
/// price over text" and "no quiero perderme estos mensajes" say something else. And the request
/// must not be turned around: negated ("please don't delete my number"), a statement about
/// oneself ("I always forget my phone"), narrowed ("no texts after 8pm", "llamadas en el
/// trabajo"), someone else's ("texts from the lender", "the Zillow list"), passed on to someone
/// who sends ("get the seller to stop"), outweighed by other contact approved ("…, just text",
/// "calls, texts are fine", "weekly is fine"), a number being updated ("delete my old number,
/// this is my new one"), or a question that does not ask for the end ("are the texts going to
/// stop?", while "how do I…", "is there a way to…", "¿cómo hago para…" do ask).
enum OptOutContact {
    /// What a cue reached.
    enum Reference: Sendable, Hashable {
        case messages, number, list, contacted
    }

    static func evaluate(_ t: [Token], original: [Token]) -> ComplianceFlag? {
        for m in cues.matches(in: t) {
            guard let end = accepts(m, t) else { continue }
            return ComplianceFlag(kind: .optOut, evidence: [original.phrase(m.start, end)], language: m.label.language, rule: "contact:\(m.label.cue)")
        }
        return nil
    }

    /// Subjects that make a cue a statement about oneself or another, not a request to us: "I
    /// always forget my phone", "we quit getting the paper". Refusals are exempt: "I don't want".
    static let statementSubjects: WordSet = [
        "i", "we", "i'll", "ill", "we'll", "i'd", "we'd", "i'm", "im", "they", "he", "she", "it", "always", "usually",
        "sometimes", "often", "never", "yo", "nosotros",
    ]

    /// The end of the evidence when the cue at `m` makes an opt-out.
    static func accepts(_ m: PhraseLexicon<Label>.Match, _ t: [Token]) -> Int? {
        let cue = m.label.cue
        let spanish = m.label.language == .spanish
        let sentence = t[m.start].sentence
        let before: Token? = m.start > 0 && t[m.start - 1].sentence == sentence && t[m.start - 1].kind == .word ? t[m.start - 1] : nil
        if cue == .cease || cue == .remove || cue == .takeOff {
            // "the end of these texts" is a noun; "let's stop getting these" a proposal.
            if let before, OptOutObjectRules.nounMarkers.contains(before) || ["let's", "lets"].contains(before.text) { return nil }
            // "I always forget my phone" is said of oneself; "how do I get off your list" asks.
            if let before, !spanish, statementSubjects.contains(before),
                !(m.start >= 2 && ["do", "can", "could", "may", "should", "would", "to", "how"].contains(t[m.start - 2].text))
            {
                return nil
            }
            // "please don't delete my number", "no dejen de mandarme mensajes" keep contact; a
            // refusal carries its own negation.
            if OptOutObjectRules.negated(t, before: m.start, spanish: spanish) || OptOutObjectRules.passedOn(t, before: m.start) { return nil }
        }
        guard let (reference, end) = reach(m, t, sentence) else { return nil }
        if asksAbout(t, before: m.start, sentence: sentence) { return nil }
        if t.contains(where: { $0.sentence == sentence && OptOutObjectRules.thirdParties.contains($0) }) { return nil }
        if OptOutObjectRules.asksForOtherContact(t, after: end) || acceptsOtherContact(t, than: m.start..<end) { return nil }
        if reference == .number, updatesNumber(t) { return nil }
        // "no need to call me, see you at 5" only spares a call; "no need to text me anymore" ends them.
        if m.end - m.start == 2, t[m.start].text == "no", t[m.start + 1].text == "need",
            !t[m.start..<min(t.count, end + 2)].contains(where: { ["anymore", "again", "keep", "further", "longer"].contains($0.text) })
        {
            return nil
        }
        return end
    }

    /// What the cue reaches across at most four gap words, and where its clause ends.
    static func reach(_ m: PhraseLexicon<Label>.Match, _ t: [Token], _ sentence: Int) -> (Reference, Int)? {
        let cue = m.label.cue
        var j = m.end
        // "harto de sus mensajes", "olvídense de mi número", "forget about my number"
        if cue == .fedUp || cue == .remove, j < t.count, t[j].sentence == sentence, fedUpPrepositions.contains(t[j]) || t[j].text == "about" { j += 1 }
        // "I revoke consent.": withdrawing it is complete in itself.
        if cue == .consent, ["revoke", "revoking", "withdraw", "withdrawing", "rescind", "rescinding"].contains(t[m.start].text),
            OptOutObjectRules.isClauseEnd(t, j, sentence)
        {
            return (.contacted, j)
        }
        var gap = Gap()
        for _ in 0...4 {
            guard j < t.count, t[j].sentence == sentence, t[j].kind == .word else { return nil }
            if let found = reference(t, at: j, sentence, m, gap: gap) { return found }
            guard gapWords.contains(t[j]) else { return nil }
            if receivingVerbs.contains(t[j]) { gap.received = true }
            if ["me", "nos", "us", "le", "les"].contains(t[j].text) { gap.pronoun = t[j].text }
            j += 1
        }
        return nil
    }

    /// A number being updated, not removed: an update word next to a number ("my old number",
    /// "mi número viejo", "my new cell", "I changed my number") or to "one" ("use this one").
    static func updatesNumber(_ t: [Token]) -> Bool {
        t.indices.contains { k in
            updateWords.contains(t[k]) && t[max(0, k - 3)..<min(t.count, k + 3)].contains { numberWords.contains($0) || $0.text == "one" }
        }
    }

    /// A question that does not ask for the end: "are the texts going to stop once we close?",
    /// "did you delete my number?". "How do I…", "is there a way…", "can you…" ask for it.
    static func asksAbout(_ t: [Token], before start: Int, sentence: Int) -> Bool {
        guard t.contains(where: { $0.sentence == sentence && $0.text == "?" }) else { return false }
        return !t[..<start].contains { $0.sentence == sentence && requestOpeners.contains($0) }
    }

    /// Other contact approved in the message narrows the request: another channel ("no calls,
    /// texts are fine", "I don't need the texts, just email", "…, mejor mensajes"), another
    /// frequency ("no more daily alerts, weekly is fine") or only the lead ("my husband shouldn't
    /// be getting these, only me"). `range` is the request; a channel it names is not "another".
    static func acceptsOtherContact(_ t: [Token], than range: Range<Int>) -> Bool {
        let named = Set(t[range].compactMap { channels[$0] })
        for k in t.indices where !range.contains(k) {
            let next = k + 1 < t.count && t[k + 1].sentence == t[k].sentence ? t[k + 1].text : ""
            // "weekly is fine", "the email alerts are enough", "once a week is ok" (not "the house is fine").
            if ["is", "are", "r", "es", "son"].contains(t[k].text), approvals.contains(next), k > 0,
                channels[t[k - 1]] != nil || frequencies.contains(t[k - 1]) || OptOutObjectRules.heads[t[k - 1]] == .messages
            {
                return true
            }
            let onlyMe = ["me", "us", "mine", "yo"].contains(next) || next == "a" && k + 2 < t.count && t[k + 2].text == "mi"
            if ["only", "solo", "solamente"].contains(t[k].text), onlyMe { return true }
            guard let c = channels[t[k]], !named.contains(c) else { continue }
            // "I'm good with the texts, just don't call"
            if t[max(0, k - 3)..<k].contains(where: { ["with", "w"].contains($0.text) }),
                t[max(0, k - 4)..<k].contains(where: { ["good", "fine", "ok", "okay", "great"].contains($0.text) })
            {
                return true
            }
            if approvals.contains(next) || ["only", "instead"].contains(next) { return true }
            if ["work", "works"].contains(next) { return true }
            // "…, just text (me)", "mejor mensajes"; not "I'll just call you when I'm ready".
            if k > 0, t[k - 1].sentence == t[k].sentence, preferences.contains(t[k - 1]),
                ["me", "us", "instead", "please", "pls", ""].contains(next) || OptOutObjectRules.isClauseEnd(t, k + 1, t[k].sentence)
            {
                return true
            }
            // "Text my wife instead, she doesn't want calls"
            if t[max(0, k - 4)..<min(t.count, k + 5)].contains(where: { $0.text == "instead" }) { return true }
        }
        return false
    }
}
