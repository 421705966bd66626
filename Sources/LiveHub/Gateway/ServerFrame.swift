import Actors
import Foundation

/// A frame the server sends, already encoded. `topic` and `seq` let a connection's queue drop a
/// topic's frames on overflow and skip duplicates after a replay.
struct ServerFrame: Sendable {
    let text: String
    let topic: String?
    let seq: UInt64?

    /// `{"type":"event","topic":…,"seq":…,"kind":…,"at":…,"data":…}` — `data` spliced in as stored.
    static func event(topic: String, _ e: ConversationEvent) -> ServerFrame {
        var s = #"{"type":"event","topic":"# + JSONValue.string(topic).encoded
        s += #","conversationId":"# + JSONValue.string(e.conversationId).encoded
        s += #","seq":\#(e.seq),"kind":"\#(e.kind.rawValue)","at":\#(e.at),"data":"#
        s += String(decoding: e.data, as: UTF8.self) + "}"
        return ServerFrame(text: s, topic: topic, seq: e.seq)
    }

    /// A location-topic summary of one conversation after a change.
    static func summary(topic: String, _ summary: ConversationSummary, at: Double) throws -> ServerFrame {
        Self.summary(topic: topic, json: try PayloadEncoder.encode(summary), at: at)
    }

    static func summary(topic: String, json: Data, at: Double) -> ServerFrame {
        let s = #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"conversation.summary","at":\#(at),"data":"# + String(decoding: json, as: UTF8.self) + "}"
        return ServerFrame(text: s, topic: topic, seq: nil)
    }

    static func object(_ fields: [String: JSONValue], topic: String? = nil) -> ServerFrame {
        var s = "{"
        for (i, (k, v)) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { s += "," }
            s += JSONValue.string(k).encoded + ":" + v.encoded
        }
        return ServerFrame(text: s + "}", topic: topic, seq: nil)
    }

    /// The client must resubscribe to `topic` with `since` (its backlog was dropped).
    static func resync(_ topic: String, reason: String) -> ServerFrame {
        object(["type": .string("resync"), "topic": .string(topic), "reason": .string(reason)])
    }

    static func error(_ code: String, _ message: String, op: String?) -> ServerFrame {
        var f: [String: JSONValue] = ["type": .string("error"), "code": .string(code), "message": .string(message)]
        if let op { f["op"] = .string(op) }
        return object(f)
    }
}
