import Foundation

/// One location's OAuth grant from GHL: a day-long access token and the single-use refresh
/// token that replaces it. Both are secrets; `description` never shows them.
package struct OAuthGrant: Sendable, Equatable, CustomStringConvertible {
    package var locationId: String
    package var companyId: String?
    package var accessToken: String
    package var refreshToken: String
    package var expiresAt: Date
    package var scope: String?
    /// Set when GHL refused the refresh token (`invalid_grant`): the location must authorize
    /// the app again; until then nothing is sent for it.
    package var revoked = false

    package init(locationId: String, companyId: String?, accessToken: String, refreshToken: String, expiresAt: Date, scope: String?, revoked: Bool = false) {
        self.locationId = locationId
        self.companyId = companyId
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
        self.revoked = revoked
    }

    package var description: String { "OAuthGrant(location: \(locationId), expires: \(expiresAt.ISO8601Format()), revoked: \(revoked))" }

    /// True when the access token should be replaced before use. Refreshing a few minutes early
    /// keeps a send from starting with a token that dies in flight.
    func needsRefresh(now: Date, margin: TimeInterval = 300) -> Bool { expiresAt.timeIntervalSince(now) < margin }
}

/// `POST /oauth/token`'s answer: `{access_token, token_type, expires_in, refresh_token, scope,
/// userType, locationId, companyId}`.
struct OAuthTokenResponse: Decodable, Sendable {
    var access_token: String
    var token_type: String?
    var expires_in: Double?
    var refresh_token: String
    var scope: String?
    var userType: String?
    var locationId: String?
    var companyId: String?
}

/// Why GHL's token endpoint gave no grant.
enum OAuthError: Error, Equatable, CustomStringConvertible {
    /// The code or refresh token is invalid, expired or already used: only a new authorization helps.
    case invalidGrant(String)
    /// The token answer was for a company (agency), not a location; LiveHub sends per location.
    case notALocation
    /// GHL answered something else (bad client credentials, 5xx): trying later may help.
    case refused(status: Int, message: String)
    /// No usable answer (connection, timeout, unreadable body).
    case unavailable(String)
    /// The new grant could not be written; it is kept in memory and written again before use.
    case notPersisted

    var description: String {
        switch self {
        case .invalidGrant(let m): return "GHL refused the grant (\(m)); the location must authorize LiveHub again"
        case .notALocation: return "the authorization was for a company, not a location; install the app on a location"
        case .refused(let s, let m): return "GHL's token endpoint answered \(s): \(m)"
        case .unavailable(let m): return "GHL's token endpoint could not be reached: \(m)"
        case .notPersisted: return "the refreshed grant could not be stored"
        }
    }
}
