import Foundation

/// The two fitted models behind the advice: settlement price and deal probability.
///
/// Both read `Features`, ratios to the listing price. Settlement is a least-absolute-deviations
/// fit, piecewise linear in the gap; the deal probability a ridge logistic regression on a
/// piecewise linear bid curve, the gap, the listing's scale and time pressure. Coefficients
/// live in `Resources/negotiation-model.json`, written by `livehub train negotiation` (which
/// also prints cross-validated figures).
public struct NegotiationModel: Sendable, Hashable, Codable {
    /// Version 2: the feature rows of `Features.settlementRow` and `Features.dealRow`.
    public static let format = "livehub-negotiation-model/2"

    public var format: String
    public var command: String
    public var trainedOn: String
    /// One weight per `Features.settlementRow` entry (intercept first).
    public var settlement: [Double]
    /// Residual quantiles (10th, 90th percentile) of the settlement ratio, for the interval.
    public var settlementInterval: [Double]
    /// One weight per `Features.dealRow` entry (intercept first).
    public var deal: [Double]

    public init(json: Data) throws {
        let m = try JSONDecoder().decode(NegotiationModel.self, from: json)
        guard m.format == Self.format else { throw IntentModelError.invalid("negotiation model format \(m.format), expected \(Self.format)") }
        guard m.settlement.count == Features.settlementFeatureCount + 1, m.settlementInterval.count == 2, m.deal.count == Features.dealFeatureCount + 1 else {
            throw IntentModelError.invalid("negotiation model has the wrong number of coefficients")
        }
        self = m
    }

    public init(command: String, trainedOn: String, settlement: [Double], settlementInterval: [Double], deal: [Double]) {
        self.format = Self.format
        self.command = command
        self.trainedOn = trainedOn
        self.settlement = settlement
        self.settlementInterval = settlementInterval
        self.deal = deal
    }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }

    /// Predicted settlement as a fraction of the listing price, kept within
    /// `Features.settlementBounds` (between bid and ask; below the ask when the bid echoes it).
    public func settlementRatio(_ f: Features) -> Double {
        let bounds = f.settlementBounds
        return min(max(LinearAlgebra.dot(settlement, f.settlementRow), bounds.lowerBound), bounds.upperBound)
    }

    public func dealProbability(_ f: Features) -> Double {
        sigmoid(LinearAlgebra.dot(deal, f.dealRow))
    }
}

/// Fits `NegotiationModel` from examples; used by `livehub train negotiation` and by the
/// cross-validation in the evaluation.
public enum NegotiationModelFitter {
    public struct Example: Sendable {
        public let features: NegotiationModel.Features
        /// Final price over listing, for dialogues that ended in a deal.
        public let settlement: Double?
        public let deal: Bool
        public let group: String

        public init(features: NegotiationModel.Features, settlement: Double?, deal: Bool, group: String) {
            self.features = features
            self.settlement = settlement
            self.deal = deal
            self.group = group
        }
    }

    /// Ridge strength of both fits, fixed rather than tuned per fit. In the absolute-deviation
    /// objective it keeps the gap-knot slopes from chasing a handful of dialogues; in the
    /// logistic one (price terms in ten-point units) it keeps a rare flag from taking extreme
    /// odds. Nested cross-validation choosing it inside each training fold mostly picks 0.1–1
    /// and scores no better (docs/coaching.md, "Negotiation coach").
    public static let ridge = 1.0

    public static func fit(_ examples: [Example], command: String, trainedOn: String) -> NegotiationModel? {
        let deals = examples.filter { $0.settlement != nil }
        let x = deals.map(\.features.settlementRow)
        let y = deals.compactMap(\.settlement)
        guard let settlement = LinearAlgebra.leastAbsoluteDeviations(x, y, lambda: ridge),
            let deal = LinearAlgebra.logistic(examples.map(\.features.dealRow), examples.map { $0.deal ? 1 : 0 }, lambda: ridge)
        else { return nil }
        let residuals = zip(x, y).map { $1 - LinearAlgebra.dot(settlement, $0) }.sorted()
        let q = { (p: Double) in residuals.isEmpty ? 0 : residuals[min(residuals.count - 1, Int(Double(residuals.count) * p))] }
        return NegotiationModel(command: command, trainedOn: trainedOn, settlement: settlement, settlementInterval: [q(0.1), q(0.9)], deal: deal)
    }
}
