import Coaching

/// Human-readable evaluation reports.
enum ReportFormatter {
    static func pct(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 10
        return "\(v)%"
    }

    static func intents(_ r: IntentReport, showErrors: Bool) -> String {
        var lines: [String] = []
        lines.append("messages: \(r.messages)")
        lines.append("top-1 accuracy: \(pct(r.accuracy))   macro-F1: \(pct(r.macroF1))")
        lines.append("opt-out precision: \(pct(r.optOutPrecision))   recall: \(pct(r.optOutRecall))   false-positive rate: \(pct(r.optOutFalsePositiveRate))")
        lines.append("objection recall: \(pct(r.objectionRecall))")
        lines.append("")
        lines.append("intent".padding(20) + "support".padding(9) + "precision".padding(11) + "recall".padding(9) + "f1")
        for p in r.perIntent {
            lines.append(p.intent.rawValue.padding(20) + "\(p.support)".padding(9) + pct(p.precision).padding(11) + pct(p.recall).padding(9) + pct(p.f1))
        }
        lines.append("")
        lines.append("confusion (rows: truth, columns: predicted; only non-zero off-diagonal cells)")
        for (truth, row) in r.confusion.sorted(by: { $0.key < $1.key }) {
            let off = row.filter { $0.key != truth }.sorted { $0.value > $1.value }
            guard !off.isEmpty else { continue }
            lines.append("  \(truth) → " + off.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        }
        if showErrors {
            lines.append("")
            lines.append("misclassified:")
            for e in r.errors { lines.append("  [\(e.expected.rawValue) → \(e.predicted.rawValue)] \(e.text)") }
        }
        return lines.joined(separator: "\n")
    }

    static func negotiation(_ title: String, _ r: NegotiationReport) -> String {
        """
        \(title)
          dialogues: \(r.dialogues)   with a checkpoint: \(r.checkpoints)   ended in a deal: \(r.deals)
          settlement MAE (fraction of listing): \(pct(r.settlementMAE))   baselines: listing price \(pct(r.baselineListingMAE)), midpoint \(pct(r.baselineMidpointMAE))
          deal-prediction AUC: \((r.dealAUC * 1000).rounded() / 1000)   baseline (negated gap): \((r.baselineGapAUC * 1000).rounded() / 1000)
        """
    }

    static func negotiationSpread(_ title: String, _ s: NegotiationSpread) -> String {
        // Two decimals: fold draws move the MAE by hundredths of a point.
        let pct = { (x: Double) in "\((x * 10_000).rounded() / 100)%" }
        let auc = { (x: Double) in "\((x * 1000).rounded() / 1000)" }
        return """
            \(title)
              settlement MAE: mean \(pct(s.settlementMAE.mean)) (sd \(pct(s.settlementMAE.standardDeviation)), \(pct(s.settlementMAE.min))–\(pct(s.settlementMAE.max)))
              deal-prediction AUC: mean \(auc(s.dealAUC.mean)) (sd \(auc(s.dealAUC.standardDeviation)), \(auc(s.dealAUC.min))–\(auc(s.dealAUC.max)))
            """
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
