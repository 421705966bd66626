import Foundation
import Logging

/// Access tokens for locations that authorized LiveHub through OAuth.
///
/// GHL's refresh tokens are single-use: every refresh returns a new one and kills the old. So
/// refreshes are single-flight per location (concurrent senders share one refresh — two would
/// race and the loser would lock the location out), and a new grant is stored durably before
/// its access token is handed out. Tokens are refreshed a few minutes before they expire, and
/// on a 401.
actor OAuthCredentials: GHLCredentialSource {
    let endpoint: OAuthTokenEndpoint
    let store: any CredentialStore
    let now: @Sendable () -> Date
    let logger: Logger
    private var grants: [String: OAuthGrant] = [:]
    /// Locations whose grant in memory is newer than the stored one (a failed write).
    private var unsaved: Set<String> = []
    private var refreshing: [String: Task<OAuthGrant, any Error>] = [:]

    init(endpoint: OAuthTokenEndpoint, store: any CredentialStore, now: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.endpoint = endpoint
        self.store = store
        self.now = now
        self.logger = logger
    }

    func token(for location: String) async throws -> String? {
        guard let grant = try await usable(location) else { return nil }
        if grant.needsRefresh(now: now()) { return try await refreshed(location).accessToken }
        return grant.accessToken
    }

    func refresh(for location: String, rejected: String) async throws -> String? {
        guard let grant = try await usable(location) else { return nil }
        // Another sender already replaced the token GHL refused: use the new one.
        if grant.accessToken != rejected { return grant.accessToken }
        return try await refreshed(location).accessToken
    }

    /// Exchanges an authorization code (the app's redirect after install) for a location grant
    /// and stores it. Returns the location it is for.
    func authorize(code: String) async throws(OAuthError) -> String {
        let response = try await endpoint.exchange(code: code)
        guard let location = response.locationId, !location.isEmpty, response.userType != "Company" else { throw .notALocation }
        try await adopt(makeGrant(response, location: location, companyId: response.companyId))
        logger.notice("GHL authorized LiveHub", metadata: ["location": .string(location)])
        return location
    }

    /// Drops a location's grant from memory (the app was uninstalled; the row is deleted with
    /// the uninstall's receipt).
    func forget(_ location: String) {
        grants[location] = nil
        unsaved.remove(location)
    }

    /// The location's grant, written first if a previous write failed; nil without one.
    private func usable(_ location: String) async throws -> OAuthGrant? {
        if grants[location] == nil, let stored = try await store.grant(location: location) { grants[location] = stored }
        guard let grant = grants[location] else { return nil }
        if unsaved.contains(location) { try await persist(grant) }
        if grant.revoked { throw OAuthError.invalidGrant("authorization revoked") }
        return grant
    }

    /// One refresh per location at a time; callers arriving meanwhile share its result.
    private func refreshed(_ location: String) async throws -> OAuthGrant {
        if let running = refreshing[location] { return try await running.value }
        let task = Task { try await self.performRefresh(location) }
        refreshing[location] = task
        defer { refreshing[location] = nil }
        return try await task.value
    }

    /// Refreshes under the store's lock for the location, so that across a cluster one node
    /// refreshes and the others use its result: a node that waited finds a newer grant stored.
    private func performRefresh(_ location: String) async throws -> OAuthGrant {
        guard let old = grants[location] else { throw OAuthError.invalidGrant("no grant") }
        return try await store.withRefreshLock(location: location) {
            if let stored = try await self.store.grant(location: location), stored.refreshToken != old.refreshToken, !stored.revoked {
                await self.adoptStored(stored)
                return stored
            }
            return try await self.exchange(old, location: location)
        }
    }

    /// Takes a grant another node stored (it refreshed first).
    private func adoptStored(_ grant: OAuthGrant) {
        grants[grant.locationId] = grant
        unsaved.remove(grant.locationId)
    }

    private func exchange(_ old: OAuthGrant, location: String) async throws -> OAuthGrant {
        let response: OAuthTokenResponse
        do {
            response = try await endpoint.refresh(old.refreshToken)
        } catch {
            if case .invalidGrant = error { await revoke(old) }
            throw error
        }
        // From here the old refresh token is dead: the new grant lives in memory until stored,
        // and nothing uses it before it is.
        let grant = makeGrant(response, location: location, companyId: response.companyId ?? old.companyId)
        try await adopt(grant)
        logger.info("GHL access token refreshed", metadata: ["location": .string(location), "expires": .string(grant.expiresAt.ISO8601Format())])
        return grant
    }

    /// GHL refused the refresh token: remember it, so nothing is sent until the location
    /// authorizes LiveHub again (retrying a dead token only spends requests).
    private func revoke(_ grant: OAuthGrant) async {
        var revoked = grant
        revoked.revoked = true
        grants[grant.locationId] = revoked
        try? await store.save(revoked)
        logger.error("GHL refused the refresh token; the location must authorize LiveHub again", metadata: ["location": .string(grant.locationId)])
    }

    /// Makes `grant` the location's, in memory at once and then durably.
    private func adopt(_ grant: OAuthGrant) async throws(OAuthError) {
        grants[grant.locationId] = grant
        unsaved.insert(grant.locationId)
        try await persist(grant)
    }

    private func persist(_ grant: OAuthGrant) async throws(OAuthError) {
        do {
            try await store.save(grant)
            if grants[grant.locationId] == grant { unsaved.remove(grant.locationId) }
        } catch {
            logger.critical(
                "could not store GHL's new refresh token; it is held in memory and written again before use — a restart now locks the location out",
                metadata: ["location": .string(grant.locationId)])
            throw .notPersisted
        }
    }

    private func makeGrant(_ r: OAuthTokenResponse, location: String, companyId: String?) -> OAuthGrant {
        OAuthGrant(
            locationId: location, companyId: companyId, accessToken: r.access_token, refreshToken: r.refresh_token,
            expiresAt: now().addingTimeInterval(r.expires_in ?? 86_399), scope: r.scope)
    }
}
