import Actors
import Coaching
import Foundation
import Synchronization

/// A store that records commits in memory and can be told to fail, to test what the actor
/// does when storage refuses a write. (The server's tests use the real SQLite store.)
final class RecordingStore: ConversationStore {
    private struct State {
        var commits: [ConversationCommit] = []
        var batchSizes: [Int] = []
        var failNext = false
        var delay: Duration = .zero
        /// Commits this refuses fail every transaction they are part of.
        var refuse: (@Sendable (ConversationCommit) -> Bool)?
    }
    private let state = Mutex(State())

    var commits: [ConversationCommit] { state.withLock { $0.commits } }
    var events: [ConversationEvent] { commits.flatMap(\.events) }
    /// How many inputs each transaction carried.
    var batchSizes: [Int] { state.withLock { $0.batchSizes } }
    func failNextCommit() { state.withLock { $0.failNext = true } }
    func setDelay(_ d: Duration) { state.withLock { $0.delay = d } }
    func refuse(_ rule: @escaping @Sendable (ConversationCommit) -> Bool) { state.withLock { $0.refuse = rule } }

    struct Refused: Error {}

    func commit(_ batch: [ConversationCommit]) async throws {
        let delay = state.withLock { $0.delay }
        if delay > .zero { try await Task.sleep(for: delay) }
        try state.withLock { s in
            if s.failNext {
                s.failNext = false
                throw Refused()
            }
            if let refuse = s.refuse, batch.contains(where: refuse) { throw Refused() }
            s.commits += batch
            s.batchSizes.append(batch.count)
        }
    }

    func load(conversationId: String) async throws -> StoredConversation? { nil }
}

final class RecordingPublisher: EventPublisher {
    private let published = Mutex<[ConversationEvent]>([])
    var events: [ConversationEvent] { published.withLock { $0 } }
    func publish(_ commit: ConversationCommit) async {
        published.withLock { $0 += commit.events }
    }
}

enum Fixture {
    static let engine: CoachingEngine = {
        do { return try CoachingEngine.bundled() } catch { preconditionFailure("\(error)") }
    }()

    static func message(_ text: String, id: String = UUID().uuidString) -> MessagePayload {
        MessagePayload(messageId: id, channel: "SMS", text: text, direction: "inbound")
    }
}
