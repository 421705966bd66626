import Actors
import Foundation
import Synchronization

/// Routes a verified webhook to what it changes and returns once all of it is durable.
///
/// Messages go to their conversation's actor, which commits the webhook receipt together with
/// the events in one transaction: a message's effect is exactly once. Contact, DND, deal and
/// appointment changes go to every known conversation of the contact, then the receipt is
/// committed with the contact profile; a crash between the two makes GHL retry, so those
/// derived events are at-least-once (they carry state, and applying them twice is harmless).
struct WebhookProcessor: Sendable {
    let conversations: any ConversationRepository
    let webhooks: any WebhookLedger
    let outbox: any OutboxStore
    let directory: ConversationDirectory
    let gate = WebhookGate()
    let locations: LocationRegistry
    /// Told when a location uninstalls the app, so its OAuth grant leaves memory too.
    let oauth: OAuthCredentials?

    init(storage: ServerStorage, directory: ConversationDirectory, locations: LocationRegistry, oauth: OAuthCredentials?) {
        conversations = storage.conversations
        webhooks = storage.webhooks
        outbox = storage.outbox
        self.directory = directory
        self.locations = locations
        self.oauth = oauth
    }

    func process(_ webhook: GHLWebhook, receipt: WebhookReceipt) async throws -> WebhookOutcome {
        var keys = ["webhook:" + webhook.webhookId]
        if let m = webhook.messageId { keys.append("message:" + m) }
        return try await gate.run(keys: keys) {
            if try await webhooks.isDuplicate(webhookId: webhook.webhookId, messageId: webhook.messageId) { return .duplicate }
            return try await route(webhook, receipt: receipt)
        }
    }

    private func route(_ webhook: GHLWebhook, receipt: WebhookReceipt) async throws -> WebhookOutcome {
        switch webhook.event {
        case .message(let inbound, let conversationId, let contactId, let payload, let at):
            let location = webhook.locationId
            // GHL echoes every message we send as an OutboundMessage: it confirms our outbox
            // entry (and settles one whose send outcome was unknown) instead of repeating it.
            if !inbound, let entry = try await outbox.match(conversationId: conversationId, messageId: payload.messageId, text: payload.text) {
                if entry.state == .sending {
                    let sent = ConversationInput.delivery(
                        outboxId: entry.request.outboxId, text: entry.request.text, channel: entry.request.channel, state: .sent, messageId: payload.messageId, error: nil, at: at)
                    let events = try await directory.submit(sent, to: conversationId, location: location, contact: contactId, receipt: receipt)
                    return .processed(events: events.count)
                }
                try await webhooks.commit(receipt, effects: [])
                return .processed(events: 0)
            }
            var count = 0
            // A conversation seen for the first time learns what is already known of its contact.
            let actor = try await directory.actor(for: conversationId, location: location, contact: contactId)
            if !actor.hasEvents, let contactId, let profile = try await webhooks.contact(contactId) {
                count += try await directory.submit(.contactUpdated(profile, at: at), to: conversationId, location: location, contact: contactId, via: actor).count
            }
            let input: ConversationInput = inbound ? .inbound(payload, at: at) : .outbound(payload, at: at)
            count += try await directory.submit(input, to: conversationId, location: location, contact: contactId, receipt: receipt, via: actor).count
            return .processed(events: count)

        case .contact(let change, let incoming):
            let previous = try await webhooks.contact(incoming.id)
            let profile = Self.merge(previous, incoming, dndReported: change == "ContactDndUpdate" || !incoming.dndChannels.isEmpty)
            let count = try await fanOut(contactId: profile.id, at: receipt.receivedAt) { .contactUpdated(profile, at: $0) }
            try await webhooks.commit(receipt, effects: [.saveContact(profile)])
            return .processed(events: count)

        case .contactDeleted:
            try await webhooks.commit(receipt, effects: [])
            return .processed(events: 0)

        case .opportunity(let contactId, let deal):
            var count = 0
            if let contactId { count = try await fanOut(contactId: contactId, at: receipt.receivedAt) { .dealUpdated(deal, at: $0) } }
            try await webhooks.commit(receipt, effects: [])
            return .processed(events: count)

        case .appointment(let contactId, let appointment):
            var count = 0
            if let contactId { count = try await fanOut(contactId: contactId, at: receipt.receivedAt) { .appointment(appointment, at: $0) } }
            try await webhooks.commit(receipt, effects: [])
            return .processed(events: count)

        case .install, .uninstall:
            let installed: Bool
            if case .install = webhook.event { installed = true } else { installed = false }
            let location = webhook.locationId
            // An uninstall also deletes the location's OAuth grant: GHL revoked it.
            try await webhooks.commit(receipt, effects: [.setInstalled(location: location, installed: installed)])
            locations.set(location, installed: installed)
            if !installed { await oauth?.forget(location) }
            return .processed(events: 0)

        case .unused:
            try await webhooks.commit(receipt, effects: [])
            return .processed(events: 0)
        }
    }

    private func fanOut(contactId: String, at: Double, _ input: @Sendable (Double) -> ConversationInput) async throws -> Int {
        var count = 0
        for conversation in try await conversations.conversations(ofContact: contactId) {
            count += try await directory.submit(input(at), to: conversation.id, location: conversation.locationId, contact: contactId).count
        }
        return count
    }

    /// A partial update keeps what it does not mention; DND changes only when the webhook reports it.
    static func merge(_ old: ContactProfile?, _ new: ContactProfile, dndReported: Bool) -> ContactProfile {
        guard let old else { return new }
        var m = new
        m.firstName = new.firstName ?? old.firstName
        m.lastName = new.lastName ?? old.lastName
        m.email = new.email ?? old.email
        m.phone = new.phone ?? old.phone
        m.assignedTo = new.assignedTo ?? old.assignedTo
        m.tags = new.tags.isEmpty ? old.tags : new.tags
        m.timezone = new.timezone ?? old.timezone
        m.dndChannels = dndReported ? new.dndChannels : old.dndChannels
        return m
    }
}

/// Which locations have uninstalled the app: their webhooks are no longer accepted. Read on
/// every webhook, so a lock rather than an actor hop.
final class LocationRegistry: Sendable {
    private let uninstalled: Mutex<Set<String>>

    init(uninstalled: Set<String>) {
        self.uninstalled = Mutex(uninstalled)
    }

    func isUninstalled(_ id: String) -> Bool { uninstalled.withLock { $0.contains(id) } }

    /// Replaces the whole set (a cluster node took shards whose locations it did not follow).
    func replace(_ ids: Set<String>) { uninstalled.withLock { $0 = ids } }

    func set(_ id: String, installed: Bool) {
        uninstalled.withLock { u in
            if installed { u.remove(id) } else { u.insert(id) }
        }
    }
}
