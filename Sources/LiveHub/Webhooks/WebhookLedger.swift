import Actors

/// The receipts of GHL's webhooks: what is stored already (so a duplicate has one effect), and
/// the commit of a webhook that changes no conversation, together with what it does change.
/// (A webhook that reaches a conversation is committed with its events instead, through
/// `ConversationRepository.commit`.)
package protocol WebhookLedger: Sendable {
    /// True when the webhook id, or the message id, is already stored.
    func isDuplicate(webhookId: String, messageId: String?) async throws -> Bool
    /// Commits the receipt and its effects in one durable transaction.
    func commit(_ receipt: WebhookReceipt, effects: [ReceiptEffect]) async throws
    func contact(_ id: String) async throws -> ContactProfile?
    /// The locations that uninstalled the app.
    func uninstalledLocations() async throws -> Set<String>
    /// Forgets receipts received before `cutoff` (epoch seconds).
    func prune(olderThan cutoff: Double) async throws
}

/// What a webhook that touches no conversation changes, committed with its receipt.
package enum ReceiptEffect: Sendable, Hashable {
    case saveContact(ContactProfile)
    /// The app was installed or uninstalled at a location. An uninstall also deletes the
    /// location's OAuth grant: GHL revoked it.
    case setInstalled(location: String, installed: Bool)
}
