/// Why a conversation refused an input.
public enum ConversationError: Error, Equatable, CustomStringConvertible {
    /// A commit failed: the actor must be reloaded from storage (the directory does it).
    case broken(String)
    /// The actor was passivated after the caller got it: ask the directory for the live one.
    case retired(String)
    /// An event payload could not be encoded (a non-finite number, say). Nothing was stored or
    /// changed; the input fails loudly instead of being stored as an empty event.
    case unencodable(conversationId: String, reason: String)
    /// This node does not own the conversation's location (a cluster's shard is elsewhere).
    case notOwned(String)

    public var description: String {
        switch self {
        case .broken(let id): return "conversation \(id) failed to commit and must be reloaded from storage"
        case .retired(let id): return "conversation \(id) was passivated; its live actor takes the input"
        case .unencodable(let id, let reason): return "conversation \(id): an event payload could not be encoded (\(reason)); nothing was stored"
        case .notOwned(let id): return "conversation \(id) belongs to a location this node does not own"
        }
    }
}
