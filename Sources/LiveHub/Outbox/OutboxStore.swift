import Actors

/// The outbox: messages LiveHub is to send, inserted in the same commit as the event that
/// queues them (`ConversationRepository.commit`) and worked by `OutboxSender`. Every transition
/// here is durable before it returns, and conditional: it changes the row only from the state
/// it names, and says whether it did.
package protocol OutboxStore: Sendable {
    func entry(_ id: String) async throws -> OutboxEntry?
    /// Queued entries whose time has come, oldest first.
    func due(now: Double, limit: Int) async throws -> [OutboxEntry]
    /// How many entries are in each state not yet settled (for metrics).
    func unsettledCounts() async throws -> [OutboxState: Int]
    /// Entries in `state`, oldest first, a page at a time: those after `cursor`.
    func entries(state: OutboxState, after cursor: OutboxEntry?, limit: Int) async throws -> [OutboxEntry]
    /// queued → sending, before GHL is called: after a crash, `sending` means "GHL may have it".
    /// False when the entry is no longer queued (cancelled meanwhile).
    func markSending(_ id: String, at time: Double) async throws -> Bool
    /// sending → queued, not before `dueAt` (rate limited, or reconciled as not sent).
    func requeue(_ id: String, dueAt: Double) async throws
    /// queued → queued, not before `dueAt` (an automatic reply outside the sending window).
    /// False when the entry is no longer queued.
    func postpone(_ id: String, until dueAt: Double) async throws -> Bool
    /// queued → cancelling: the sender no longer takes it; the conversation then records the cancel.
    func claimCancel(_ id: String, conversationId: String) async throws -> Bool
    /// The entry GHL's echo of a sent message is about: by GHL's message id, else (outcome
    /// unknown) a `sending` entry of that conversation with the same text.
    func match(conversationId: String, messageId: String?, text: String) async throws -> OutboxEntry?
}
