import Foundation

/// What a draft's context states, read with the recognisers that read lead messages (money in
/// the listing's context, dates, addresses, phones, e-mails), for the guardrails to hold a
/// draft against. Sources: every message, the playbook guidance, the agent's instruction, the
/// listing, the negotiation advice (counter, settlement and its range) and the last analysis.
struct DraftFacts {
    private(set) var amounts: [Double] = []
    private(set) var dates: [DateMention] = []
    private(set) var phones: Set<String> = []
    private(set) var emails: Set<String> = []
    /// Every context text folded like a message, one per line: addresses are looked up in it.
    private(set) var folded = ""
    /// Every context text lower-cased as written, one per line: links are looked up in it.
    private(set) var written = ""

    init(_ c: DraftContext) {
        var texts = c.messages.map { ($0.text, $0.speaker) }
        texts += c.guidance.map { ($0, AnalysisContext.Speaker.agent) }
        if let i = c.instruction { texts.append((i, .agent)) }
        if let a = c.listing?.address { texts.append((a, .agent)) }
        for (text, speaker) in texts { read(text, speaker: speaker, listing: c.listing) }
        if let p = c.listing?.price { amounts.append(p) }
        if let n = c.negotiation {
            amounts += [n.recommendedCounter, n.predictedSettlement, n.settlementInterval?.low, n.settlementInterval?.high].compactMap { $0 }
        }
        if let a = c.analysis {
            amounts += a.entities.money.map(\.amount)
            if let p = a.entities.preApproval { amounts.append(p.amount) }
            dates += a.entities.dates
        }
    }

    private mutating func read(_ text: String, speaker: AnalysisContext.Speaker, listing: Listing?) {
        let message = MessageText(text)
        let e = EntityExtractor.extract(Tokenizer.tokenize(message), context: AnalysisContext(speaker: speaker, listing: listing))
        amounts += e.money.map(\.amount)
        if let p = e.preApproval { amounts.append(p.amount) }
        dates += e.dates
        for p in e.phones { phones.insert(p.value) }
        for m in e.emails { emails.insert(m.value) }
        folded += message.folded + "\n"
        written += text.lowercased() + "\n"
    }

    /// The same amount within `tolerance` (a fraction): "415k" for $415,000, "$419k" for a
    /// recommended counter of $418,750.
    func supports(amount: Double, tolerance: Double) -> Bool {
        amounts.contains { abs($0 - amount) <= tolerance * max(abs($0), abs(amount)) }
    }

    /// A day is supported when some mention names the same day, a time when some mention names
    /// the same clock time; the two may come from different messages ("Saturday?" — "3pm works").
    func supports(date d: DateMention) -> Bool {
        let day = d.spokenDay == nil || dates.contains { Self.sameDay($0, d) }
        let time = d.hour == nil || dates.contains { $0.hour == d.hour && ($0.minute ?? 0) == (d.minute ?? 0) }
        return day && time
    }

    static func sameDay(_ c: DateMention, _ d: DateMention) -> Bool {
        if let w = d.weekday { return c.weekday == w }
        if let o = d.dayOffset { return c.dayOffset == o }
        if let m = d.month { return c.month == m && (d.day == nil || c.day == d.day) }
        return false
    }

    /// An address is supported when its number and street name ("12 oak ridge", whatever
    /// the suffix: "Dr" or "Drive") appear as whole words in the context.
    func supports(address folded: String) -> Bool {
        Self.containsWords(self.folded, Self.streetKey(folded))
    }

    func supports(link: String) -> Bool { written.contains(link) }

    /// "12 oak ridge dr apt 4" → "12 oak ridge": the address up to its street suffix.
    static func streetKey(_ address: String) -> String {
        let words = address.split(separator: " ")
        var key: [Substring] = []
        for (i, w) in words.enumerated() {
            if i >= 2, ContactRecognizer.streetSuffixes.contains(String(w)) { break }
            key.append(w)
        }
        return key.joined(separator: " ")
    }

    /// `needle` in `haystack` with no letter or digit touching either end ("2 oak" is not in "12 oak").
    static func containsWords(_ haystack: String, _ needle: String) -> Bool {
        guard !needle.isEmpty else { return false }
        var from = haystack.startIndex
        while let r = haystack.range(of: needle, range: from..<haystack.endIndex) {
            let before = r.lowerBound > haystack.startIndex ? haystack[haystack.index(before: r.lowerBound)] : " "
            let after = r.upperBound < haystack.endIndex ? haystack[r.upperBound] : " "
            if !before.isLetter, !before.isNumber, !after.isLetter, !after.isNumber { return true }
            from = haystack.index(after: r.lowerBound)
        }
        return false
    }
}
