import Foundation

/// The intent model as committed in `Resources/intent-model.json`: readable, diffable, and
/// keyed by feature names so a person can see which words drive which intent.
struct IntentModelFile: Codable {
    static let format = "livehub-intent-model/1"

    var format: String
    var provenance: IntentModel.Provenance
    var labels: [String]
    var bias: [Float]
    /// Feature name → one weight per label.
    var features: [String: [Float]]
}

public enum IntentModelError: Error, CustomStringConvertible {
    case unreadable(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .unreadable(let why): return "intent model could not be read: \(why)"
        case .invalid(let why): return "intent model is invalid: \(why)"
        }
    }
}

extension IntentModel {
    /// Decodes and validates a model file.
    public init(json: Data) throws {
        let file: IntentModelFile
        do {
            file = try JSONDecoder().decode(IntentModelFile.self, from: json)
        } catch {
            throw IntentModelError.unreadable(String(describing: error))
        }
        guard file.format == IntentModelFile.format else { throw IntentModelError.invalid("format \(file.format), expected \(IntentModelFile.format)") }
        var labels: [Intent] = []
        for name in file.labels {
            guard let intent = Intent(rawValue: name) else { throw IntentModelError.invalid("unknown label \(name)") }
            labels.append(intent)
        }
        guard file.bias.count == labels.count else { throw IntentModelError.invalid("bias has \(file.bias.count) values for \(labels.count) labels") }
        var rows: [UInt64: Int] = [:]
        var weights: [Float] = []
        weights.reserveCapacity(file.features.count * labels.count)
        for (name, w) in file.features.sorted(by: { $0.key < $1.key }) {
            guard w.count == labels.count else { throw IntentModelError.invalid("feature \(name) has \(w.count) weights for \(labels.count) labels") }
            rows[FeatureHash.of(name: name)] = rows.count
            weights.append(contentsOf: w)
        }
        self.init(labels: labels, rows: rows, weights: weights, bias: file.bias, provenance: file.provenance)
    }

    /// Encodes the model with the names recorded during training; weights rounded to 1e-4.
    public func json(names: [UInt64: String]) throws -> Data {
        var features: [String: [Float]] = [:]
        for (id, row) in rowIds {
            guard let name = names[id] else { continue }
            let w = (0..<labels.count).map { (weights[row * labels.count + $0] * 10_000).rounded() / 10_000 }
            // Features the model never moved away from zero carry nothing.
            if w.contains(where: { abs($0) >= 0.001 }) { features[name] = w }
        }
        let file = IntentModelFile(
            format: IntentModelFile.format, provenance: provenance, labels: labels.map(\.rawValue),
            bias: bias.map { ($0 * 10_000).rounded() / 10_000 }, features: features)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(file)
    }
}
