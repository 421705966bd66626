/// What a reply model is asked: a system prompt, the conversation so far and a length limit.
///
/// The prompt text is the customer's conversation: models never log it.
public struct ReplyPrompt: Sendable, Hashable {
    /// Instructions for the model; left out of the request when empty.
    public var system: String
    /// The conversation, oldest first; providers expect it to start with a user turn.
    public var messages: [Message]
    /// The longest reply wanted, in tokens. The configuration's `maxTokens` caps it, and a
    /// value below 1 means "the configuration's limit".
    public var maxTokens: Int

    public init(system: String, messages: [Message], maxTokens: Int = 300) {
        self.system = system
        self.messages = messages
        self.maxTokens = maxTokens
    }

    /// One turn of the conversation.
    public struct Message: Sendable, Hashable {
        /// Who spoke: the customer (`user`) or the business (`assistant`).
        public enum Role: String, Sendable {
            case user, assistant
        }

        public var role: Role
        public var content: String

        public init(role: Role, content: String) {
            self.role = role
            self.content = content
        }
    }
}
