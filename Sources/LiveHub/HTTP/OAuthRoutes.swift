import Foundation
import Hummingbird
import Logging

/// `GET /oauth/callback?code=…`: the marketplace app's redirect URL. GHL sends the installing
/// user's browser here with a one-time code, which is exchanged for the location's grant.
struct OAuthRoutes: Sendable {
    let oauth: OAuthCredentials?
    let logger: Logger

    struct Authorized: ResponseEncodable {
        let status = "authorized"
        let locationId: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/oauth/callback") { request, _ in
            guard let oauth else { throw APIError(.notFound, "oauth_not_configured", "set LIVEHUB_GHL_CLIENT_ID and LIVEHUB_GHL_CLIENT_SECRET") }
            if let denied = request.uri.queryParameters.get("error") { throw APIError.badRequest("authorization_denied", denied) }
            guard let code = request.uri.queryParameters.get("code"), !code.isEmpty, code.utf8.count <= 4096 else {
                throw APIError.badRequest("missing_code", "the redirect carries no ?code=")
            }
            do throws(OAuthError) {
                return Authorized(locationId: try await oauth.authorize(code: code))
            } catch {
                logger.warning("OAuth code exchange failed", metadata: ["reason": .string(error.description)])
                switch error {
                case .invalidGrant: throw APIError.badRequest("invalid_code", "the code is invalid, expired or already used; install the app again")
                case .notALocation: throw APIError(.unprocessableContent, "not_a_location", error.description)
                case .notPersisted: throw APIError(.serviceUnavailable, "not_stored", error.description)
                case .refused, .unavailable: throw APIError(.badGateway, "oauth_exchange_failed", error.description)
                }
            }
        }
    }
}
