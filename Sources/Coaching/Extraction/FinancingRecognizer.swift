/// Pre-approval amounts and loan types.
enum FinancingRecognizer {
    static let approvalWords: WordSet = ["pre-approved", "preapproved", "approved", "pre-approval", "preapproval", "prequalified", "pre-qualified", "qualified", "preaprobado", "aprobado"]
    static let vaCues: WordSet = ["loan", "loans", "mortgage", "financing", "benefits", "benefit", "eligible", "approved", "pre-approved", "using", "with", "buyer", "entitlement"]

    static func run(_ state: inout ExtractionState) {
        let t = state.tokens
        for (i, token) in t.enumerated() {
            if approvalWords.contains(token) || (token.text == "approved" && i > 0 && t[i - 1].text == "pre") {
                // "pre-approved for 450k", "approved up to $400,000"
                if state.entities.preApproval == nil, let k = state.moneyStarts.firstIndex(where: { $0 > i && $0 - i <= 6 }) {
                    state.entities.preApproval = state.entities.money[k]
                }
            }
            guard state.entities.loanType == nil else { continue }
            let prev = i > 0 ? t[i - 1].text : ""
            let next = i + 1 < t.count ? t[i + 1].text : ""
            switch token.text {
            case "cash" where next != "back" && prev != "petty":
                state.entities.loanType = LoanTypeMention(type: .cash, text: t.phrase(max(0, i - 1), i + 1))
            case "fha":
                state.entities.loanType = LoanTypeMention(type: .fha, text: token.text)
            case "va" where vaCues.contains(next) || vaCues.contains(prev):
                state.entities.loanType = LoanTypeMention(type: .va, text: t.phrase(i, min(t.count, i + 2)))
            case "conventional":
                state.entities.loanType = LoanTypeMention(type: .conventional, text: t.phrase(i, min(t.count, i + 2)))
            case "usda":
                state.entities.loanType = LoanTypeMention(type: .usda, text: token.text)
            case "jumbo":
                state.entities.loanType = LoanTypeMention(type: .jumbo, text: t.phrase(i, min(t.count, i + 2)))
            default: break
            }
        }
    }
}
