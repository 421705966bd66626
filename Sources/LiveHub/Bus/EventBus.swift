import Actors
import Foundation

/// What every node must see: a conversation's events once committed, agents coming and going,
/// auto-responder settings changing, and the outbox having something new to send.
///
/// Distinct from delivery to this node's sockets (`EventHub`), which is one of its subscribers.
/// In one process it is `LocalEventBus`; across nodes, a broker-backed bus carries the same
/// messages.
package protocol EventBus: Sendable {
    /// Hands `message` to every subscriber (of every node); returns once the local ones have it.
    func publish(_ message: BusMessage) async
    /// Adds a subscriber for every message published from now on.
    func subscribe(_ subscriber: @escaping @Sendable (BusMessage) async -> Void)
    /// Adds what to do after the bus was cut off from the other nodes and is back: messages
    /// published meanwhile were lost, and the node catches up from the database.
    func onReconnect(_ handler: @escaping @Sendable () async -> Void)
}

extension EventBus {
    /// One process never loses a message: nothing to do.
    package func onReconnect(_ handler: @escaping @Sendable () async -> Void) {}
}

package enum BusMessage: Sendable {
    /// A conversation's commit, after it is durable, in commit order per conversation.
    case committed(CommittedEvents)
    /// An agent connected or disconnected.
    case presence(AgentPresence)
    /// An admin changed a location's auto-responder settings (stored already).
    case settingsChanged(SettingsChange)
    /// A commit queued an outbound message: senders look now rather than at their next poll.
    case outboxQueued
    /// A negotiation session's commit, after it is durable, in commit order per session.
    case negotiation(NegotiationEvents)
    /// A frame for one agent's `agent:{userId}` topic, wherever they are connected (a draft
    /// nobody asked for).
    case toAgent(AgentFrame)
}

/// A server frame's JSON for `agent:{user}`.
package struct AgentFrame: Sendable, Hashable, Codable {
    package let user: String
    package let text: String

    package init(user: String, text: String) {
        self.user = user
        self.text = text
    }
}

/// What every node delivers of a negotiation session's commit: its events, for the topic
/// `negotiation:{id}`.
package struct NegotiationEvents: Sendable, Hashable, Codable {
    package let negotiationId: String
    package let locationId: String
    package let events: [ConversationEvent]

    package init(negotiationId: String, locationId: String, events: [ConversationEvent]) {
        self.negotiationId = negotiationId
        self.locationId = locationId
        self.events = events
    }

    package init(_ commit: NegotiationCommit) {
        self.init(negotiationId: commit.session.id, locationId: commit.session.locationId, events: commit.events)
    }

    enum CodingKeys: String, CodingKey { case negotiationId, locationId, events }
    struct Event: Codable {
        let seq: UInt64
        let at: Double
        let kind: EventKind
        let data: String
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        negotiationId = try c.decode(String.self, forKey: .negotiationId)
        locationId = try c.decode(String.self, forKey: .locationId)
        let stream = NegotiationSession.streamId(negotiationId)
        events = try c.decode([Event].self, forKey: .events).map { ConversationEvent(conversationId: stream, seq: $0.seq, at: $0.at, kind: $0.kind, data: Data($0.data.utf8)) }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(negotiationId, forKey: .negotiationId)
        try c.encode(locationId, forKey: .locationId)
        try c.encode(events.map { Event(seq: $0.seq, at: $0.at, kind: $0.kind, data: String(decoding: $0.data, as: UTF8.self)) }, forKey: .events)
    }
}

/// What every node delivers of a commit: its events, and the conversation's summary after them.
package struct CommittedEvents: Sendable, Hashable {
    package let events: [ConversationEvent]
    package let summary: ConversationSummary

    package init(events: [ConversationEvent], summary: ConversationSummary) {
        self.events = events
        self.summary = summary
    }

    package init(_ commit: ConversationCommit) {
        self.init(events: commit.events, summary: commit.summary)
    }
}

package struct AgentPresence: Sendable, Hashable, Codable {
    package let user: String
    package let locations: [String]
    package let online: Bool
    package let at: Double

    package init(user: String, locations: [String], online: Bool, at: Double) {
        self.user = user
        self.locations = locations
        self.online = online
        self.at = at
    }
}

package struct SettingsChange: Sendable, Hashable, Codable {
    package let location: String
    package let settings: AutoResponderSettings
    package let by: String
    package let at: Double

    package init(location: String, settings: AutoResponderSettings, by: String, at: Double) {
        self.location = location
        self.settings = settings
        self.by = by
        self.at = at
    }
}

/// Publishes a conversation's commits on the bus (the actors' `EventPublisher`), with the
/// outbox's wake-up when a commit queued a message.
struct CommitPublisher: EventPublisher {
    let bus: any EventBus

    func publish(_ commit: ConversationCommit) async {
        await bus.publish(.committed(CommittedEvents(commit)))
        if case .insert = commit.outbox { await bus.publish(.outboxQueued) }
    }
}
