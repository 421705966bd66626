import Actors
import Foundation
import LiveHub
import Logging
import PostgresNIO

/// The outbox in PostgreSQL: rows inserted and settled inside conversation commits (`apply`),
/// and the sender's conditional transitions, each one statement, durable when it returns.
struct PostgresOutboxStore: OutboxStore {
    let database: PostgresDatabase

    /// Applied inside a conversation commit.
    static func apply(_ write: OutboxWrite, _ c: PostgresConnection, _ logger: Logger) async throws {
        let now = Date().timeIntervalSince1970
        switch write {
        case .insert(let r):
            // Due at once (0: "not before" nothing); only a requeue or postponement sets a time.
            try await c.run(
                """
                INSERT INTO outbox (id, conversation_id, location_id, contact_id, channel, text, origin, suggestion_id, state, due_at, created_at, updated_at)
                VALUES (\(r.outboxId), \(r.conversationId), \(r.locationId), \(r.contactId), \(r.channel), \(r.text), \(r.origin), \(r.suggestionId),
                    'queued', 0, \(now), \(now))
                """, logger: logger
            )
        case .update(let id, let state, let messageId, let error):
            try await c.run(
                "UPDATE outbox SET state = \(state.rawValue), ghl_message_id = COALESCE(\(messageId)::text, ghl_message_id), error = \(error), updated_at = \(now) WHERE id = \(id)",
                logger: logger
            )
        }
    }

    /// The columns `entry(_:)` reads, in its order.
    private typealias Row = (String, String, String, String, String, String, String, String?, String, Int, Double, Double?, String?, Double)

    func entry(_ id: String) async throws -> OutboxEntry? {
        try await entries { c, logger in
            try await c.query("SELECT \(unescaped: Self.columns) FROM outbox WHERE id = \(id)", logger: logger)
        }.first
    }

    func due(now: Double, limit: Int) async throws -> [OutboxEntry] {
        try await entries { c, logger in
            try await c.query(
                "SELECT \(unescaped: Self.columns) FROM outbox WHERE state = 'queued' AND due_at <= \(now) ORDER BY created_at LIMIT \(Self.rows(limit))", logger: logger)
        }
    }

    func unsettledCounts() async throws -> [OutboxState: Int] {
        let logger = database.logger
        return try await database.withConnection { c in
            var out: [OutboxState: Int] = [:]
            // Only the unsettled states (the `(state, due_at)` index), named once in `OutboxState`.
            let rows = try await c.query(
                "SELECT state, COUNT(*) FROM outbox WHERE state = ANY(\(OutboxState.unsettled.map(\.rawValue))) GROUP BY state", logger: logger)
            for try await (state, n) in rows.decode((String, Int).self) {
                if let state = OutboxState(rawValue: state) { out[state] = n }
            }
            return out
        }
    }

    func entries(state: OutboxState, after cursor: OutboxEntry?, limit: Int) async throws -> [OutboxEntry] {
        // The first page starts below every key, so one keyset query serves every page.
        let (createdAfter, idAfter) = cursor.map { ($0.createdAt, $0.request.outboxId) } ?? (-.infinity, "")
        return try await entries { c, logger in
            try await c.query(
                """
                SELECT \(unescaped: Self.columns) FROM outbox WHERE state = \(state.rawValue) AND (created_at, id) > (\(createdAfter), \(idAfter))
                ORDER BY created_at, id LIMIT \(Self.rows(limit))
                """, logger: logger)
        }
    }

    func markSending(_ id: String, at time: Double) async throws -> Bool {
        try await database.writeStatement(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, sending_since = \(time), updated_at = \(time) WHERE id = \(id) AND state = 'queued' RETURNING 1")
    }

    func requeue(_ id: String, dueAt: Double) async throws {
        try await database.writeStatement(
            "UPDATE outbox SET state = 'queued', due_at = \(dueAt), sending_since = NULL, updated_at = \(Date().timeIntervalSince1970) WHERE id = \(id) AND state = 'sending' RETURNING 1")
    }

    func postpone(_ id: String, until dueAt: Double) async throws -> Bool {
        try await database.writeStatement(
            "UPDATE outbox SET due_at = \(dueAt), updated_at = \(Date().timeIntervalSince1970) WHERE id = \(id) AND state = 'queued' RETURNING 1")
    }

    func claimCancel(_ id: String, conversationId: String) async throws -> Bool {
        try await database.writeStatement(
            """
            UPDATE outbox SET state = 'cancelling', updated_at = \(Date().timeIntervalSince1970)
            WHERE id = \(id) AND state = 'queued' AND conversation_id = \(conversationId) RETURNING 1
            """)
    }

    func match(conversationId: String, messageId: String?, text: String) async throws -> OutboxEntry? {
        if let messageId, let byId = try await entries({ c, logger in
            try await c.query("SELECT \(unescaped: Self.columns) FROM outbox WHERE ghl_message_id = \(messageId) LIMIT 1", logger: logger)
        }).first {
            return byId
        }
        return try await entries { c, logger in
            try await c.query(
                """
                SELECT \(unescaped: Self.columns) FROM outbox WHERE conversation_id = \(conversationId) AND state = 'sending' AND text = \(text)
                ORDER BY created_at LIMIT 1
                """, logger: logger)
        }.first
    }

    /// A constant column list, not a value: spelled once for every read of whole entries.
    private static let columns =
        "id, conversation_id, location_id, contact_id, channel, text, origin, suggestion_id, state, attempts, due_at, sending_since, ghl_message_id, created_at"

    /// A LIMIT as SQLite reads one: a negative limit is no limit (NULL in PostgreSQL).
    private static func rows(_ limit: Int) -> Int? { limit < 0 ? nil : limit }

    /// The entries a query of `columns` returns; a row in a state this version does not know
    /// (never written by it) is skipped.
    private func entries(_ query: (PostgresConnection, Logger) async throws -> PostgresRowSequence) async throws -> [OutboxEntry] {
        let logger = database.logger
        return try await database.withConnection { c in
            var out: [OutboxEntry] = []
            for try await r in try await query(c, logger).decode(Row.self) {
                guard let state = OutboxState(rawValue: r.8) else { continue }
                out.append(
                    OutboxEntry(
                        request: OutboundRequest(
                            outboxId: r.0, conversationId: r.1, locationId: r.2, contactId: r.3, channel: r.4, text: r.5, origin: r.6, suggestionId: r.7),
                        state: state, attempts: r.9, dueAt: r.10, sendingSince: r.11, ghlMessageId: r.12, createdAt: r.13))
            }
            return out
        }
    }
}
