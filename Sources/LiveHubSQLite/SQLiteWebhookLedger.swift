import Actors
import Foundation
import GRDB
import LiveHub

/// Webhook receipts in SQLite (the exact signed body, its signature scheme; and the message id
/// as the second de-duplication key), with the contacts and locations that webhooks change.
struct SQLiteWebhookLedger: WebhookLedger {
    let database: SQLiteDatabase

    /// Writes a receipt inside a caller's transaction (a conversation's commit, or `commit`).
    static func insert(_ r: WebhookReceipt, _ db: Database) throws {
        try db.executeCached(
            "INSERT INTO webhook (id, type, location_id, received_at, body, signature_scheme) VALUES (?, ?, ?, ?, ?, ?)",
            [r.webhookId, r.type, r.locationId, r.receivedAt, Data(r.body), r.signatureScheme])
        if let m = r.messageId {
            try db.executeCached("INSERT INTO message_key (message_id, webhook_id) VALUES (?, ?)", [m, r.webhookId])
        }
    }

    func isDuplicate(webhookId: String, messageId: String?) async throws -> Bool {
        try await database.pool.read { db in
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM webhook WHERE id = ?"), arguments: [webhookId]) == true { return true }
            if let messageId, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM message_key WHERE message_id = ?"), arguments: [messageId]) == true { return true }
            return false
        }
    }

    func commit(_ receipt: WebhookReceipt, effects: [ReceiptEffect]) async throws {
        let encoded = try effects.map { effect -> (ReceiptEffect, Data?) in
            if case .saveContact(let c) = effect { return (effect, try PayloadEncoder.encode(c)) }
            return (effect, nil)
        }
        let now = Date().timeIntervalSince1970
        try await database.committer.commit { db in
            for (effect, json) in encoded {
                switch effect {
                case .saveContact(let contact):
                    try db.execute(
                        sql: "INSERT INTO contact (id, location_id, profile) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile",
                        arguments: [contact.id, contact.locationId, json])
                case .setInstalled(let location, let installed):
                    try db.execute(
                        sql: "INSERT INTO location (id, installed, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET installed = excluded.installed, updated_at = excluded.updated_at",
                        arguments: [location, installed, now])
                    // GHL revokes the app's tokens on uninstall; a new install authorizes afresh.
                    if !installed { try SQLiteCredentialStore.delete(location: location, db) }
                }
            }
            try Self.insert(receipt, db)
        }
    }

    func contact(_ id: String) async throws -> ContactProfile? {
        try await database.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT profile FROM contact WHERE id = ?", arguments: [id]).map { try JSONDecoder().decode(ContactProfile.self, from: $0) }
        }
    }

    /// Read a page at a time.
    func uninstalledLocations() async throws -> Set<String> {
        Set(try await database.readPages("SELECT id FROM location WHERE installed = 0 AND id > ? ORDER BY id LIMIT ?", key: { $0 }, row: { $0["id"] as String }))
    }

    func prune(olderThan cutoff: Double) async throws {
        try await database.committer.commit { db in
            try db.execute(sql: "DELETE FROM message_key WHERE webhook_id IN (SELECT id FROM webhook WHERE received_at < ?)", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM webhook WHERE received_at < ?", arguments: [cutoff])
        }
    }
}
