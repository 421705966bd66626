import Foundation
import GRDB
import LiveHub

/// OAuth grants per location in SQLite. A refresh token is single-use: once GHL has answered a
/// refresh, the old one is dead, so the new grant is written (one row, one transaction,
/// `synchronous = FULL`) before its access token is used — a crash after that loses nothing.
struct SQLiteCredentialStore: CredentialStore {
    let database: SQLiteDatabase

    func grant(location: String) async throws -> OAuthGrant? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM ghl_oauth WHERE location_id = ?", arguments: [location]).map(Self.grant)
        }
    }

    func save(_ grant: OAuthGrant) async throws {
        try await database.committer.commit { db in
            try db.execute(
                sql: """
                    INSERT INTO ghl_oauth (location_id, company_id, access_token, refresh_token, expires_at, scope, revoked, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(location_id) DO UPDATE SET company_id = excluded.company_id, access_token = excluded.access_token,
                        refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, scope = excluded.scope,
                        revoked = excluded.revoked, updated_at = excluded.updated_at
                    """,
                arguments: [
                    grant.locationId, grant.companyId, grant.accessToken, grant.refreshToken, grant.expiresAt.timeIntervalSince1970, grant.scope,
                    grant.revoked, Date().timeIntervalSince1970,
                ])
        }
    }

    /// Forgets a location's grant (the app was uninstalled there), inside the caller's commit
    /// (the uninstall's receipt).
    static func delete(location: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM ghl_oauth WHERE location_id = ?", arguments: [location])
    }

    private static func grant(_ row: Row) -> OAuthGrant {
        OAuthGrant(
            locationId: row["location_id"], companyId: row["company_id"], accessToken: row["access_token"], refreshToken: row["refresh_token"],
            expiresAt: Date(timeIntervalSince1970: row["expires_at"]), scope: row["scope"], revoked: row["revoked"])
    }
}
