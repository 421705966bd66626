import Actors
import Foundation
import NIOCore

/// A frame the server sends, already encoded. `topic` and `seq` let a connection's queue drop a
/// topic's frames on overflow and skip duplicates after a replay.
///
/// The bytes are built once and shared, as the whole WebSocket frame (an unmasked text frame's
/// header, then the JSON): the same buffer is written to every watcher's socket as it is (a
/// `ByteBuffer` is copy-on-write, and writing never mutates it), with no header to build and no
/// second buffer per watcher.
struct ServerFrame: Sendable {
    /// The frame as it goes on the wire: header, then `json`.
    let wire: ByteBuffer
    let topic: String?
    let seq: UInt64?
    private let headerLength: Int

    init(text: String, topic: String?, seq: UInt64?) {
        var b = Self.payloadBuffer(capacity: text.utf8.count)
        b.writeString(text)
        self.init(payload: b, topic: topic, seq: seq)
    }

    /// `payload` must come from `payloadBuffer`: the header is written into the room left
    /// before it, so the JSON is never copied.
    private init(payload: ByteBuffer, topic: String?, seq: UInt64?) {
        var b = payload
        let length = b.readableBytes - Self.headerRoom
        var header: [UInt8] = [0x81]  // FIN, text
        switch length {
        case ..<126: header.append(UInt8(length))
        case ..<65_536: header += [126, UInt8(length >> 8), UInt8(length & 0xFF)]
        default: header += [127] + (0..<8).reversed().map { UInt8((length >> ($0 * 8)) & 0xFF) }
        }
        let start = b.readerIndex + Self.headerRoom - header.count
        b.setBytes(header, at: start)
        b.moveReaderIndex(to: start)
        self.wire = b
        self.topic = topic
        self.seq = seq
        self.headerLength = header.count
    }

    /// The longest header a server frame needs (no mask): 2 bytes and an 8-byte length.
    private static let headerRoom = 10

    /// A buffer for a frame's JSON, with room before it for the header.
    private static func payloadBuffer(capacity: Int) -> ByteBuffer {
        var b = ByteBuffer()
        b.reserveCapacity(headerRoom + capacity)
        b.writeRepeatingByte(0, count: headerRoom)
        return b
    }

    /// The frame's JSON.
    var json: ByteBuffer { wire.getSlice(at: wire.readerIndex + headerLength, length: wire.readableBytes - headerLength) ?? ByteBuffer() }

    /// The frame as text (tests and tools; the server writes `wire`).
    var text: String { String(buffer: json) }

    /// `{"type":"event","topic":…,"conversationId":…,"seq":…,"kind":…,"at":…,"data":…}` —
    /// `data` spliced in as stored.
    static func event(topic: String, _ e: ConversationEvent) -> ServerFrame {
        let topicJSON = JSONValue.string(topic).encoded
        // A negotiation's events are stored under its stream id, `negotiation:{id}`: clients
        // get the session's id under its own name.
        let negotiation = e.conversationId.hasPrefix(Self.negotiationPrefix)
        let idJSON = JSONValue.string(negotiation ? String(e.conversationId.dropFirst(Self.negotiationPrefix.count)) : e.conversationId).encoded
        var b = Self.payloadBuffer(capacity: 96 + topicJSON.utf8.count + idJSON.utf8.count + e.data.count)
        b.writeStaticString(#"{"type":"event","topic":"#)
        b.writeString(topicJSON)
        if negotiation { b.writeStaticString(#","negotiationId":"#) } else { b.writeStaticString(#","conversationId":"#) }
        b.writeString(idJSON)
        b.writeString(#","seq":\#(e.seq),"kind":"\#(e.kind.rawValue)","at":\#(e.at),"data":"#)
        b.writeBytes(e.data)
        b.writeStaticString("}")
        // `seq` orders a conversation's own topic only (the hub sends a conversation's events to
        // no other conversation topic), and a session's own: a location or agent topic interleaves the events of many
        // conversations, whose numbers say nothing about each other.
        return ServerFrame(payload: b, topic: topic, seq: topic.hasPrefix("conversation:") || topic.hasPrefix(Self.negotiationPrefix) ? e.seq : nil)
    }

    static let negotiationPrefix = "negotiation:"

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

    /// `topic` names the topic a refused `subscribe` asked for.
    static func error(_ code: String, _ message: String, op: String?, topic: String? = nil) -> ServerFrame {
        var f: [String: JSONValue] = ["type": .string("error"), "code": .string(code), "message": .string(message)]
        if let op { f["op"] = .string(op) }
        if let topic { f["topic"] = .string(topic) }
        return object(f)
    }
}
