/// Legal threats and abuse. Both are high-precision phrase rules: a real-estate conversation
/// mentions attorneys and reports as a matter of course ("my attorney will review the
/// contract", "send me the inspection report"), so the words alone never fire.
enum LegalAndAbuseRules {
    static let legalPhrases = PhraseLexicon<String>([
        ("sue|suing you|u|your|ya|them|this|the|yall|y'all|everyone|for", "sue"),
        ("will|gonna|i'll|ill|can|could|should|would|gon sue|suing", "sue"),
        ("going|want|have|need|about|planning|plan|ready to sue", "sue"),
        ("i|we sue", "sue"),
        ("lawsuit|lawsuits", "lawsuit"),
        ("legal action", "legal_action"),
        ("class action", "legal_action"),
        ("take|taking you|this|it to court", "court"),
        ("see you in court", "court"),
        ("report|reporting|reported you|u|ya|yall|y'all", "report"),
        ("report|reporting to the|my fcc|ftc|bbb|attorney|authorities|state|police|board|dre|realtor|association", "report"),
        ("report|reporting this|your number|company|agency|brokerage", "report"),
        ("file|filing|filed a [formal] complaint|complaints", "complaint"),
        ("cease and desist", "cease_and_desist"),
        ("tcpa|fcc|ftc|dnc|do-not-call", "regulator"),
        ("do not call registry|list", "regulator"),
        ("this is harassment", "harassment"),
        ("harassing|harassment me|us", "harassment"),
        ("my|our lawyer|attorney|lawyers|attorneys will|is|are|can|'ll hear|contact|call|be|handle|get", "lawyer_threat"),
        ("hear from my|our lawyer|attorney|lawyers|attorneys", "lawyer_threat"),
        ("contact|contacting|call|calling|get|getting|involve|involving|talk|talking my|our lawyer|attorney", "lawyer_threat"),
        ("talk|talking|speak to my|our lawyer|attorney", "lawyer_threat"),
        ("get|getting a|my lawyer|attorney involved", "lawyer_threat"),
        ("abogado", "lawyer_threat"),
        ("demandar|demanda|denunciar|demandare", "sue"),
    ])
    /// Lawyer mentions are threats only beside hostility; otherwise they are closing logistics.
    static let hostility: WordSet = [
        "harass", "harassing", "harassment", "spam", "spamming", "stop", "illegal", "unsolicited",
        "texting", "bothering", "scam", "scammer", "warned", "warning", "complaint", "again",
        "consent", "permission", "sue", "report", "damn", "hell", "fuck", "fucking", "enough",
    ]

    static let abusePhrases = PhraseLexicon<String>([
        ("fuck|fuk|fck|f|screw|fu you|u|off|yourself|ya|urself|this", "profanity_at"),
        ("fuck|fuk|fck you", "profanity_at"),
        ("stfu|gtfo|fu|fuckoff|foad", "profanity_at"),
        ("go to hell", "profanity_at"),
        ("go fuck|screw yourself", "profanity_at"),
        ("piss|bugger|sod off", "profanity_at"),
        ("shut up", "profanity_at"),
        ("kiss my ass", "profanity_at"),
        ("you|u|ur|you're|youre|ure|your|yall|y'all are|r [a|an|such|so|fucking|such a|a total|a complete|a bunch of|just|total] idiot|idiots|moron|morons|stupid|dumb|clown|clowns|joke|loser|losers|jerk|jerks|asshole|assholes|scumbag|scumbags|liar|liars|pathetic|worthless|useless|trash|garbage|vulture|vultures|leech|leeches|parasite|parasites|scammer|scammers|crook|crooks|creep|creepy|disgusting", "insult"),
        ("idiot|moron|asshole|scumbag|dumbass|bitch|bastard|dickhead|jackass|douche|douchebag|prick|twat|cunt|shithead|retard|retarded|imbecile|scumbags|assholes|idiots|morons", "insult"),
        ("piece of shit|crap|garbage|trash", "insult"),
        ("pinche|pendejo|pendeja|cabron|idiota|estupido|estupida|chinga|chingada|vete a la mierda", "insult"),
    ])

    static func evaluate(_ tokens: [Token], language: Language) -> [ComplianceFlag] {
        var flags: [ComplianceFlag] = []
        let legal = legalPhrases.matches(in: tokens).filter { m in
            if m.label == "lawyer_threat" { return tokens.contains { hostility.contains($0.text) } }
            if m.label == "report" {
                // "report" as a noun: "the inspection report", "report card".
                return !(m.start > 0 && ["inspection", "appraisal", "credit", "title", "the", "a", "hoa", "disclosure"].contains(tokens[m.start - 1].text))
            }
            return true
        }
        if !legal.isEmpty {
            flags.append(ComplianceFlag(kind: .legalThreat, evidence: legal.map { tokens.phrase($0.start, $0.end) }.uniqued(), language: language, rule: "phrase:\(legal[0].label)"))
        }
        let abuse = abusePhrases.matches(in: tokens)
        if !abuse.isEmpty {
            flags.append(ComplianceFlag(kind: .abuse, evidence: abuse.map { tokens.phrase($0.start, $0.end) }.uniqued(), language: language, rule: "phrase:\(abuse[0].label)"))
        }
        return flags
    }
}
