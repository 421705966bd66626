import Foundation
import LiveHub
import Logging
import PostgresNIO

/// OAuth grants per location in PostgreSQL. A refresh token is single-use: once GHL has
/// answered a refresh, the old one is dead, so the new grant is written (one statement,
/// committed with `synchronous_commit` on) before its access token is used. Refreshes of one
/// location are serialized across nodes by an advisory lock (`withRefreshLock`).
struct PostgresCredentialStore: CredentialStore {
    let database: PostgresDatabase

    func grant(location: String) async throws -> OAuthGrant? {
        let logger = database.logger
        return try await database.withConnection { c in
            var grant: OAuthGrant?
            let rows = try await c.query(
                "SELECT location_id, company_id, access_token, refresh_token, expires_at, scope, revoked FROM ghl_oauth WHERE location_id = \(location)",
                logger: logger)
            for try await (id, company, access, refresh, expires, scope, revoked) in rows.decode((String, String?, String, String, Double, String?, Bool).self) {
                grant = OAuthGrant(
                    locationId: id, companyId: company, accessToken: access, refreshToken: refresh, expiresAt: Date(timeIntervalSince1970: expires),
                    scope: scope, revoked: revoked)
            }
            return grant
        }
    }

    func save(_ grant: OAuthGrant) async throws {
        try await database.writeStatement(
            """
            INSERT INTO ghl_oauth (location_id, company_id, access_token, refresh_token, expires_at, scope, revoked, updated_at)
            VALUES (\(grant.locationId), \(grant.companyId), \(grant.accessToken), \(grant.refreshToken), \(grant.expiresAt.timeIntervalSince1970),
                \(grant.scope), \(grant.revoked), \(Date().timeIntervalSince1970))
            ON CONFLICT (location_id) DO UPDATE SET company_id = excluded.company_id, access_token = excluded.access_token,
                refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, scope = excluded.scope,
                revoked = excluded.revoked, updated_at = excluded.updated_at
            """)
    }

    /// Runs `body` holding a transaction-scoped advisory lock named by the location, on a
    /// connection of the lock pool: another node's refresh of the location waits until this
    /// transaction ends (the lock is released with it, also when this node dies mid-refresh).
    /// `body` saves through the stores' pool, so a lock holder never waits for its own pool.
    func withRefreshLock<T: Sendable>(location: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let logger = database.logger
        return try await database.transaction(on: database.locks) { c in
            try await c.run("SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(\(location)::text))", logger: logger)
            return try await body()
        }
    }

    /// The first key of the two-key advisory locks of refreshes ("OA"): that key space is apart
    /// from the one-key locks (the migration lock), and this key names the refreshes within it.
    static let lockClass: Int32 = 0x4F41

    /// Forgets a location's grant (the app was uninstalled there), inside the caller's commit
    /// (the uninstall's receipt).
    static func delete(location: String, _ c: PostgresConnection, _ logger: Logger) async throws {
        try await c.run("DELETE FROM ghl_oauth WHERE location_id = \(location)", logger: logger)
    }
}
