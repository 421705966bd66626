/// Commitments and claims a drafted reply must not make on the agent's behalf, and wording
/// that steers buyers (fair housing). A short curated list of phrase rules over folded tokens,
/// so "I can't guarantee" and "there is no guarantee" are not promises.
enum DraftPromiseRules {
    static let promises = PhraseLexicon<String>([
        "guarantee": [
            "guarantee|guaranteed|guarantees|guaranteeing|guarantee's", "100 %|percent sure|certain|guaranteed",
        ],
        "promise": ["i|we promise", "promise you|that", "you have my word", "i swear"],
        "waiver": [
            "will|can|would|i'll|we'll waive", "waive|waiving the|your|all|any fee|fees|commission|closing|inspection|contingency|appraisal",
        ],
        "no fees": [
            "no fee|fees|commission|commissions", "no hidden|extra|additional fees|costs|charges", "no closing costs", "free of charge",
            "at no cost|charge", "zero fees|commission",
        ],
        "approval": [
            "will|you'll|we'll|gonna be|get approved|pre-approved|qualified|accepted", "will|you'll|gonna definitely|surely|easily|certainly qualify|qualifies",
            "will|you'll|gonna qualify",
        ],
        "sale": [
            "definitely|certainly|surely sell|sells|close|appraise|appraises", "will|it'll sell|appraise for|in|within|fast|quickly|over|above|at",
            "sell for sure", "will|it'll appraise", "get you top dollar", "get you full|over|above asking|price",
            "get you # %|percent|k", "get you $ #",
        ],
        "prediction": [
            "price|prices|value|values|rates|rate|market|markets will|won't [only|definitely|surely|certainly|keep|continue] [to] go|rise|increase|climb|drop|fall|skyrocket|come|appreciate|crash|stay",
            "price|prices|value|values|rates|rate|market|markets are|is going [to] go|rise|increase|climb|drop|fall|up|down|skyrocket|come|crash|appreciate",
            "only go|goes|going up", "appreciate|appreciates in value", "never go|goes down", "can't|cannot go wrong", "can't|cannot lose",
            "won't lose money|value",
        ],
        "legal advice": [
            "you don't|dont need a|an lawyer|attorney", "you do not need a|an lawyer|attorney", "no need for a|an lawyer|attorney",
            "you can|could legally", "legally you can|could|are|have", "you can|could break the|your lease", "you can|could back out",
        ],
        "inspection advice": [
            "you don't|dont need a|an inspection|inspector|appraisal", "you do not need a|an inspection|inspector|appraisal",
            "skip the|an|your inspection|appraisal",
        ],
        "tax advice": [
            "tax deductible|deduction|deductions|write-off|writeoff|free|break|benefits|savings", "write it off", "save on|in taxes",
        ],
        "financial advice": [
            "you should refinance|refi|borrow|cash", "good|great|smart|solid|safe investment", "you can|could easily|definitely|totally afford", "you can|could afford it|this|that|the|a",
        ],
    ])

    static let steering = PhraseLexicon<String>([
        "neighborhood": [
            "safe|safest|dangerous|bad|rough|sketchy|good|better|best neighborhood|neighbourhood|neighborhoods|area|areas",
            "neighborhood|neighbourhood|area is [very|really|super] safe|dangerous|rough",
            "neighborhood's|neighbourhood's|area's [very|really|super] safe|dangerous|rough", "family-friendly|family friendly",
            "exclusive neighborhood|community|area",
        ],
        "who it suits": [
            "perfect|great|ideal|good for families|kids|children|singles|couples|retirees|seniors|christians",
            "perfect|great|ideal|good for a [young] family|couple", "perfect|great|ideal|good for young families|couples|professionals",
            "perfect|great|ideal|good for empty nesters",
        ],
        "schools": ["good|great|best|top|bad|better|excellent schools", "good|great|best|top|bad|better|excellent school district|districts"],
    ])

    /// Words that cancel a claim said just after them: "I can't guarantee", "no guarantee".
    static let negators: WordSet = ["not", "no", "never", "can't", "cant", "cannot", "won't", "wont", "don't", "dont", "couldn't", "wouldn't"]

    static func promises(in tokens: [Token]) -> [String] { matches(promises, tokens) }
    static func steering(in tokens: [Token]) -> [String] { matches(steering, tokens) }

    /// The evidence of each match not negated within three tokens before it in its clause,
    /// without overlaps.
    static func matches(_ lexicon: PhraseLexicon<String>, _ tokens: [Token]) -> [String] {
        var out: [String] = []
        var covered = 0
        for m in lexicon.matches(in: tokens) where m.start >= covered {
            var negated = false
            var i = m.start - 1
            while i >= 0, i >= m.start - 3, tokens[i].sentence == tokens[m.start].sentence, tokens[i].kind != .symbol {
                if negators.contains(tokens[i]) { negated = true }
                i -= 1
            }
            if negated { continue }
            out.append(tokens.phrase(m.start, m.end))
            covered = m.end
        }
        return out.uniqued()
    }
}
