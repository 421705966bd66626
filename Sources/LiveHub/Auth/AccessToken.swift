import Foundation
import JWTKit

/// The claims of an agent, supervisor or admin token.
public struct AccessToken: JWTPayload, Equatable {
    public enum Role: String, Codable, Sendable, CaseIterable { case agent, supervisor, admin }

    /// GHL user id.
    public var sub: SubjectClaim
    public var role: Role
    /// Location ids the holder may see; `*` means every location.
    public var locations: [String]
    public var exp: ExpirationClaim

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    public var userId: String { sub.value }

    /// A token expiring `seconds` from now, on a whole second (jwt-kit drops fractions on a round trip).
    public static func make(user: String, role: Role, locations: [String], lifetime seconds: Double) -> AccessToken {
        let exp = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded(.down))
        return AccessToken(sub: .init(value: user), role: role, locations: locations, exp: .init(value: exp))
    }

    public func canSee(location: String) -> Bool { locations.contains("*") || locations.contains(location) }
    public var isSupervisor: Bool { role == .supervisor || role == .admin }
}
