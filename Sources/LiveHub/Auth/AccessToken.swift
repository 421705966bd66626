import Foundation
import JWTKit

/// The claims of an agent, supervisor or admin token.
package struct AccessToken: JWTPayload, Equatable {
    package enum Role: String, Codable, Sendable, CaseIterable { case agent, supervisor, admin }

    /// GHL user id.
    package var sub: SubjectClaim
    package var role: Role
    /// Location ids the holder may see; `*` means every location.
    package var locations: [String]
    package var exp: ExpirationClaim
    /// When the browser session began (a console sign-in, epoch seconds): a session token is
    /// refreshed only within the session's maximum age. Absent on other tokens, which are
    /// never refreshed.
    package var authTime: Double?

    enum CodingKeys: String, CodingKey {
        case sub, role, locations, exp
        case authTime = "auth_time"
    }

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    package var userId: String { sub.value }

    /// A token expiring `seconds` from now, on a whole second (jwt-kit drops fractions on a round trip).
    package static func make(user: String, role: Role, locations: [String], lifetime seconds: Double, authTime: Double? = nil) -> AccessToken {
        let exp = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded(.down))
        return AccessToken(sub: .init(value: user), role: role, locations: locations, exp: .init(value: exp), authTime: authTime)
    }

    package func canSee(location: String) -> Bool { locations.contains("*") || locations.contains(location) }
    package var isSupervisor: Bool { role == .supervisor || role == .admin }
}
