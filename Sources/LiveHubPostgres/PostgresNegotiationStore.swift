import Actors
import Foundation
import LiveHub
import Logging
import NIOCore
import PostgresNIO

/// Negotiation sessions in PostgreSQL: events in the shared event log under the session's
/// stream id and the session row, in one transaction fenced by the location's shard lease, as
/// conversation commits are.
struct PostgresNegotiationStore: NegotiationStore {
    let database: PostgresDatabase
    let fence: (any ShardFence)?

    func commit(_ commit: NegotiationCommit) async throws {
        let s = commit.session
        var token: FenceToken?
        if let fence {
            guard let t = fence.token(forLocation: s.locationId) else { throw ClusterError.notOwner(location: s.locationId) }
            token = t
        }
        let logger = database.logger
        let events = commit.events
        let updatedAt = events.last?.at ?? s.openedAt
        try await database.write(observed: true) { c in
            if let token { try await PostgresConversationStore.checkLease(token, c, logger) }
            try await c.run(
                """
                WITH e AS (
                    INSERT INTO event (conversation_id, seq, kind, at, data)
                    SELECT * FROM unnest(\(events.map(\.conversationId))::text[], \(events.map { Int64(bitPattern: $0.seq) })::bigint[],
                        \(events.map(\.kind.rawValue))::text[], \(events.map(\.at))::float8[], \(events.map { ByteBuffer(bytes: $0.data) })::bytea[])
                )
                INSERT INTO negotiation (id, location_id, status, head, updated_at, state)
                VALUES (\(s.id), \(s.locationId), \(s.status.rawValue), \(Int64(bitPattern: s.head)), \(updatedAt), \(ByteBuffer(bytes: commit.sessionJSON)))
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, head = excluded.head, updated_at = excluded.updated_at, state = excluded.state
                """,
                logger: logger
            )
        }
    }

    func load(negotiationId: String) async throws -> NegotiationSession? {
        let logger = database.logger
        return try await database.withConnection { c in
            var json: Data?
            for try await value in try await c.query("SELECT state FROM negotiation WHERE id = \(negotiationId)", logger: logger).decode(Data.self) { json = value }
            return try json.map { try JSONDecoder().decode(NegotiationSession.self, from: $0) }
        }
    }
}
