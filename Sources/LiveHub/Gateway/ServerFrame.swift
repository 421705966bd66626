import Actors
import Foundation
import NIOCore

/// A frame the server sends, already encoded. `topic` and `seq` let a connection's queue drop a
/// topic's frames on overflow and skip duplicates after a replay.
///
/// The bytes are built once and shared: the same buffer is written to every watcher's socket
/// (a `ByteBuffer` is copy-on-write, and writing never mutates it).
struct ServerFrame: Sendable {
    let bytes: ByteBuffer
    let topic: String?
    let seq: UInt64?

    init(text: String, topic: String?, seq: UInt64?) {
        self.init(bytes: ByteBuffer(string: text), topic: topic, seq: seq)
    }

    init(bytes: ByteBuffer, topic: String?, seq: UInt64?) {
        self.bytes = bytes
        self.topic = topic
        self.seq = seq
    }

    /// The frame as text (tests and tools; the server writes `bytes`).
    var text: String { String(buffer: bytes) }

    /// `{"type":"event","topic":…,"conversationId":…,"seq":…,"kind":…,"at":…,"data":…}` —
    /// `data` spliced in as stored.
    static func event(topic: String, _ e: ConversationEvent) -> ServerFrame {
        let topicJSON = JSONValue.string(topic).encoded
        let idJSON = JSONValue.string(e.conversationId).encoded
        var b = ByteBuffer()
        b.reserveCapacity(96 + topicJSON.utf8.count + idJSON.utf8.count + e.data.count)
        b.writeStaticString(#"{"type":"event","topic":"#)
        b.writeString(topicJSON)
        b.writeStaticString(#","conversationId":"#)
        b.writeString(idJSON)
        b.writeString(#","seq":\#(e.seq),"kind":"\#(e.kind.rawValue)","at":\#(e.at),"data":"#)
        b.writeBytes(e.data)
        b.writeStaticString("}")
        // `seq` orders a conversation's own topic only (the hub sends a conversation's events to
        // no other conversation topic): a location or agent topic interleaves the events of many
        // conversations, whose numbers say nothing about each other.
        return ServerFrame(bytes: b, topic: topic, seq: topic.hasPrefix("conversation:") ? e.seq : nil)
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
