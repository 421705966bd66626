/// Helpers of the phrase guards of opt-out rule 3 (`OptOutPhrases`): what may follow a phrase.
extension OptOutRules {
    /// Words that may surround a bare "no more" making up the whole message. Not "thanks": "No
    /// more, thanks" declines a question as often as it ends the messages.
    static let noMoreFillers: WordSet = ["please", "pls", "plz", "seriously", "omg", "ugh", "just", "already", "dude", "man", "god", "jesus"]

    /// "NO MORE!!", "Please no more": a message that is only "no more" and emphasis.
    /// Spanish "Ya no más (por favor)": "ya" makes it "no more", where "No más" alone may answer
    /// "anything else?".
    static let spanishNoMoreFillers: WordSet = ["ya", "por", "favor", "porfa", "porfavor"]

    static func bareNoMore(_ tokens: [Token], original: [Token]) -> ComplianceFlag? {
        guard let at = tokens.firstIndex(where: { $0.text == "no" }), at + 1 < tokens.count, ["more", "mas"].contains(tokens[at + 1].text) else { return nil }
        let spanish = tokens[at + 1].text == "mas"
        if spanish, !(at > 0 && tokens[at - 1].text == "ya") { return nil }
        let fillers = spanish ? spanishNoMoreFillers : noMoreFillers
        let rest = tokens.enumerated().filter { $0.offset != at && $0.offset != at + 1 }.map(\.element)
        guard rest.allSatisfy({ $0.kind == .emoji || ["!", ".", "¡"].contains($0.text) || ($0.kind == .word && fillers.contains($0)) }) else { return nil }
        return ComplianceFlag(kind: .optOut, evidence: [original.phrase(at, at + 2)], language: spanish ? .spanish : .english, rule: "phrase:no_more")
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
    static let repeats: WordSet = [
        "already", "before", "twice", "multiple", "several", "many", "times", "a", "few", "million", "hundred", "like", "so", "all", "day",
        "weeks", "days", "months", "ago", "last", "week", "month", "yesterday",
    ]

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
