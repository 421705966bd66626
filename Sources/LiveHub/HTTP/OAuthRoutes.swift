import Foundation
import Hummingbird
import Logging

/// `GET /oauth/callback?code=…`: the marketplace app's redirect URL. GHL sends the installing
/// user's browser here with a one-time code, which is exchanged for the location's grant.
struct OAuthRoutes: Sendable {
    let oauth: OAuthCredentials?
    let logger: Logger

    func register(on router: Router<AppContext>) {
        router.get("/oauth/callback") { request, _ in
            guard let oauth else { return JSONResponse.error(.notFound, "oauth_not_configured", "set LIVEHUB_GHL_CLIENT_ID and LIVEHUB_GHL_CLIENT_SECRET") }
            if let denied = request.uri.queryParameters.get("error") {
                return JSONResponse.error(.badRequest, "authorization_denied", denied)
            }
            guard let code = request.uri.queryParameters.get("code"), !code.isEmpty, code.utf8.count <= 4096 else {
                return JSONResponse.error(.badRequest, "missing_code", "the redirect carries no ?code=")
            }
            do throws(OAuthError) {
                let location = try await oauth.authorize(code: code)
                return JSONResponse.make(.ok, ["status": .string("authorized"), "locationId": .string(location)])
            } catch {
                logger.warning("OAuth code exchange failed", metadata: ["reason": .string(error.description)])
                switch error {
                case .invalidGrant: return JSONResponse.error(.badRequest, "invalid_code", "the code is invalid, expired or already used; install the app again")
                case .notALocation: return JSONResponse.error(.unprocessableContent, "not_a_location", error.description)
                case .notPersisted: return JSONResponse.error(.serviceUnavailable, "not_stored", error.description)
                case .refused, .unavailable: return JSONResponse.error(.badGateway, "oauth_exchange_failed", error.description)
                }
            }
        }
    }
}
