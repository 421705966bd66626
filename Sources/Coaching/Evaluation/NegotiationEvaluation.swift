/// Settlement MAE and deal AUC on CraigslistBargain checkpoints, with the baselines.
public struct NegotiationReport: Sendable, Codable {
    public let dialogues: Int
    public let checkpoints: Int
    public let deals: Int
    /// Mean absolute error of the predicted settlement, as a fraction of the listing price.
    public let settlementMAE: Double
    public let baselineListingMAE: Double
    public let baselineMidpointMAE: Double
    public let dealAUC: Double
    public let baselineGapAUC: Double
}

/// How a cross-validated figure varies over draws of folds.
public struct NegotiationSpread: Sendable, Codable {
    /// Mean, population standard deviation and range of one figure over the runs.
    public struct Summary: Sendable, Codable {
        public let mean: Double
        public let standardDeviation: Double
        public let min: Double
        public let max: Double
        public let runs: Int

        init(_ values: [Double]) {
            let n = Double(Swift.max(values.count, 1))
            let m = values.reduce(0, +) / n
            mean = m
            standardDeviation = (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / n).squareRoot()
            min = values.min() ?? 0
            max = values.max() ?? 0
            runs = values.count
        }
    }

    public let settlementMAE: Summary
    public let dealAUC: Summary
}

public enum NegotiationEvaluation {
    public static func checkpoints(_ dialogues: [BargainDialogue]) -> [BargainCheckpoint] {
        dialogues.compactMap(BargainCheckpoint.at)
    }

    /// Measures a model as it is.
    public static func evaluate(_ dialogues: [BargainDialogue], model: NegotiationModel) -> NegotiationReport {
        let cps = checkpoints(dialogues)
        return report(dialogues: dialogues.count, cps, settlement: cps.map { model.settlementRatio(NegotiationModel.Features($0.state)) }, deal: cps.map { model.dealProbability(NegotiationModel.Features($0.state)) })
    }

    /// The seed of the reported folds. Other seeds only measure how much the figures move
    /// with the draw of folds (`crossValidationSpread`).
    public static let foldSeed: UInt64 = 11

    /// k-fold cross-validation grouped by `post_id`: dialogues about one listing never sit on
    /// both sides of a split.
    public static func crossValidate(_ dialogues: [BargainDialogue], folds: Int = 5, seed: UInt64 = foldSeed) -> NegotiationReport? {
        crossValidate(checkpoints(dialogues), dialogues: dialogues.count, folds: folds, seed: seed)
    }

    /// The same cross-validation repeated over `seeds` other draws of folds (seeds 1000,
    /// 1001, …, never the reported one): the figures' spread, for telling a change from a
    /// lucky split.
    public static func crossValidationSpread(_ dialogues: [BargainDialogue], folds: Int = 5, seeds: Int) -> NegotiationSpread? {
        let cps = checkpoints(dialogues)
        var reports: [NegotiationReport] = []
        for seed in (0..<UInt64(max(seeds, 1))).map({ 1_000 + $0 }) {
            guard let r = crossValidate(cps, dialogues: dialogues.count, folds: folds, seed: seed) else { return nil }
            reports.append(r)
        }
        return NegotiationSpread(settlementMAE: .init(reports.map(\.settlementMAE)), dealAUC: .init(reports.map(\.dealAUC)))
    }

    static func crossValidate(_ cps: [BargainCheckpoint], dialogues: Int, folds: Int, seed: UInt64) -> NegotiationReport? {
        let groups = Array(Set(cps.map(\.group))).sorted()
        var rng = SplitMix64(seed: seed)
        let shuffled = groups.shuffled(using: &rng)
        let foldOf = Dictionary(uniqueKeysWithValues: shuffled.enumerated().map { ($1, $0 % folds) })
        var settlement = [Double](repeating: 0, count: cps.count)
        var deal = [Double](repeating: 0, count: cps.count)
        for f in 0..<folds {
            let train = cps.indices.filter { foldOf[cps[$0].group] != f }.map { cps[$0].example }
            guard let model = NegotiationModelFitter.fit(train, command: "", trainedOn: "") else { return nil }
            for i in cps.indices where foldOf[cps[i].group] == f {
                let features = NegotiationModel.Features(cps[i].state)
                settlement[i] = model.settlementRatio(features)
                deal[i] = model.dealProbability(features)
            }
        }
        return report(dialogues: dialogues, cps, settlement: settlement, deal: deal)
    }

    static func report(dialogues: Int, _ cps: [BargainCheckpoint], settlement: [Double], deal: [Double]) -> NegotiationReport {
        var err = 0.0, listErr = 0.0, midErr = 0.0, n = 0.0
        for (i, c) in cps.enumerated() {
            guard let f = c.finalPrice, f / c.listingPrice < 3 else { continue }
            let truth = f / c.listingPrice
            err += abs(settlement[i] - truth)
            listErr += abs(1 - truth)
            midErr += abs((min(c.lastAsk / c.listingPrice, 1.3) + min(c.firstBid / c.listingPrice, 1.3)) / 2 - truth)
            n += 1
        }
        let labels = cps.map(\.deal)
        return NegotiationReport(
            dialogues: dialogues, checkpoints: cps.count, deals: Int(n),
            settlementMAE: n == 0 ? 0 : err / n, baselineListingMAE: n == 0 ? 0 : listErr / n, baselineMidpointMAE: n == 0 ? 0 : midErr / n,
            dealAUC: auc(deal, labels),
            baselineGapAUC: auc(cps.map { -($0.lastAsk - $0.firstBid) / $0.listingPrice }, labels))
    }

    /// ROC AUC by the rank-sum (Mann–Whitney) formula, ties counted half.
    public static func auc(_ scores: [Double], _ labels: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        let sum = labels.indices.filter { labels[$0] }.map { ranks[$0] }.reduce(0, +)
        return (sum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }
}
