import Actors
import Foundation
import LiveHub
import Logging
import NIOCore
import PostgresNIO

/// Webhook receipts in PostgreSQL (the exact signed body, its signature scheme; and the message
/// id as the second de-duplication key), with the contacts and locations that webhooks change.
struct PostgresWebhookLedger: WebhookLedger {
    let database: PostgresDatabase
    /// The lease a cluster node commits receipts under (nil: unfenced, one node or a tool).
    let fence: (any ShardFence)?

    /// Writes a receipt inside a caller's transaction (a conversation's commit, or `commit`), in
    /// one statement; a webhook id or message id already stored makes it throw (23505).
    static func insert(_ r: WebhookReceipt, _ c: PostgresConnection, _ logger: Logger) async throws {
        try await c.run(
            """
            WITH w AS (
                INSERT INTO webhook (id, type, location_id, received_at, body, signature_scheme)
                VALUES (\(r.webhookId), \(r.type), \(r.locationId), \(r.receivedAt), \(ByteBuffer(bytes: r.body)), \(r.signatureScheme))
                RETURNING id
            )
            INSERT INTO message_key (message_id, webhook_id) SELECT \(r.messageId)::text, id FROM w WHERE \(r.messageId)::text IS NOT NULL
            """,
            logger: logger
        )
    }

    func isDuplicate(webhookId: String, messageId: String?) async throws -> Bool {
        let logger = database.logger
        return try await database.withConnection { c in
            try await c.query(
                """
                SELECT 1 WHERE EXISTS (SELECT 1 FROM webhook WHERE id = \(webhookId))
                    OR EXISTS (SELECT 1 FROM message_key WHERE message_id = \(messageId)::text)
                """, logger: logger
            ).hasRow()
        }
    }

    func commit(_ receipt: WebhookReceipt, effects: [ReceiptEffect]) async throws {
        // Fenced like a conversation's commit: a stale owner must not save a contact (its DND
        // channels) after another node took the location over.
        var token: FenceToken?
        if let fence, let location = receipt.locationId {
            guard let t = fence.token(forLocation: location) else { throw ClusterError.notOwner(location: location) }
            token = t
        }
        let encoded = try effects.map { effect -> (ReceiptEffect, Data?) in
            if case .saveContact(let c) = effect { return (effect, try PayloadEncoder.encode(c)) }
            return (effect, nil)
        }
        let now = Date().timeIntervalSince1970
        let logger = database.logger
        try await database.write { c in
            if let token { try await PostgresConversationStore.checkLease(token, c, logger) }
            for (effect, json) in encoded {
                switch effect {
                case .saveContact(let contact):
                    try await c.run(
                        """
                        INSERT INTO contact (id, location_id, profile) VALUES (\(contact.id), \(contact.locationId), \(json.map { ByteBuffer(bytes: $0) }))
                        ON CONFLICT (id) DO UPDATE SET profile = excluded.profile
                        """, logger: logger
                    )
                case .setInstalled(let location, let installed):
                    try await c.run(
                        """
                        INSERT INTO location (id, installed, updated_at) VALUES (\(location), \(installed), \(now))
                        ON CONFLICT (id) DO UPDATE SET installed = excluded.installed, updated_at = excluded.updated_at
                        """, logger: logger
                    )
                    // GHL revokes the app's tokens on uninstall; a new install authorizes afresh.
                    if !installed { try await PostgresCredentialStore.delete(location: location, c, logger) }
                }
            }
            try await Self.insert(receipt, c, logger)
        }
    }

    func contact(_ id: String) async throws -> ContactProfile? {
        let logger = database.logger
        return try await database.withConnection { c in
            var profile: ContactProfile?
            for try await json in try await c.query("SELECT profile FROM contact WHERE id = \(id)", logger: logger).decode(Data.self) {
                profile = try JSONDecoder().decode(ContactProfile.self, from: json)
            }
            return profile
        }
    }

    /// Streamed: the rows arrive as they are read, never all held by the server at once.
    func uninstalledLocations() async throws -> Set<String> {
        let logger = database.logger
        return try await database.withConnection { c in
            var out: Set<String> = []
            for try await id in try await c.query("SELECT id FROM location WHERE NOT installed", logger: logger).decode(String.self) { out.insert(id) }
            return out
        }
    }

    func prune(olderThan cutoff: Double) async throws {
        let logger = database.logger
        try await database.write { c in
            try await c.run("DELETE FROM message_key WHERE webhook_id IN (SELECT id FROM webhook WHERE received_at < \(cutoff))", logger: logger)
            try await c.run("DELETE FROM webhook WHERE received_at < \(cutoff)", logger: logger)
        }
    }
}
