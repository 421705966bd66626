/// Everything the server keeps durably, as the ports its logic depends on. An adapter provides
/// them — `LiveHubSQLite`, the embedded default — and the core never sees a database.
///
/// Each port's durable writes are committed before they return; `ConversationRepository.commit`
/// is the unit of work of a conversation (events, state, webhook receipt, outbox row and
/// scheduled work in one transaction).
public struct ServerStorage: Sendable {
    public let conversations: any ConversationRepository
    public let webhooks: any WebhookLedger
    public let outbox: any OutboxStore
    public let settings: any SettingsStore
    public let credentials: any CredentialStore
    public let health: any StorageHealth

    public init(
        conversations: any ConversationRepository, webhooks: any WebhookLedger, outbox: any OutboxStore, settings: any SettingsStore,
        credentials: any CredentialStore, health: any StorageHealth
    ) {
        self.conversations = conversations
        self.webhooks = webhooks
        self.outbox = outbox
        self.settings = settings
        self.credentials = credentials
        self.health = health
    }
}

/// Whether storage can take writes, and how far behind it is.
public protocol StorageHealth: Sendable {
    /// True when a write can be committed now (`/readyz`).
    func isWritable() async -> Bool
    /// Writes waiting for a durable commit now; readable without waiting.
    var commitBacklog: Int { get }
    /// Tells `observer` how long each durable commit took (the server's metrics).
    func observeCommits(_ observer: @escaping @Sendable (Duration) -> Void)
}
