import Actors
import Foundation
import Synchronization

/// A conversation store in memory that behaves like the SQLite one where it matters to the actor:
/// `(conversation, seq)` is unique (a second writer's commit is refused), and `load` returns the
/// stored state, message history and scheduled work. For tests of the actor and the directory only.
final class MemoryStore: ConversationStore {
    struct Duplicate: Error {}

    private struct State {
        var events: [String: [ConversationEvent]] = [:]
        var states: [String: ConversationState] = [:]
        var scheduled: [String: [ScheduledItem.Kind: ScheduledItem]] = [:]
        var refused = 0
    }
    private let state = Mutex(State())

    var refusedCommits: Int { state.withLock { $0.refused } }
    func events(_ conversation: String) -> [ConversationEvent] { state.withLock { $0.events[conversation] ?? [] } }

    func commit(_ batch: [ConversationCommit]) async throws {
        // A short pause, as a disk has: commits overlap with other callers' work.
        try await Task.sleep(for: .microseconds(200))
        try state.withLock { s in
            for commit in batch {
                let id = commit.state.conversationId
                let stored = Set((s.events[id] ?? []).map(\.seq))
                guard commit.events.allSatisfy({ !stored.contains($0.seq) }) else {
                    s.refused += 1
                    throw Duplicate()
                }
            }
            for commit in batch {
                let id = commit.state.conversationId
                s.events[id, default: []] += commit.events
                s.states[id] = commit.state
                for change in commit.schedule {
                    switch change {
                    case .set(let item): s.scheduled[id, default: [:]][item.kind] = item
                    case .clear(let kind): s.scheduled[id]?[kind] = nil
                    }
                }
            }
        }
    }

    func load(conversationId: String) async throws -> StoredConversation? {
        state.withLock { s in
            s.states[conversationId].map { state in
                StoredConversation(
                    state: state, history: (s.events[conversationId] ?? []).filter { $0.kind == .messageInbound || $0.kind == .messageOutbound },
                    scheduled: Array((s.scheduled[conversationId] ?? [:]).values))
            }
        }
    }
}
