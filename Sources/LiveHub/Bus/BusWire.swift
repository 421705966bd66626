import Actors
import Foundation

/// How a bus message travels between nodes: JSON, with the node that published it (a node
/// ignores its own messages: it delivered them in-process already). An event's payload is JSON
/// already and travels as a string, sent on to clients as it is.
///
/// Only what another node acts on travels: commits, presence and settings changes. The outbox's
/// wake-up does not (the sender of a location runs on its owner, the node that committed).
package enum BusWire {
    package struct Envelope: Codable, Sendable {
        package let origin: String
        package var committed: Commit?
        package var presence: AgentPresence?
        package var settings: SettingsChange?
        package var negotiation: NegotiationEvents?
        package var toAgent: AgentFrame?
        /// The sender could not publish some messages: every node reads what it missed.
        package var resync: Bool?
    }

    /// What a node received.
    package enum Received: Sendable {
        case message(BusMessage)
        /// Read what was missed from the database (the sender dropped messages).
        case resync
    }

    /// An envelope that asks every node to catch up from the database.
    package static func resync(origin: String) throws -> [UInt8] {
        var envelope = Envelope(origin: origin)
        envelope.resync = true
        return Array(try JSONEncoder().encode(envelope))
    }

    package struct Commit: Codable, Sendable {
        let summary: ConversationSummary
        let events: [Event]
    }

    struct Event: Codable, Sendable {
        let seq: UInt64
        let at: Double
        let kind: EventKind
        let data: String
    }

    /// The message's bytes, or nil for a message that stays on its node.
    package static func encode(_ message: BusMessage, origin: String) throws -> [UInt8]? {
        var envelope = Envelope(origin: origin)
        switch message {
        case .committed(let c):
            envelope.committed = Commit(
                summary: c.summary, events: c.events.map { Event(seq: $0.seq, at: $0.at, kind: $0.kind, data: String(decoding: $0.data, as: UTF8.self)) })
        case .presence(let p): envelope.presence = p
        case .settingsChanged(let s): envelope.settings = s
        case .outboxQueued: return nil
        case .negotiation(let n): envelope.negotiation = n
        case .toAgent(let f): envelope.toAgent = f
        }
        return Array(try JSONEncoder().encode(envelope))
    }

    /// What was received and its origin; throws on bytes no node of this version wrote.
    package static func decode(_ bytes: [UInt8]) throws -> (origin: String, received: Received) {
        let envelope = try JSONDecoder().decode(Envelope.self, from: Data(bytes))
        if let c = envelope.committed {
            let id = c.summary.conversationId
            let events = c.events.map { ConversationEvent(conversationId: id, seq: $0.seq, at: $0.at, kind: $0.kind, data: Data($0.data.utf8)) }
            return (envelope.origin, .message(.committed(CommittedEvents(events: events, summary: c.summary))))
        }
        if let p = envelope.presence { return (envelope.origin, .message(.presence(p))) }
        if let s = envelope.settings { return (envelope.origin, .message(.settingsChanged(s))) }
        if let n = envelope.negotiation { return (envelope.origin, .message(.negotiation(n))) }
        if let f = envelope.toAgent { return (envelope.origin, .message(.toAgent(f))) }
        if envelope.resync == true { return (envelope.origin, .resync) }
        throw BusWireError.empty
    }
}

package enum BusWireError: Error, CustomStringConvertible {
    case empty

    package var description: String { "a bus message with nothing in it" }
}
