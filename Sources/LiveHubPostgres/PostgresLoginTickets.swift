import LiveHub
import PostgresNIO

/// Used login links in PostgreSQL, shared by every node.
struct PostgresLoginTickets: LoginTicketLedger {
    let database: PostgresDatabase

    func redeem(_ id: String, expiresAt: Double, now: Double) async throws -> Bool {
        let logger = database.logger
        return try await database.write { c in
            try await c.run("DELETE FROM login_ticket WHERE expires_at < \(now)", logger: logger)
            var inserted = false
            for try await _ in try await c.query(
                "INSERT INTO login_ticket (id, expires_at) VALUES (\(id), \(expiresAt)) ON CONFLICT (id) DO NOTHING RETURNING id", logger: logger
            ).decode(String.self) { inserted = true }
            return inserted
        }
    }
}
