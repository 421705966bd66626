import Actors
import Foundation
import LiveHub
import LiveHubPostgres
import Logging
import Synchronization

/// What the PostgreSQL tests share: a fresh database per test on the shared server, a storage
/// that is shut down after the test, conversation commits to store, and a settable fence.
enum PG {
    static let logger = Logger(label: "livehub.test.postgres")

    /// A fresh database on the process-wide server; its URL.
    static func database() async throws -> String {
        try await PostgresServer.shared().makeDatabase()
    }

    /// Runs `body` with a storage connected to `url` (a fresh database when nil), shut down after.
    static func withStorage<T: Sendable>(
        url: String? = nil, fence: (any ShardFence)? = nil, maxCommitBacklog: Int = 4_096, _ body: (PostgresStorage, String) async throws -> T
    ) async throws -> T {
        let url = if let url { url } else { try await database() }
        let storage = try await PostgresStorage.connect(url: url, fence: fence, maxCommitBacklog: maxCommitBacklog, logger: logger)
        do {
            let value = try await body(storage, url)
            await storage.shutdown()
            return value
        } catch {
            await storage.shutdown()
            throw error
        }
    }

    /// The database name of a URL made by `database()`.
    static func name(_ url: String) -> String { String(url.split(separator: "/").last ?? "") }

    /// One input's commit: events `seqs` of `conversation`, the state after them (`head`, last
    /// message at `at`), and what else the input wrote.
    static func commit(
        _ conversation: String, location: String = "L1", contact: String? = "k1", seqs: ClosedRange<UInt64>, at: Double,
        receipt: WebhookReceipt? = nil, outbox: OutboxWrite? = nil, schedule: [ScheduleChange] = []
    ) throws -> ConversationCommit {
        var state = ConversationState(conversationId: conversation, locationId: location, contactId: contact)
        state.head = seqs.upperBound
        state.lastMessageAt = at
        state.lastMessagePreview = "message \(seqs.upperBound)"
        let kinds: [EventKind] = [.messageInbound, .analysis, .messageOutbound]
        let events = seqs.map { seq in
            ConversationEvent(conversationId: conversation, seq: seq, at: at + Double(seq) / 1_000, kind: kinds[Int(seq) % kinds.count], data: Data(#"{"n":\#(seq)}"#.utf8))
        }
        var work: [ScheduledItem.Kind: Data] = [:]
        for case .set(let item) in schedule { work[item.kind] = try PayloadEncoder.encode(item.work) }
        return ConversationCommit(
            events: events, state: state, stateJSON: try PayloadEncoder.encode(state), summary: state.summary(mode: .suggest), receipt: receipt,
            outbox: outbox, schedule: schedule, workJSON: work)
    }

    static func receipt(_ id: String, messageId: String?, at: Double = 1_700_000_000) -> WebhookReceipt {
        WebhookReceipt(
            webhookId: id, type: "InboundMessage", locationId: "L1", receivedAt: at, body: Array(#"{"webhookId":"\#(id)"}"#.utf8), signatureScheme: "ed25519",
            messageId: messageId)
    }

    static func request(_ id: String, conversation: String, text: String = "hello") -> OutboundRequest {
        OutboundRequest(outboxId: id, conversationId: conversation, locationId: "L1", contactId: "k1", channel: "SMS", text: text, origin: "auto", suggestionId: nil)
    }
}

/// A fence whose token the test sets (nil: this node owns nothing).
final class TestFence: ShardFence {
    private let current = Mutex<FenceToken?>(nil)

    func set(_ token: FenceToken?) { current.withLock { $0 = token } }
    func token(forLocation location: String) -> FenceToken? { current.withLock { $0 } }
}

/// A value behind a lock that closures can share (a `Mutex` alone cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }
}
