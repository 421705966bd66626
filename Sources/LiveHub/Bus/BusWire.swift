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
        }
        return Array(try JSONEncoder().encode(envelope))
    }

    /// The message and its origin; throws on bytes no node of this version wrote.
    package static func decode(_ bytes: [UInt8]) throws -> (origin: String, message: BusMessage) {
        let envelope = try JSONDecoder().decode(Envelope.self, from: Data(bytes))
        if let c = envelope.committed {
            let id = c.summary.conversationId
            let events = c.events.map { ConversationEvent(conversationId: id, seq: $0.seq, at: $0.at, kind: $0.kind, data: Data($0.data.utf8)) }
            return (envelope.origin, .committed(CommittedEvents(events: events, summary: c.summary)))
        }
        if let p = envelope.presence { return (envelope.origin, .presence(p)) }
        if let s = envelope.settings { return (envelope.origin, .settingsChanged(s)) }
        throw BusWireError.empty
    }
}

package enum BusWireError: Error, CustomStringConvertible {
    case empty

    package var description: String { "a bus message with nothing in it" }
}
