import Actors

/// Conversations in storage: the actors' unit of work (`ConversationStore`) and the reads the
/// webhook path, the gateway, the HTTP API and the scheduled-work sweep need.
/// (`events(conversationId:after:limit:)`, events `after < seq ≤ after + limit` oldest first, is
/// `ConversationEventReader`'s: negotiation sessions read conversations through it.)
package protocol ConversationRepository: ConversationStore, ConversationEventReader {
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
package struct ConversationRef: Sendable, Hashable {
    package let id: String
    package let locationId: String

    package init(id: String, locationId: String) {
        self.id = id
        self.locationId = locationId
    }
}

/// A position in the stored scheduled work, ordered by due time, then conversation; with the
/// conversation's location, so that a cluster node passes over the work of locations it does
/// not own without loading them.
package struct DueCursor: Sendable, Hashable {
    package let dueAt: Double
    package let conversationId: String
    /// Nil when the conversation row is missing (the sweep then loads it to find out).
    package let locationId: String?

    package init(dueAt: Double, conversationId: String, locationId: String? = nil) {
        self.dueAt = dueAt
        self.conversationId = conversationId
        self.locationId = locationId
    }
}
