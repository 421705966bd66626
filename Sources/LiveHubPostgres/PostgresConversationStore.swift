import Actors
import Foundation
import LiveHub
import Logging
import NIOCore
import PostgresNIO

/// Conversations in PostgreSQL: the commit of a conversation's unit of work (receipts, outbox
/// rows, scheduled work, events, state) in one transaction, fenced by the shard's lease when the
/// storage has a fence, and the reads the server needs.
struct PostgresConversationStore: ConversationRepository {
    let database: PostgresDatabase
    let fence: (any ShardFence)?

    func commit(_ commits: [ConversationCommit]) async throws {
        guard let last = commits.last else { return }
        var token: FenceToken?
        if let fence {
            // Refused before anything is tried: this node does not own the location now.
            guard let t = fence.token(forLocation: last.state.locationId) else { throw ClusterError.notOwner(location: last.state.locationId) }
            token = t
        }
        let logger = database.logger
        try await database.write(observed: true) { c in
            if let token { try await Self.checkLease(token, c, logger) }
            for commit in commits {
                if let r = commit.receipt { try await PostgresWebhookLedger.insert(r, c, logger) }
                if let o = commit.outbox { try await PostgresOutboxStore.apply(o, c, logger) }
                for change in commit.schedule {
                    try await Self.apply(change, work: commit.workJSON[change.kind], conversationId: commit.state.conversationId, c, logger)
                }
            }
            try await Self.writeEventsAndState(commits.flatMap(\.events), last, c, logger)
        }
    }

    /// First in the transaction: the lease row, locked FOR SHARE so that no other node can take
    /// the shard until this transaction ends. No row: the lease moved on, nothing is written.
    static func checkLease(_ t: FenceToken, _ c: PostgresConnection, _ logger: Logger) async throws {
        let held = try await c.query(
            "SELECT 1 FROM shard_lease WHERE shard = \(t.shard) AND owner = \(t.node) AND epoch = \(t.epoch) AND expires_at > now() FOR SHARE",
            logger: logger
        ).hasRow()
        guard held else { throw ClusterError.fenced(t) }
    }

    /// Every event of the batch in one INSERT (arrays, unnested), and the conversation row from
    /// the batch's last state (it includes every earlier one's), in one statement: the hot path.
    private static func writeEventsAndState(_ events: [ConversationEvent], _ last: ConversationCommit, _ c: PostgresConnection, _ logger: Logger) async throws {
        let s = last.state
        let updatedAt = s.lastMessageAt ?? Date().timeIntervalSince1970
        try await c.run(
            """
            WITH e AS (
                INSERT INTO event (conversation_id, seq, kind, at, data)
                SELECT * FROM unnest(\(events.map(\.conversationId))::text[], \(events.map { Int64(bitPattern: $0.seq) })::bigint[],
                    \(events.map(\.kind.rawValue))::text[], \(events.map(\.at))::float8[], \(events.map { ByteBuffer(bytes: $0.data) })::bytea[])
            )
            INSERT INTO conversation (id, location_id, contact_id, head, updated_at, state)
            VALUES (\(s.conversationId), \(s.locationId), \(s.contactId), \(Int64(bitPattern: s.head)), \(updatedAt), \(ByteBuffer(bytes: last.stateJSON)))
            ON CONFLICT (id) DO UPDATE SET contact_id = excluded.contact_id, head = excluded.head,
                updated_at = excluded.updated_at, state = excluded.state
            """,
            logger: logger
        )
    }

    private static func apply(_ change: ScheduleChange, work: Data?, conversationId: String, _ c: PostgresConnection, _ logger: Logger) async throws {
        switch change {
        case .set(let item):
            guard let work else { throw PostgresStorageError.missingWork(conversationId: conversationId, kind: item.kind.rawValue) }
            try await c.run(
                """
                INSERT INTO scheduled (conversation_id, kind, due_at, token, work)
                VALUES (\(conversationId), \(item.kind.rawValue), \(item.dueAt), \(Int64(bitPattern: item.token)), \(ByteBuffer(bytes: work)))
                ON CONFLICT (conversation_id, kind) DO UPDATE SET due_at = excluded.due_at, token = excluded.token, work = excluded.work
                """,
                logger: logger
            )
        case .clear(let kind):
            try await c.run("DELETE FROM scheduled WHERE conversation_id = \(conversationId) AND kind = \(kind.rawValue)", logger: logger)
        }
    }

    func load(conversationId: String) async throws -> StoredConversation? {
        let logger = database.logger
        // One snapshot for the three reads, as SQLite's single read transaction gives.
        return try await database.transaction { c in
            try await c.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            guard let json = try await Self.stateJSON(conversationId, c, logger) else { return nil }
            let state = try JSONDecoder().decode(ConversationState.self, from: json)
            let history = try await Self.events(
                c.query(
                    """
                    SELECT conversation_id, seq, at, kind, data FROM event
                    WHERE conversation_id = \(conversationId) AND kind IN ('message.inbound', 'message.outbound') ORDER BY seq
                    """, logger: logger))
            // Work this version cannot read (written by a later one) is left stored and skipped, so
            // that one unreadable row cannot keep its conversation from loading.
            var scheduled: [ScheduledItem] = []
            let rows = try await c.query("SELECT due_at, token, work FROM scheduled WHERE conversation_id = \(conversationId)", logger: logger)
            for try await (dueAt, token, work) in rows.decode((Double, Int64, Data).self) {
                guard let work = try? JSONDecoder().decode(ScheduledWork.self, from: work) else { continue }
                scheduled.append(ScheduledItem(conversationId: conversationId, dueAt: dueAt, token: UInt64(bitPattern: token), work: work))
            }
            return StoredConversation(state: state, history: history, scheduled: scheduled)
        }
    }

    func events(conversationId: String, after: UInt64, limit: Int) async throws -> [ConversationEvent] {
        let logger = database.logger
        return try await database.withConnection { c in
            try await Self.events(
                c.query(
                    """
                    SELECT conversation_id, seq, at, kind, data FROM event
                    WHERE conversation_id = \(conversationId) AND seq > \(Int64(bitPattern: after)) ORDER BY seq LIMIT \(Self.rows(limit))
                    """, logger: logger))
        }
    }

    func state(conversationId: String) async throws -> ConversationState? {
        let logger = database.logger
        return try await database.withConnection { c in
            try await Self.stateJSON(conversationId, c, logger).map { try JSONDecoder().decode(ConversationState.self, from: $0) }
        }
    }

    func states(locationId: String?, limit: Int) async throws -> [ConversationState] {
        let logger = database.logger
        return try await database.withConnection { c in
            let rows: PostgresRowSequence
            if let locationId {
                rows = try await c.query("SELECT state FROM conversation WHERE location_id = \(locationId) ORDER BY updated_at DESC LIMIT \(Self.rows(limit))", logger: logger)
            } else {
                rows = try await c.query("SELECT state FROM conversation ORDER BY updated_at DESC LIMIT \(Self.rows(limit))", logger: logger)
            }
            var out: [ConversationState] = []
            for try await json in rows.decode(Data.self) { out.append(try JSONDecoder().decode(ConversationState.self, from: json)) }
            return out
        }
    }

    func conversations(ofContact contactId: String) async throws -> [ConversationRef] {
        let logger = database.logger
        return try await database.withConnection { c in
            var out: [ConversationRef] = []
            let rows = try await c.query("SELECT id, location_id FROM conversation WHERE contact_id = \(contactId)", logger: logger)
            for try await (id, location) in rows.decode((String, String).self) { out.append(ConversationRef(id: id, locationId: location)) }
            return out
        }
    }

    func dueWork(before: Double, after cursor: DueCursor?, limit: Int) async throws -> [DueCursor] {
        // The first page starts below every key, so one keyset query serves every page.
        let from = cursor ?? DueCursor(dueAt: -.infinity, conversationId: "")
        let logger = database.logger
        return try await database.withConnection { c in
            var out: [DueCursor] = []
            let rows = try await c.query(
                """
                SELECT s.conversation_id, s.due_at, c.location_id FROM scheduled s LEFT JOIN conversation c ON c.id = s.conversation_id
                WHERE s.due_at <= \(before) AND (s.due_at, s.conversation_id) > (\(from.dueAt), \(from.conversationId))
                ORDER BY s.due_at, s.conversation_id LIMIT \(Self.rows(limit))
                """, logger: logger)
            for try await (id, dueAt, location) in rows.decode((String, Double, String?).self) {
                out.append(DueCursor(dueAt: dueAt, conversationId: id, locationId: location))
            }
            return out
        }
    }

    /// A LIMIT as SQLite reads one: a negative limit is no limit (NULL in PostgreSQL).
    private static func rows(_ limit: Int) -> Int? { limit < 0 ? nil : limit }

    private static func stateJSON(_ conversationId: String, _ c: PostgresConnection, _ logger: Logger) async throws -> Data? {
        var json: Data?
        for try await state in try await c.query("SELECT state FROM conversation WHERE id = \(conversationId)", logger: logger).decode(Data.self) { json = state }
        return json
    }

    /// Rows of `conversation_id, seq, at, kind, data`; a kind this version does not know is skipped.
    private static func events(_ rows: PostgresRowSequence) async throws -> [ConversationEvent] {
        var out: [ConversationEvent] = []
        for try await (id, seq, at, kind, data) in rows.decode((String, Int64, Double, String, Data).self) {
            guard let kind = EventKind(rawValue: kind) else { continue }
            out.append(ConversationEvent(conversationId: id, seq: UInt64(bitPattern: seq), at: at, kind: kind, data: data))
        }
        return out
    }
}
