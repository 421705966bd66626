import Actors
import Foundation
import GRDB
import LiveHub

/// Conversations in SQLite: the commit of a conversation's unit of work (events, state,
/// receipt, outbox row, scheduled work) in one transaction of the group committer, and the
/// reads the server needs.
struct SQLiteConversationStore: ConversationRepository {
    let database: SQLiteDatabase

    func commit(_ commits: [ConversationCommit]) async throws {
        try await database.committer.commit { db in
            for commit in commits { try Self.write(commit, db) }
            // The state after the batch's last input includes every earlier one's.
            if let last = commits.last { try Self.writeState(last, db) }
        }
    }

    private static func write(_ commit: ConversationCommit, _ db: Database) throws {
        if let r = commit.receipt { try SQLiteWebhookLedger.insert(r, db) }
        if let o = commit.outbox { try SQLiteOutboxStore.apply(o, db) }
        for change in commit.schedule { try apply(change, work: commit.workJSON[change.kind], conversationId: commit.state.conversationId, db) }
        for e in commit.events {
            try db.executeCached(
                "INSERT INTO event (conversation_id, seq, kind, at, data) VALUES (?, ?, ?, ?, ?)", [e.conversationId, Int64(e.seq), e.kind.rawValue, e.at, e.data])
        }
    }

    private static func writeState(_ commit: ConversationCommit, _ db: Database) throws {
        let s = commit.state
        try db.executeCached(
            """
                INSERT INTO conversation (id, location_id, contact_id, head, updated_at, state) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET contact_id = excluded.contact_id, head = excluded.head,
                    updated_at = excluded.updated_at, state = excluded.state
                """,
            [s.conversationId, s.locationId, s.contactId, Int64(s.head), s.lastMessageAt ?? Date().timeIntervalSince1970, commit.stateJSON])
    }

    private static func apply(_ change: ScheduleChange, work: Data?, conversationId: String, _ db: Database) throws {
        switch change {
        case .set(let item):
            guard let work else { throw SQLiteStoreError.missingWork(conversationId, item.kind.rawValue) }
            try db.executeCached(
                "INSERT OR REPLACE INTO scheduled (conversation_id, kind, due_at, token, work) VALUES (?, ?, ?, ?, ?)",
                [conversationId, item.kind.rawValue, item.dueAt, Int64(bitPattern: item.token), work])
        case .clear(let kind):
            try db.executeCached("DELETE FROM scheduled WHERE conversation_id = ? AND kind = ?", [conversationId, kind.rawValue])
        }
    }

    func load(conversationId: String) async throws -> StoredConversation? {
        try await database.pool.read { db in
            guard let json = try Data.fetchOne(db.cachedStatement(sql: "SELECT state FROM conversation WHERE id = ?"), arguments: [conversationId]) else { return nil }
            let state = try JSONDecoder().decode(ConversationState.self, from: json)
            let history = try Self.events(db, sql: "SELECT * FROM event WHERE conversation_id = ? AND kind IN ('message.inbound', 'message.outbound') ORDER BY seq", [conversationId])
            // Work this version cannot read (written by a later one) is left stored and skipped, so
            // that one unreadable row cannot keep its conversation from loading.
            let scheduled = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM scheduled WHERE conversation_id = ?"), arguments: [conversationId]).compactMap { row -> ScheduledItem? in
                let token: Int64 = row["token"]
                guard let work = try? JSONDecoder().decode(ScheduledWork.self, from: row["work"] as Data) else { return nil }
                return ScheduledItem(conversationId: conversationId, dueAt: row["due_at"], token: UInt64(bitPattern: token), work: work)
            }
            return StoredConversation(state: state, history: history, scheduled: scheduled)
        }
    }

    func events(conversationId: String, after: UInt64, limit: Int) async throws -> [ConversationEvent] {
        try await database.pool.read { db in
            try Self.events(db, sql: "SELECT * FROM event WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?", [conversationId, Int64(after), limit])
        }
    }

    func state(conversationId: String) async throws -> ConversationState? {
        try await database.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT state FROM conversation WHERE id = ?", arguments: [conversationId])
                .map { try JSONDecoder().decode(ConversationState.self, from: $0) }
        }
    }

    func states(locationId: String?, limit: Int) async throws -> [ConversationState] {
        try await database.pool.read { db in
            let rows: [Data]
            if let locationId {
                rows = try Data.fetchAll(db, sql: "SELECT state FROM conversation WHERE location_id = ? ORDER BY updated_at DESC LIMIT ?", arguments: [locationId, limit])
            } else {
                rows = try Data.fetchAll(db, sql: "SELECT state FROM conversation ORDER BY updated_at DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map { try JSONDecoder().decode(ConversationState.self, from: $0) }
        }
    }

    func conversations(ofContact contactId: String) async throws -> [ConversationRef] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, location_id FROM conversation WHERE contact_id = ?", arguments: [contactId])
                .map { ConversationRef(id: $0["id"], locationId: $0["location_id"]) }
        }
    }

    func dueWork(before: Double, after cursor: DueCursor?, limit: Int) async throws -> [DueCursor] {
        // The first page starts below every key, so one keyset query serves every page.
        let from = cursor ?? DueCursor(dueAt: -.infinity, conversationId: "")
        return try await database.pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.conversation_id, s.due_at, c.location_id FROM scheduled s LEFT JOIN conversation c ON c.id = s.conversation_id
                    WHERE s.due_at <= ? AND (s.due_at, s.conversation_id) > (?, ?) ORDER BY s.due_at, s.conversation_id LIMIT ?
                    """,
                arguments: [before, from.dueAt, from.conversationId, limit])
            return rows.map { DueCursor(dueAt: $0["due_at"], conversationId: $0["conversation_id"], locationId: $0["location_id"]) }
        }
    }

    static func events(_ db: Database, sql: String, _ args: StatementArguments) throws -> [ConversationEvent] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: args).compactMap { row in
            guard let kind = EventKind(rawValue: row["kind"]) else { return nil }
            let seq: Int64 = row["seq"]
            return ConversationEvent(conversationId: row["conversation_id"], seq: UInt64(seq), at: row["at"], kind: kind, data: row["data"])
        }
    }
}

enum SQLiteStoreError: Error, CustomStringConvertible {
    case missingWork(String, String)

    var description: String {
        switch self {
        case .missingWork(let id, let kind): return "conversation \(id): scheduled \(kind) came without its encoded work"
        }
    }
}
