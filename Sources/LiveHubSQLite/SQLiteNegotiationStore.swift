import Actors
import Foundation
import GRDB
import LiveHub

/// Negotiation sessions in SQLite: a commit's events go to the shared event log under the
/// session's stream id, with the session row, in one transaction of the group committer.
struct SQLiteNegotiationStore: NegotiationStore {
    let database: SQLiteDatabase

    func commit(_ commit: NegotiationCommit) async throws {
        try await database.committer.commit { db in
            for e in commit.events {
                try db.executeCached(
                    "INSERT INTO event (conversation_id, seq, kind, at, data) VALUES (?, ?, ?, ?, ?)", [e.conversationId, Int64(e.seq), e.kind.rawValue, e.at, e.data])
            }
            let s = commit.session
            try db.executeCached(
                """
                    INSERT INTO negotiation (id, location_id, status, head, updated_at, state) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET status = excluded.status, head = excluded.head, updated_at = excluded.updated_at, state = excluded.state
                    """,
                [s.id, s.locationId, s.status.rawValue, Int64(s.head), commit.events.last?.at ?? s.openedAt, commit.sessionJSON])
        }
    }

    func load(negotiationId: String) async throws -> NegotiationSession? {
        try await database.pool.read { db in
            guard let json = try Data.fetchOne(db.cachedStatement(sql: "SELECT state FROM negotiation WHERE id = ?"), arguments: [negotiationId]) else { return nil }
            return try JSONDecoder().decode(NegotiationSession.self, from: json)
        }
    }
}
