import Foundation

/// Multinomial logistic regression over hashed sparse features.
public struct IntentModel: Sendable {
    public let labels: [Intent]
    /// Feature id → row in `weights`.
    let rows: WordMap<Int>
    /// Row-major: `weights[row * labels.count + label]`.
    let weights: [Float]
    /// The same table as a dictionary, kept for writing the model file.
    let rowIds: [UInt64: Int]
    let bias: [Float]
    /// Provenance recorded in the model file: how it was trained and the command to redo it.
    public let provenance: Provenance

    public struct Provenance: Sendable, Codable, Hashable {
        public var command: String
        public var trainedOn: String
        public var examples: Int
        public var epochs: Int
        public var l2: Double

        public init(command: String, trainedOn: String, examples: Int, epochs: Int, l2: Double) {
            self.command = command
            self.trainedOn = trainedOn
            self.examples = examples
            self.epochs = epochs
            self.l2 = l2
        }
    }

    init(labels: [Intent], rows: [UInt64: Int], weights: [Float], bias: [Float], provenance: Provenance) {
        self.labels = labels
        self.rows = WordMap(keyed: rows)
        self.rowIds = rows
        self.weights = weights
        self.bias = bias
        self.provenance = provenance
    }

    /// Class probabilities for one feature vector, in `labels` order.
    public func probabilities(_ v: FeatureVector) -> [Float] {
        let n = labels.count
        var logits = bias
        weights.withUnsafeBufferPointer { w in
            for (k, id) in v.ids.enumerated() {
                guard let row = rows[id] else { continue }
                let x = v.values[k]
                let base = row * n
                for c in 0..<n { logits[c] += w[base + c] * x }
            }
        }
        return Self.softmax(logits)
    }

    /// The weight of one named feature for one label (0 when the model never saw it).
    public func weight(_ id: UInt64, for label: Int) -> Float {
        guard let row = rows[id] else { return 0 }
        return weights[row * labels.count + label]
    }

    static func softmax(_ logits: [Float]) -> [Float] {
        let m = logits.max() ?? 0
        var exps = logits.map { Foundation.exp($0 - m) }
        let sum = exps.reduce(0, +)
        for i in exps.indices { exps[i] /= sum }
        return exps
    }
}
