import Actors
import Foundation
import GRDB

/// `ConversationStore` on SQLite, plus the reads the webhook path and the gateway need.
struct SQLiteConversationStore: ConversationStore {
    let storage: Storage

    func commit(_ commit: ConversationCommit) async throws {
        let stateJSON = try PayloadEncoder.encode(commit.state)
        let schedule = try commit.schedule.map { change -> (ScheduleChange, Data?) in
            if case .set(let item) = change { return (change, try PayloadEncoder.encode(item.work)) }
            return (change, nil)
        }
        try await storage.committer.commit { db in
            if let r = commit.receipt { try Self.insert(receipt: r, db) }
            if let o = commit.outbox { try OutboxStore.apply(o, db) }
            for (change, work) in schedule { try Self.apply(change, work: work, conversationId: commit.state.conversationId, db) }
            for e in commit.events {
                try db.execute(
                    sql: "INSERT INTO event (conversation_id, seq, kind, at, data) VALUES (?, ?, ?, ?, ?)",
                    arguments: [e.conversationId, Int64(e.seq), e.kind.rawValue, e.at, e.data])
            }
            let s = commit.state
            try db.execute(
                sql: """
                    INSERT INTO conversation (id, location_id, contact_id, head, updated_at, state) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET contact_id = excluded.contact_id, head = excluded.head,
                        updated_at = excluded.updated_at, state = excluded.state
                    """,
                arguments: [s.conversationId, s.locationId, s.contactId, Int64(s.head), s.lastMessageAt ?? Date().timeIntervalSince1970, stateJSON])
        }
    }

    private static func apply(_ change: ScheduleChange, work: Data?, conversationId: String, _ db: Database) throws {
        switch change {
        case .set(let item):
            try db.execute(
                sql: "INSERT OR REPLACE INTO scheduled (conversation_id, kind, due_at, token, work) VALUES (?, ?, ?, ?, ?)",
                arguments: [conversationId, item.kind.rawValue, item.dueAt, Int64(bitPattern: item.token), work])
        case .clear(let kind):
            try db.execute(sql: "DELETE FROM scheduled WHERE conversation_id = ? AND kind = ?", arguments: [conversationId, kind.rawValue])
        }
    }

    static func insert(receipt r: WebhookReceipt, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO webhook (id, type, location_id, received_at, body, signature_scheme) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [r.webhookId, r.type, r.locationId, r.receivedAt, Data(r.body), r.signatureScheme])
        if let m = r.messageId {
            try db.execute(sql: "INSERT INTO message_key (message_id, webhook_id) VALUES (?, ?)", arguments: [m, r.webhookId])
        }
    }

    /// Commits a webhook that produced no conversation events, with whatever else it changed.
    func commit(receipt: WebhookReceipt, also: (@Sendable (Database) throws -> Void)? = nil) async throws {
        try await storage.committer.commit { db in
            try also?(db)
            try Self.insert(receipt: receipt, db)
        }
    }

    func load(conversationId: String) async throws -> StoredConversation? {
        try await storage.pool.read { db in
            guard let json = try Data.fetchOne(db, sql: "SELECT state FROM conversation WHERE id = ?", arguments: [conversationId]) else { return nil }
            let state = try JSONDecoder().decode(ConversationState.self, from: json)
            let history = try Self.events(db, sql: "SELECT * FROM event WHERE conversation_id = ? AND kind IN ('message.inbound', 'message.outbound') ORDER BY seq", [conversationId])
            let scheduled = try Row.fetchAll(db, sql: "SELECT * FROM scheduled WHERE conversation_id = ?", arguments: [conversationId]).map { row in
                let token: Int64 = row["token"]
                return ScheduledItem(
                    conversationId: conversationId, dueAt: row["due_at"], token: UInt64(bitPattern: token),
                    work: try JSONDecoder().decode(ScheduledWork.self, from: row["work"] as Data))
            }
            return StoredConversation(state: state, history: history, scheduled: scheduled)
        }
    }

    /// Which of the keys is already stored: the webhook id first, then the message id.
    func duplicate(webhookId: String, messageId: String?) async throws -> Bool {
        try await storage.pool.read { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM webhook WHERE id = ?", arguments: [webhookId]) == true { return true }
            if let messageId, try Bool.fetchOne(db, sql: "SELECT 1 FROM message_key WHERE message_id = ?", arguments: [messageId]) == true { return true }
            return false
        }
    }

    /// Events `after < seq ≤ after + limit`, oldest first.
    func events(conversationId: String, after: UInt64, limit: Int) async throws -> [ConversationEvent] {
        try await storage.pool.read { db in
            try Self.events(db, sql: "SELECT * FROM event WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?", [conversationId, Int64(after), limit])
        }
    }

    func state(conversationId: String) async throws -> ConversationState? {
        try await storage.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT state FROM conversation WHERE id = ?", arguments: [conversationId])
                .map { try JSONDecoder().decode(ConversationState.self, from: $0) }
        }
    }

    /// The most recently active conversations, of a location or of all.
    func states(locationId: String?, limit: Int = 500) async throws -> [ConversationState] {
        try await storage.pool.read { db in
            let rows: [Data]
            if let locationId {
                rows = try Data.fetchAll(db, sql: "SELECT state FROM conversation WHERE location_id = ? ORDER BY updated_at DESC LIMIT ?", arguments: [locationId, limit])
            } else {
                rows = try Data.fetchAll(db, sql: "SELECT state FROM conversation ORDER BY updated_at DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map { try JSONDecoder().decode(ConversationState.self, from: $0) }
        }
    }

    /// Conversations with scheduled work due before `before`, a page at a time: those after
    /// `cursor` in (due time, conversation) order.
    func dueWork(before: Double, after cursor: DueCursor?, limit: Int) async throws -> [DueCursor] {
        try await storage.pool.read { db in
            let rows: [Row]
            if let cursor {
                rows = try Row.fetchAll(
                    db, sql: "SELECT conversation_id, due_at FROM scheduled WHERE due_at <= ? AND (due_at, conversation_id) > (?, ?) ORDER BY due_at, conversation_id LIMIT ?",
                    arguments: [before, cursor.dueAt, cursor.conversationId, limit])
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT conversation_id, due_at FROM scheduled WHERE due_at <= ? ORDER BY due_at, conversation_id LIMIT ?", arguments: [before, limit])
            }
            return rows.map { DueCursor(dueAt: $0["due_at"], conversationId: $0["conversation_id"]) }
        }
    }

    func conversations(ofContact contactId: String) async throws -> [(id: String, location: String)] {
        try await storage.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, location_id FROM conversation WHERE contact_id = ?", arguments: [contactId]).map { ($0["id"], $0["location_id"]) }
        }
    }

    func contact(_ id: String) async throws -> ContactProfile? {
        try await storage.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT profile FROM contact WHERE id = ?", arguments: [id]).map { try JSONDecoder().decode(ContactProfile.self, from: $0) }
        }
    }

    static func upsert(contact: ContactProfile, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO contact (id, location_id, profile) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile",
            arguments: [contact.id, contact.locationId, try PayloadEncoder.encode(contact)])
    }

    static func setLocation(_ id: String, installed: Bool, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO location (id, installed, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET installed = excluded.installed, updated_at = excluded.updated_at",
            arguments: [id, installed, Date().timeIntervalSince1970])
    }

    /// The locations that uninstalled the app, read a page at a time.
    func uninstalledLocations(pageSize: Int = 1_000) async throws -> Set<String> {
        var out: Set<String> = []
        var after = ""
        while true {
            let from = after
            let page = try await storage.pool.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM location WHERE installed = 0 AND id > ? ORDER BY id LIMIT ?", arguments: [from, pageSize])
            }
            out.formUnion(page)
            guard page.count == pageSize, let last = page.last else { return out }
            after = last
        }
    }

    /// Removes webhook receipts older than the retention (duplicates are recognised for at least that long).
    func pruneWebhooks(olderThan cutoff: Double) async throws {
        try await storage.committer.commit { db in
            try db.execute(sql: "DELETE FROM message_key WHERE webhook_id IN (SELECT id FROM webhook WHERE received_at < ?)", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM webhook WHERE received_at < ?", arguments: [cutoff])
        }
    }

    static func events(_ db: Database, sql: String, _ args: StatementArguments) throws -> [ConversationEvent] {
        try Row.fetchAll(db, sql: sql, arguments: args).compactMap { row in
            guard let kind = EventKind(rawValue: row["kind"]) else { return nil }
            let seq: Int64 = row["seq"]
            return ConversationEvent(conversationId: row["conversation_id"], seq: UInt64(seq), at: row["at"], kind: kind, data: row["data"])
        }
    }
}

/// A position in the scheduled work, ordered by due time then conversation.
struct DueCursor: Sendable, Hashable {
    let dueAt: Double
    let conversationId: String
}
