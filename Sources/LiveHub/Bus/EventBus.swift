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
}

package enum BusMessage: Sendable {
    /// A conversation's commit, after it is durable, in commit order per conversation.
    case committed(ConversationCommit)
    /// An agent connected or disconnected.
    case presence(AgentPresence)
    /// An admin changed a location's auto-responder settings (stored already).
    case settingsChanged(SettingsChange)
    /// A commit queued an outbound message: senders look now rather than at their next poll.
    case outboxQueued
}

package struct AgentPresence: Sendable, Hashable {
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

package struct SettingsChange: Sendable, Hashable {
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
        await bus.publish(.committed(commit))
        if case .insert = commit.outbox { await bus.publish(.outboxQueued) }
    }
}
