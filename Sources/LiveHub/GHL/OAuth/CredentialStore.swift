/// OAuth grants per location. A refresh token is single-use, so `save` must be durable before
/// it returns: the new grant is stored before its access token is used.
package protocol CredentialStore: Sendable {
    func grant(location: String) async throws -> OAuthGrant?
    func save(_ grant: OAuthGrant) async throws
    /// Runs `body` while no other node refreshes the location's token: two refreshes of one
    /// single-use refresh token would lock the location out. One node alone needs no lock (its
    /// refreshes are single-flight in memory); a shared store locks across nodes.
    func withRefreshLock<T: Sendable>(location: String, _ body: @Sendable () async throws -> T) async throws -> T
}

extension CredentialStore {
    package func withRefreshLock<T: Sendable>(location: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await body()
    }
}
