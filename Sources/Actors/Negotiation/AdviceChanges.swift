import Coaching

/// "What changed" since the last advice, in a few short lines an agent reads at a glance.
enum AdviceChanges {
    static func describe(from old: NegotiationAdvice?, to new: NegotiationAdvice, offers: [SessionOffer]) -> [String] {
        var lines: [String] = offers.map { o in
            let how = o.source == .text ? "" : o.source == .call ? " on a call" : o.source == .logged ? " (logged)" : " (GHL value)"
            return "\(o.party == .buyer ? "Buyer" : "Seller") offered \(NegotiationAdvice.formatPrice(o.amount))\(how)."
        }
        guard let old else { return lines }
        if let a = old.predictedSettlement, let b = new.predictedSettlement, abs(a - b) >= 0.5 {
            lines.append("Likely settlement \(NegotiationAdvice.formatPrice(a)) → \(NegotiationAdvice.formatPrice(b)).")
        } else if old.predictedSettlement == nil, let b = new.predictedSettlement {
            lines.append("Likely settlement now \(NegotiationAdvice.formatPrice(b)).")
        }
        if let a = old.dealProbability, let b = new.dealProbability, abs(a - b) >= 0.03 {
            lines.append("Deal chance \(percent(a)) → \(percent(b)).")
        }
        if old.action != new.action || old.recommendedCounter != new.recommendedCounter {
            lines.append("Now: \(new.headline) (was: \(old.headline)).")
        }
        for w in new.warnings where !old.warnings.contains(w) { lines.append("New: " + w) }
        return Array(lines.prefix(6))
    }

    private static func percent(_ p: Double) -> String { "\(Int((p * 100).rounded()))%" }
}
