import Synchronization

/// Who is here, as this node knows it: the location of each conversation someone has open (so
/// its `conversation.viewers` frames reach the location's topic), and the agents connected per
/// location (so a new subscriber of `location:{id}` learns who is online now, not only who
/// comes and goes afterwards). A cluster's other nodes keep their own.
final class PresenceBook: Sendable {
    private struct State {
        var locationOf: [String: String] = [:]
        /// Connections per agent, by location.
        var agents: [String: [String: Int]] = [:]
    }
    private let state = Mutex(State())

    /// Remembers `conversation`'s location before someone subscribes to it.
    func locate(conversation: String, location: String) {
        state.withLock { $0.locationOf[conversation] = location }
    }

    func location(of conversation: String) -> String? { state.withLock { $0.locationOf[conversation] } }

    /// Forgets a conversation no one watches any more.
    func forget(conversation: String) { state.withLock { _ = $0.locationOf.removeValue(forKey: conversation) } }

    /// The conversations with a known location in `location`.
    func conversations(in location: String) -> [String] {
        state.withLock { s in s.locationOf.compactMap { $0.value == location ? $0.key : nil } }
    }

    /// An agent's connection opened (+1) or closed (-1).
    func agent(_ user: String, locations: [String], delta: Int) {
        state.withLock { s in
            for location in locations where location != "*" {
                let n = (s.agents[location]?[user] ?? 0) + delta
                s.agents[location, default: [:]][user] = n > 0 ? n : nil
            }
        }
    }

    /// The agents connected to this node who may see `location`.
    func agentsOnline(in location: String) -> [String] {
        state.withLock { ($0.agents[location] ?? [:]).keys.sorted() }
    }
}

/// Someone who has a conversation open: a `conversation.viewers` entry.
struct ConversationViewer: Hashable, Sendable {
    let user: String
    let role: String
}
