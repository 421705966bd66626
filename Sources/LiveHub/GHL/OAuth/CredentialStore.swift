/// OAuth grants per location. A refresh token is single-use, so `save` must be durable before
/// it returns: the new grant is stored before its access token is used.
package protocol CredentialStore: Sendable {
    func grant(location: String) async throws -> OAuthGrant?
    func save(_ grant: OAuthGrant) async throws
}
