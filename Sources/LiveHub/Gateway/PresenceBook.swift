import Actors
import Synchronization

/// Who is here, as this node knows it: who may see each conversation someone opened here (so
/// its `conversation.viewers` frames reach only those of its location's subscribers who may
/// read it), and the agents connected per location (so a new subscriber of `location:{id}`
/// learns who is online now, not only who comes and goes afterwards). A cluster's other nodes
/// keep their own.
///
/// A conversation stays known once opened: forgetting it when its last viewer leaves would race
/// with the next viewer's arrival. What is kept is its access, a few strings per conversation.
final class PresenceBook: Sendable {
    private struct State {
        var watched: [String: WatchedConversation] = [:]
        /// Connections per agent, by location.
        var agents: [String: [String: Int]] = [:]
    }
    private let state = Mutex(State())

    /// Remembers who may see `summary`'s conversation before someone subscribes to it.
    func locate(_ summary: ConversationSummary) {
        state.withLock { $0.watched[summary.conversationId] = WatchedConversation(summary) }
    }

    /// A commit changed the conversation: keeps its access current, if it was ever opened here.
    func update(_ summary: ConversationSummary) {
        state.withLock { s in
            guard let known = s.watched[summary.conversationId], known != WatchedConversation(summary) else { return }
            s.watched[summary.conversationId] = WatchedConversation(summary)
        }
    }

    func watched(_ conversation: String) -> WatchedConversation? { state.withLock { $0.watched[conversation] } }

    /// The conversations of `location` opened here.
    func conversations(in location: String) -> [WatchedConversation] {
        state.withLock { s in s.watched.values.filter { $0.locationId == location } }
    }

    /// An agent's connection opened (+1) or closed (-1); true when this changed whether the
    /// agent is online here at all (their first connection opened, or their last closed).
    func agent(_ user: String, locations: [String], delta: Int) -> Bool {
        state.withLock { s in
            var changed = false
            for location in locations where location != "*" {
                let before = s.agents[location]?[user] ?? 0
                let after = max(0, before + delta)
                s.agents[location, default: [:]][user] = after > 0 ? after : nil
                changed = changed || (before == 0) != (after == 0)
            }
            return changed
        }
    }

    /// The agents connected to this node who may see `location`.
    func agentsOnline(in location: String) -> [String] {
        state.withLock { ($0.agents[location] ?? [:]).keys.sorted() }
    }
}

/// Who may see a conversation: what access checks read of its summary.
struct WatchedConversation: Equatable, Sendable {
    let conversationId: String
    let locationId: String
    let assignedTo: String?
    let takenOverBy: String?

    init(_ s: ConversationSummary) {
        conversationId = s.conversationId
        locationId = s.locationId
        assignedTo = s.assignedTo
        takenOverBy = s.takenOverBy
    }
}

/// Someone who has a conversation open: a `conversation.viewers` entry.
struct ConversationViewer: Hashable, Sendable {
    let user: String
    let role: String
}
