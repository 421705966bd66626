import Coaching
import Foundation

/// Turns valid samples into the inputs hostile or broken clients send: flipped bits, cut-off
/// bodies, numbers no JSON reader can hold, nesting deep enough to exhaust a recursive parser,
/// invalid UTF-8, values of the wrong type, huge strings, missing fields, duplicate keys.
struct Mutator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func mutate(_ sample: [UInt8]) -> [UInt8] {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return flipBits(sample)
        case 1: return Array(sample.prefix(Int.random(in: 0...max(0, sample.count - 1), using: &random)))
        case 2: return structured(sample) { m in .number(["1e309", "-1e309", "99999999999999999999999999999999", "-0", "1.7976931348623157e308", "NaN", "0x10"].randomElement(using: &m.random) ?? "1e309") }
        case 3: return nested(depth: [64, 512, 5_000, 100_000].randomElement(using: &random) ?? 5_000, opener: Bool.random(using: &random) ? "[" : "{\"a\":")
        case 4: return insertInvalidUTF8(sample)
        case 5: return structured(sample) { m in [.array, .object, .bool, .null, .number("42"), .string("wrong type")].randomElement(using: &m.random) ?? .null }
        case 6: return structured(sample) { m in .string(String(repeating: "x", count: [1_000, 70_000, 300_000].randomElement(using: &m.random) ?? 1_000)) }
        case 7: return structured(sample) { _ in .remove }
        case 8: return duplicateKey(sample)
        default: return flipBits(Array(sample.shuffled(using: &random).prefix(sample.count / 2)) + sample)
        }
    }

    private mutating func flipBits(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [0xFF] }
        var out = bytes
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            let i = Int.random(in: 0..<out.count, using: &random)
            out[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        }
        return out
    }

    private mutating func insertInvalidUTF8(_ bytes: [UInt8]) -> [UInt8] {
        let bad: [[UInt8]] = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xE2, 0x82]]
        var out = bytes
        out.insert(contentsOf: bad.randomElement(using: &random) ?? [0xFF], at: Int.random(in: 0...out.count, using: &random))
        return out
    }

    private func nested(depth: Int, opener: String) -> [UInt8] {
        let closer = opener == "[" ? "]" : "}"
        return Array((String(repeating: opener, count: depth) + "1" + String(repeating: closer, count: depth)).utf8)
    }

    private mutating func duplicateKey(_ bytes: [UInt8]) -> [UInt8] {
        guard let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return flipBits(bytes) }
        let extra = Array(#","type":"InboundMessage","type":42,"locationId":null"#.utf8)
        return Array(bytes[..<close]) + extra + Array(bytes[close...])
    }

    enum Replacement {
        case number(String), string(String), bool, null, array, object, remove
    }

    /// Replaces the value of one top-level (or `data`) field of a JSON object sample.
    private mutating func structured(_ bytes: [UInt8], _ make: (inout Mutator) -> Replacement) -> [UInt8] {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any], let key = object.keys.sorted().randomElement(using: &random) else {
            return flipBits(bytes)
        }
        let replacement = make(&self)
        var numberLiteral: String?
        switch replacement {
        case .number(let literal):
            object[key] = "__NUMBER__"
            numberLiteral = literal
        case .string(let s): object[key] = s
        case .bool: object[key] = true
        case .null: object[key] = NSNull()
        case .array: object[key] = [1, "two", ["three"]]
        case .object: object[key] = ["nested": ["deeper": 1]]
        case .remove: object[key] = nil
        }
        guard var text = (try? JSONSerialization.data(withJSONObject: object)).map({ String(decoding: $0, as: UTF8.self) }) else { return flipBits(bytes) }
        if let numberLiteral { text = text.replacingOccurrences(of: "\"__NUMBER__\"", with: numberLiteral) }
        return Array(text.utf8)
    }
}
