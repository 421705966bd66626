import Foundation

/// One labelled message: a line `{"text", "intent", "objection"?}` of a JSONL file.
public struct IntentExample: Sendable, Hashable, Codable {
    public let text: String
    public let intent: Intent
    /// One objection or a list of them; absent when none.
    public let objections: [Objection]

    enum CodingKeys: String, CodingKey { case text, intent, objection, objections }

    public init(text: String, intent: Intent, objections: [Objection] = []) {
        self.text = text
        self.intent = intent
        self.objections = objections
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        intent = try c.decode(Intent.self, forKey: .intent)
        if let list = try? c.decodeIfPresent([Objection].self, forKey: .objections) {
            objections = list
        } else if let list = try? c.decodeIfPresent([Objection].self, forKey: .objection) {
            objections = list
        } else if let one = try c.decodeIfPresent(Objection.self, forKey: .objection) {
            objections = [one]
        } else {
            objections = []
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(intent, forKey: .intent)
        if !objections.isEmpty { try c.encode(objections, forKey: .objections) }
    }

    /// Parses JSONL; blank lines and lines starting with `//` are skipped. Errors name the line.
    public static func parseLines(_ data: Data) throws -> [IntentExample] {
        let decoder = JSONDecoder()
        var out: [IntentExample] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
            do {
                out.append(try decoder.decode(IntentExample.self, from: Data(trimmed.utf8)))
            } catch {
                throw EvaluationError.badLine(n + 1, String(describing: error))
            }
        }
        return out
    }
}

public enum EvaluationError: Error, CustomStringConvertible {
    case badLine(Int, String)
    case badFile(String)

    public var description: String {
        switch self {
        case .badLine(let n, let why): return "line \(n): \(why)"
        case .badFile(let why): return why
        }
    }
}
