import Foundation

/// One atomic write — the unit of work a conversation store must commit whole or not at all:
/// the events of one input, the state after them, the webhook receipt when the input came from
/// one, the outbox row it queues or settles, and the changes to its scheduled work.
public struct ConversationCommit: Sendable {
    public let events: [ConversationEvent]
    public let state: ConversationState
    /// `state` and each scheduled item's work as JSON, encoded while the input was applied (an
    /// unencodable value fails the input there, never the commit).
    public let stateJSON: Data
    public let workJSON: [ScheduledItem.Kind: Data]
    /// What clients see after the commit.
    public let summary: ConversationSummary
    public let receipt: WebhookReceipt?
    public let outbox: OutboxWrite?
    public let schedule: [ScheduleChange]

    public init(
        events: [ConversationEvent], state: ConversationState, stateJSON: Data, summary: ConversationSummary,
        receipt: WebhookReceipt?, outbox: OutboxWrite? = nil, schedule: [ScheduleChange] = [], workJSON: [ScheduledItem.Kind: Data] = [:]
    ) {
        self.events = events
        self.state = state
        self.stateJSON = stateJSON
        self.workJSON = workJSON
        self.summary = summary
        self.receipt = receipt
        self.outbox = outbox
        self.schedule = schedule
    }
}

/// Durable storage for conversations. `commit` returns only when the commit is durable.
public protocol ConversationStore: Sendable {
    /// Commits `commits` (consecutive inputs of one conversation, in order) in one transaction:
    /// all of them or none.
    func commit(_ commits: [ConversationCommit]) async throws
    /// The stored state, the message history needed to rebuild the coaching session, and the
    /// scheduled work; nil for a conversation never stored.
    func load(conversationId: String) async throws -> StoredConversation?
}

public struct StoredConversation: Sendable {
    public let state: ConversationState
    /// Stored `message.inbound`, `message.outbound` events, oldest first.
    public let history: [ConversationEvent]
    public let scheduled: [ScheduledItem]

    public init(state: ConversationState, history: [ConversationEvent], scheduled: [ScheduledItem] = []) {
        self.state = state
        self.history = history
        self.scheduled = scheduled
    }
}

/// Where committed events go next (subscribers on this node, other nodes later).
public protocol EventPublisher: Sendable {
    /// Called after `commit` succeeded, in commit order per conversation.
    func publish(_ commit: ConversationCommit) async
}
