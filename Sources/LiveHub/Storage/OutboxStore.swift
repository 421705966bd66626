import Actors
import Foundation
import GRDB
import Synchronization

/// One outbox row.
struct OutboxEntry: Sendable, Equatable {
    let request: OutboundRequest
    let state: String
    let attempts: Int
    let dueAt: Double
    let sendingSince: Double?
    let ghlMessageId: String?
    let createdAt: Double
}

/// The outbox: messages LiveHub is to send, written in the same transaction as the event that
/// caused them, and worked by `OutboxSender`.
struct OutboxStore: Sendable {
    let storage: Storage

    /// Applied inside a conversation commit.
    static func apply(_ write: OutboxWrite, _ db: Database) throws {
        let now = Date().timeIntervalSince1970
        switch write {
        case .insert(let r):
            try db.execute(
                sql: """
                    INSERT INTO outbox (id, conversation_id, location_id, contact_id, channel, text, origin, suggestion_id, state, due_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
                    """,
                arguments: [r.outboxId, r.conversationId, r.locationId, r.contactId, r.channel, r.text, r.origin, r.suggestionId, now, now, now])
        case .update(let id, let state, let messageId, let error):
            try db.execute(
                sql: "UPDATE outbox SET state = ?, ghl_message_id = COALESCE(?, ghl_message_id), error = ?, updated_at = ? WHERE id = ?",
                arguments: [state.rawValue, messageId, error, now, id])
        }
    }

    func entry(_ id: String) async throws -> OutboxEntry? {
        try await storage.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(Self.entry) }
    }

    /// Queued entries whose time has come, oldest first.
    func due(now: Double, limit: Int) async throws -> [OutboxEntry] {
        try await storage.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE state = 'queued' AND due_at <= ? ORDER BY created_at LIMIT ?", arguments: [now, limit]).map(Self.entry)
        }
    }

    /// How many entries are in each state not yet settled (for metrics).
    func unsettledCounts() async throws -> [String: Int] {
        try await storage.pool.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outbox WHERE state IN ('queued', 'sending', 'cancelling') GROUP BY state") {
                out[row["state"]] = row["n"]
            }
            return out
        }
    }

    /// Entries in a given state, oldest first, a page at a time: those after `cursor`.
    func entries(state: String, after cursor: OutboxEntry?, limit: Int) async throws -> [OutboxEntry] {
        try await storage.pool.read { db in
            let rows: [Row]
            if let cursor {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM outbox WHERE state = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?",
                    arguments: [state, cursor.createdAt, cursor.request.outboxId, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE state = ? ORDER BY created_at, id LIMIT ?", arguments: [state, limit])
            }
            return rows.map(Self.entry)
        }
    }

    /// queued → sending, durably, before GHL is called: after a crash, a `sending` row means
    /// "GHL may have it". False when the row is no longer queued (cancelled meanwhile).
    func markSending(_ id: String) async throws -> Bool {
        try await transition(id, sql: "UPDATE outbox SET state = 'sending', attempts = attempts + 1, sending_since = ?, updated_at = ? WHERE id = ? AND state = 'queued'") {
            [Date().timeIntervalSince1970, Date().timeIntervalSince1970, id]
        }
    }

    /// sending → queued, not before `dueAt` (rate limited, or reconciled as not sent).
    func requeue(_ id: String, dueAt: Double) async throws {
        _ = try await transition(id, sql: "UPDATE outbox SET state = 'queued', due_at = ?, sending_since = NULL, updated_at = ? WHERE id = ? AND state = 'sending'") {
            [dueAt, Date().timeIntervalSince1970, id]
        }
    }

    /// queued → cancelling: the sender no longer takes it; the conversation then records the cancel.
    func claimCancel(_ id: String, conversationId: String) async throws -> Bool {
        try await transition(id, sql: "UPDATE outbox SET state = 'cancelling', updated_at = ? WHERE id = ? AND state = 'queued' AND conversation_id = ?") {
            [Date().timeIntervalSince1970, id, conversationId]
        }
    }

    /// The outbox entry GHL's webhook is about: by the messageId GHL gave us, else (outcome
    /// unknown) a `sending` entry of that conversation with the same text.
    func match(conversationId: String, messageId: String?, text: String) async throws -> OutboxEntry? {
        try await storage.pool.read { db in
            if let messageId, let row = try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE ghl_message_id = ?", arguments: [messageId]) {
                return Self.entry(row)
            }
            return try Row.fetchOne(
                db, sql: "SELECT * FROM outbox WHERE conversation_id = ? AND state = 'sending' AND text = ? ORDER BY created_at LIMIT 1",
                arguments: [conversationId, text]
            ).map(Self.entry)
        }
    }

    private func transition(_ id: String, sql: String, _ args: @escaping @Sendable () -> StatementArguments) async throws -> Bool {
        let changed = ChangedFlag()
        try await storage.committer.commit { db in
            try db.execute(sql: sql, arguments: args())
            changed.set(db.changesCount > 0)
        }
        return changed.value
    }

    static func entry(_ row: Row) -> OutboxEntry {
        OutboxEntry(
            request: OutboundRequest(
                outboxId: row["id"], conversationId: row["conversation_id"], locationId: row["location_id"], contactId: row["contact_id"],
                channel: row["channel"], text: row["text"], origin: row["origin"], suggestionId: row["suggestion_id"]),
            state: row["state"], attempts: row["attempts"], dueAt: row["due_at"], sendingSince: row["sending_since"],
            ghlMessageId: row["ghl_message_id"], createdAt: row["created_at"])
    }
}

/// Carries "did the UPDATE change a row" out of a group-commit write closure.
final class ChangedFlag: Sendable {
    private let flag = Mutex(false)
    func set(_ v: Bool) { flag.withLock { $0 = v } }
    var value: Bool { flag.withLock { $0 } }
}
