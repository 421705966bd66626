import Actors

/// Everything the server keeps durably, as the ports its logic depends on. An adapter provides
/// them — `LiveHubSQLite`, the embedded default — and the core never sees a database.
///
/// Each port's durable writes are committed before they return; `ConversationRepository.commit`
/// is the unit of work of a conversation (events, state, webhook receipt, outbox row and
/// scheduled work in one transaction).
package struct ServerStorage: Sendable {
    package let conversations: any ConversationRepository
    package let webhooks: any WebhookLedger
    package let outbox: any OutboxStore
    package let settings: any SettingsStore
    package let credentials: any CredentialStore
    package let health: any StorageHealth
    /// Negotiation sessions; their events share the conversations' event log.
    package let negotiations: any NegotiationStore
    /// The console's login links already used.
    package let loginTickets: any LoginTicketLedger

    package init(
        conversations: any ConversationRepository, webhooks: any WebhookLedger, outbox: any OutboxStore, settings: any SettingsStore,
        credentials: any CredentialStore, health: any StorageHealth, negotiations: any NegotiationStore,
        loginTickets: any LoginTicketLedger
    ) {
        self.loginTickets = loginTickets
        self.negotiations = negotiations
        self.conversations = conversations
        self.webhooks = webhooks
        self.outbox = outbox
        self.settings = settings
        self.credentials = credentials
        self.health = health
    }
}

/// Whether storage can take writes, and how far behind it is.
package protocol StorageHealth: Sendable {
    /// True when a write can be committed now (`/readyz`).
    func isWritable() async -> Bool
    /// Writes waiting for a durable commit now; readable without waiting.
    var commitBacklog: Int { get }
    /// Tells `observer` how long each durable commit took (the server's metrics).
    func observeCommits(_ observer: @escaping @Sendable (Duration) -> Void)
}
