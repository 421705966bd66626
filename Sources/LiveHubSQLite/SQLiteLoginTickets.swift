import Foundation
import GRDB
import LiveHub

/// Used login links in SQLite.
struct SQLiteLoginTickets: LoginTicketLedger {
    let database: SQLiteDatabase

    func redeem(_ id: String, expiresAt: Double, now: Double) async throws -> Bool {
        let first = ChangedFlag()
        try await database.committer.commit { db in
            try db.execute(sql: "DELETE FROM login_ticket WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "INSERT INTO login_ticket (id, expires_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING", arguments: [id, expiresAt])
            first.set(db.changesCount == 1)
        }
        return first.value
    }
}
