import Foundation

/// One atomic write: the events of one input, the summary after them and, when the input came
/// from a webhook, its receipt.
public struct ConversationCommit: Sendable {
    public let events: [ConversationEvent]
    public let summary: ConversationSummary
    /// `summary` as JSON, encoded once for storage and for the location topics.
    public let summaryJSON: Data
    public let receipt: WebhookReceipt?
    public let outbox: OutboxWrite?

    public init(events: [ConversationEvent], summary: ConversationSummary, summaryJSON: Data, receipt: WebhookReceipt?, outbox: OutboxWrite? = nil) {
        self.events = events
        self.summary = summary
        self.summaryJSON = summaryJSON
        self.receipt = receipt
        self.outbox = outbox
    }
}

/// Durable storage for conversations. `commit` returns only when the commit is durable.
public protocol ConversationStore: Sendable {
    func commit(_ commit: ConversationCommit) async throws
    /// The stored summary and the message history needed to rebuild the coaching session.
    func load(conversationId: String) async throws -> StoredConversation?
}

public struct StoredConversation: Sendable {
    public let summary: ConversationSummary
    /// Stored `message.inbound`, `message.outbound` events, oldest first, and logged offers.
    public let history: [ConversationEvent]

    public init(summary: ConversationSummary, history: [ConversationEvent]) {
        self.summary = summary
        self.history = history
    }
}

/// Where committed events go next (subscribers on this node, other nodes later).
public protocol EventPublisher: Sendable {
    /// Called after `commit` succeeded, in commit order per conversation.
    func publish(_ commit: ConversationCommit) async
}
