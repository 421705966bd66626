import Coaching
import Foundation
import Testing

@testable import Actors

/// The payload encoder must write exactly what Foundation's JSONEncoder (sorted keys, slashes
/// unescaped) writes: stored events and frames were written by it before.
@Suite("Compact JSON encoder")
struct CompactJSONTests {
    static let foundation: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func same<T: Encodable>(_ value: T, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try CompactJSONEncoder.encode(value)
        let theirs = try foundation.encode(value)
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self), comment, sourceLocation: sourceLocation)
    }

    @Test("every payload the coaching engine produces for 600+ labelled messages, in a running conversation, byte for byte")
    func enginePayloads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var texts: [String] = []
        for name in ["messages", "dev", "holdout", "optout-dev"] {
            let data = try Data(contentsOf: root.appendingPathComponent("Fixtures/coaching/\(name).jsonl"))
            texts += try IntentExample.parseLines(data).map(\.text)
        }
        #expect(texts.count > 600)
        var session = CoachingSession(represented: .seller)
        var state = ConversationState(conversationId: "c/1 \"quoted\"", locationId: "loc", contactId: "k")
        for (i, text) in texts.enumerated() {
            let step = Fixture.engine.step(&session, text: text, speaker: i % 3 == 2 ? .agent : .lead, at: 1_700_000_000 + Double(i) * 61.5)
            try Self.same(step.analysis, "\(text)")
            try Self.same(step.score)
            try Self.same(step.cards)
            try Self.same(step.replies)
            if let advice = step.negotiation { try Self.same(advice) }
            try Self.same(MessagePayload(messageId: "m-\(i)", channel: "SMS", text: text, direction: "inbound"))
            state.head = UInt64(i)
            state.score = step.score.score
            state.sentiment = step.analysis.sentiment.score
            state.lastMessagePreview = String(text.prefix(140))
            try Self.same(state)
        }
    }

    struct Numbers: Codable {
        var doubles: [Double]
        var floats: [Float]
        var ints: [Int8: UInt8]
        var i16: Int16, u16: UInt16, i32: Int32, u32: UInt32, i64: Int64, u64: UInt64, u: UInt
        var flag: Bool
        var missing: String?
        var nested: [String: [[Double?]]]
    }

    @Test("numbers, integers of every width, optionals, nesting and dictionaries with integer keys")
    func numbers() throws {
        try Self.same(Numbers(
            doubles: [0, -0.0, 0.1, 1, -1, 1.5, 1e-7, 1e21, 1e16, 123_456_789.123, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1_700_000_000.123, 2.0 / 3],
            floats: [0.1, 3, 1e-9, .greatestFiniteMagnitude], ints: [-128: 255, 0: 0, 7: 1],
            i16: .min, u16: .max, i32: .min, u32: .max, i64: .min, u64: .max, u: 42, flag: true, missing: nil,
            nested: ["b": [[1, nil, 2.5]], "a": [], "": [[]]]))
        try Self.same(3.0)
        try Self.same("top-level fragment")
        try Self.same([Int?.none])
    }

    @Test("strings: quotes, backslashes, slashes, every control character, non-ASCII and emoji")
    func strings() throws {
        let controls = String(decoding: (0..<32).map { UInt8($0) }, as: UTF8.self)
        try Self.same(["k\"ey": "a\"b\\c/d\(controls)é漢字👍🏽\u{7F}\u{2028}"])
        try Self.same(["b": 1, "a": 2, "B": 3, "é": 4, "aa": 5, "a1": 6])
    }

    class Base: Encodable {
        var name = "base"
    }

    final class Derived: Base {
        var extra = 7
        enum K: String, CodingKey { case extra, parent, tag, label }
        override func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(extra, forKey: .extra)
            try super.encode(to: c.superEncoder())
            try "v1".encode(to: c.superEncoder(forKey: .label))  // a super encoder that writes a single value
            var again = c.nestedContainer(keyedBy: K.self, forKey: .parent)
            try again.encode(1, forKey: .extra)
            var same = c.nestedContainer(keyedBy: K.self, forKey: .parent)  // the same key: merged, as Foundation does
            try same.encode("x", forKey: .tag)
            try c.encode(8, forKey: .extra)  // a key set twice keeps its last value
            try c.encode(Int128.max, forKey: .tag)
        }
    }

    struct Silent: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test("super encoders, a nested container asked for twice, a key set twice, 128-bit integers, a value that encodes nothing")
    func shapes() throws {
        try Self.same(Derived())
        try Self.same([Silent()])
        try Self.same(["nested": Silent()])
        // At the top level Foundation refuses it: the fallback keeps that answer.
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder.encode(Silent()) }
        #expect(throws: EncodingError.self) { try PayloadEncoder.encode(Silent()) }
    }

    @Test("NaN and infinities have no JSON form: an error, as with Foundation")
    func nonConforming() throws {
        #expect(throws: EncodingError.self) { try CompactJSONEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try CompactJSONEncoder.encode(["x": Double.infinity]) }
        #expect(throws: EncodingError.self) { try CompactJSONEncoder.encode(Float.infinity) }
    }

    @Test("types Foundation encodes its own way are left to Foundation")
    func unsupported() throws {
        #expect(throws: CompactJSONEncoder.Unsupported.self) { try CompactJSONEncoder.encode(["d": Data([1, 2])]) }
        #expect(try PayloadEncoder.encode(["d": Data([1, 2])]) == Self.foundation.encode(["d": Data([1, 2])]))
        #expect(try PayloadEncoder.encode(["u": URL(fileURLWithPath: "/tmp/x")]) == Self.foundation.encode(["u": URL(fileURLWithPath: "/tmp/x")]))
    }
}
