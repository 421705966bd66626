import Actors
import Foundation
import GRDB
import LiveHub
import Synchronization

/// The outbox in SQLite: rows inserted and settled inside conversation commits (`apply`), and
/// the sender's conditional transitions, each its own durable commit.
struct SQLiteOutboxStore: OutboxStore {
    let database: SQLiteDatabase

    /// Applied inside a conversation commit.
    static func apply(_ write: OutboxWrite, _ db: Database) throws {
        let now = Date().timeIntervalSince1970
        switch write {
        case .insert(let r):
            try db.executeCached(
                """
                    INSERT INTO outbox (id, conversation_id, location_id, contact_id, channel, text, origin, suggestion_id, state, due_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)
                    """,
                // Due at once (0: "not before" nothing); only a requeue or postponement sets a time.
                [r.outboxId, r.conversationId, r.locationId, r.contactId, r.channel, r.text, r.origin, r.suggestionId, now, now])
        case .update(let id, let state, let messageId, let error):
            try db.executeCached(
                "UPDATE outbox SET state = ?, ghl_message_id = COALESCE(?, ghl_message_id), error = ?, updated_at = ? WHERE id = ?",
                [state.rawValue, messageId, error, now, id])
        }
    }

    func entry(_ id: String) async throws -> OutboxEntry? {
        try await database.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).flatMap(Self.entry) }
    }

    func due(now: Double, limit: Int) async throws -> [OutboxEntry] {
        try await database.pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outbox WHERE state = 'queued' AND due_at <= ? ORDER BY created_at LIMIT ?"), arguments: [now, limit]).compactMap(Self.entry)
        }
    }

    /// Counts only the unsettled states (the `(state, due_at)` index), named once in `OutboxState`.
    static let unsettledCountsSQL =
        "SELECT state, COUNT(*) AS n FROM outbox WHERE state IN (" + OutboxState.unsettled.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ") GROUP BY state"

    func unsettledCounts() async throws -> [OutboxState: Int] {
        try await database.pool.read { db in
            var out: [OutboxState: Int] = [:]
            for row in try Row.fetchAll(db, sql: Self.unsettledCountsSQL) {
                if let state = OutboxState(rawValue: row["state"]) { out[state] = row["n"] }
            }
            return out
        }
    }

    func entries(state: OutboxState, after cursor: OutboxEntry?, limit: Int) async throws -> [OutboxEntry] {
        // The first page starts below every key, so one keyset query serves every page.
        let (createdAfter, idAfter) = cursor.map { ($0.createdAt, $0.request.outboxId) } ?? (-.infinity, "")
        return try await database.pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE state = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?",
                arguments: [state.rawValue, createdAfter, idAfter, limit])
            return rows.compactMap(Self.entry)
        }
    }

    func markSending(_ id: String, at time: Double) async throws -> Bool {
        try await transition(id, sql: "UPDATE outbox SET state = 'sending', attempts = attempts + 1, sending_since = ?, updated_at = ? WHERE id = ? AND state = 'queued'") {
            [time, time, id]
        }
    }

    func requeue(_ id: String, dueAt: Double) async throws {
        _ = try await transition(id, sql: "UPDATE outbox SET state = 'queued', due_at = ?, sending_since = NULL, updated_at = ? WHERE id = ? AND state = 'sending'") {
            [dueAt, Date().timeIntervalSince1970, id]
        }
    }

    func postpone(_ id: String, until dueAt: Double) async throws -> Bool {
        try await transition(id, sql: "UPDATE outbox SET due_at = ?, updated_at = ? WHERE id = ? AND state = 'queued'") {
            [dueAt, Date().timeIntervalSince1970, id]
        }
    }

    func claimCancel(_ id: String, conversationId: String) async throws -> Bool {
        try await transition(id, sql: "UPDATE outbox SET state = 'cancelling', updated_at = ? WHERE id = ? AND state = 'queued' AND conversation_id = ?") {
            [Date().timeIntervalSince1970, id, conversationId]
        }
    }

    func match(conversationId: String, messageId: String?, text: String) async throws -> OutboxEntry? {
        try await database.pool.read { db in
            if let messageId, let row = try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE ghl_message_id = ?", arguments: [messageId]) {
                return Self.entry(row)
            }
            return try Row.fetchOne(
                db, sql: "SELECT * FROM outbox WHERE conversation_id = ? AND state = 'sending' AND text = ? ORDER BY created_at LIMIT 1",
                arguments: [conversationId, text]
            ).flatMap(Self.entry)
        }
    }

    private func transition(_ id: String, sql: String, _ args: @escaping @Sendable () -> StatementArguments) async throws -> Bool {
        let changed = ChangedFlag()
        try await database.committer.commit { db in
            try db.executeCached(sql, args())
            changed.set(db.changesCount > 0)
        }
        return changed.value
    }

    /// A row as an entry; nil for a state this version does not know (never written by it).
    static func entry(_ row: Row) -> OutboxEntry? {
        guard let state = OutboxState(rawValue: row["state"]) else { return nil }
        return OutboxEntry(
            request: OutboundRequest(
                outboxId: row["id"], conversationId: row["conversation_id"], locationId: row["location_id"], contactId: row["contact_id"],
                channel: row["channel"], text: row["text"], origin: row["origin"], suggestionId: row["suggestion_id"]),
            state: state, attempts: row["attempts"], dueAt: row["due_at"], sendingSince: row["sending_since"],
            ghlMessageId: row["ghl_message_id"], createdAt: row["created_at"])
    }
}

/// Carries "did the UPDATE change a row" out of a group-commit write closure.
final class ChangedFlag: Sendable {
    private let flag = Mutex(false)
    func set(_ v: Bool) { flag.withLock { $0 = v } }
    var value: Bool { flag.withLock { $0 } }
}
