import Foundation

/// Checks a drafted reply before anyone can send it. A draft is sendable only with no flags.
///
/// Refused: anything after an opt-out; an empty draft; an SMS over `smsLimit` characters; an
/// amount of money, a day or clock time, a street address, a phone number, an e-mail address
/// or a link that the context does not contain; a guarantee, waiver, prediction or legal, tax
/// or lending advice (`DraftPromiseRules`); fair-housing steering; and whatever the compliance
/// rules flag in a message (legal threats, abuse). Facts are read with the recognisers that
/// read lead messages, so "415k", "$415,000" and "415" (on a $430,000 listing) are one amount,
/// and "Saturday at 3" and "saturday 3pm" one time.
///
/// The opt-out rules are not run on drafts: they are written for what a lead says, and an
/// agent's "reply STOP to opt out" or "I won't text again" is not an opt-out.
public struct DraftGuardrails: Sendable {
    /// Characters (grapheme clusters) an SMS draft may have: two concatenated segments.
    public var smsLimit = 320
    /// How far an amount may be from one in the context and still be the same (0.5%): "$419k"
    /// for a recommended counter of $418,750.
    public var priceTolerance = 0.005

    public init() {}

    public func check(_ text: String, context: DraftContext) -> DraftVerdict {
        var flags: [DraftFlag] = []
        func flag(_ kind: DraftFlag.Kind, _ evidence: String) {
            let f = DraftFlag(kind: kind, evidence: evidence)
            if !flags.contains(f) { flags.append(f) }
        }
        if context.optedOut { flag(.optedOut, "the lead opted out of messages") }
        // What would be sent: the text without the blank lines and spaces around it.
        let draft = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !draft.isEmpty else {
            flag(.empty, "the draft has no text")
            return DraftVerdict(flags: flags)
        }
        if context.isSMS, draft.count > smsLimit { flag(.tooLong, "\(draft.count) characters; an SMS reply may have \(smsLimit)") }

        let facts = DraftFacts(context)
        var prose = draft
        for link in DraftLinks.find(draft) {
            if !facts.supports(link: link.normalized) { flag(.unsupportedLink, String(link.written)) }
            // Read the rest without the link: its digits and dots are not prices or times.
            prose = prose.replacingOccurrences(of: link.written, with: " ")
        }
        let tokens = Tokenizer.tokenize(MessageText(prose))
        let entities = EntityExtractor.extract(tokens, context: AnalysisContext(speaker: .agent, listing: context.listing))
        for m in entities.money where !facts.supports(amount: m.amount, tolerance: priceTolerance) { flag(.unsupportedPrice, m.text) }
        for d in entities.dates where d.isSpecific && !facts.supports(date: d) { flag(.unsupportedDate, d.text) }
        for a in entities.addresses where !facts.supports(address: a.value) { flag(.unsupportedAddress, a.text) }
        for p in entities.phones where !facts.phones.contains(p.value) { flag(.unsupportedContact, p.text) }
        for e in entities.emails where !facts.emails.contains(e.value) { flag(.unsupportedContact, e.text) }
        for p in DraftPromiseRules.promises(in: tokens) { flag(.unsupportedPromise, p) }
        for s in DraftPromiseRules.steering(in: tokens) { flag(.fairHousing, s) }
        for c in LegalAndAbuseRules.evaluate(tokens, language: LanguageDetector.detect(tokens)) {
            flag(.compliance, "\(c.kind.rawValue): \(c.evidence.joined(separator: ", "))")
        }
        return DraftVerdict(flags: flags)
    }
}
