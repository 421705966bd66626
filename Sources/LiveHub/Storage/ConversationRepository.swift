import Actors

/// Conversations in storage: the actors' unit of work (`ConversationStore`) and the reads the
/// webhook path, the gateway, the HTTP API and the scheduled-work sweep need.
public protocol ConversationRepository: ConversationStore {
    /// Events `after < seq ≤ after + limit`, oldest first.
    func events(conversationId: String, after: UInt64, limit: Int) async throws -> [ConversationEvent]
    func state(conversationId: String) async throws -> ConversationState?
    /// The most recently active conversations, of a location or of all.
    func states(locationId: String?, limit: Int) async throws -> [ConversationState]
    /// Every conversation of a contact.
    func conversations(ofContact contactId: String) async throws -> [ConversationRef]
    /// Conversations with scheduled work due before `before`, a page at a time: those after
    /// `cursor` in (due time, conversation) order.
    func dueWork(before: Double, after cursor: DueCursor?, limit: Int) async throws -> [DueCursor]
}

/// A conversation and its location.
public struct ConversationRef: Sendable, Hashable {
    public let id: String
    public let locationId: String

    public init(id: String, locationId: String) {
        self.id = id
        self.locationId = locationId
    }
}

/// A position in the stored scheduled work, ordered by due time, then conversation.
public struct DueCursor: Sendable, Hashable {
    public let dueAt: Double
    public let conversationId: String

    public init(dueAt: Double, conversationId: String) {
        self.dueAt = dueAt
        self.conversationId = conversationId
    }
}
