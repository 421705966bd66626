import Crypto
import Foundation
import JWTKit

/// A one-time login link's claims (`livehub login-link`): who signs in, for a few minutes, once.
/// The page exchanges it for an access token at `POST /v1/login`; the ledger remembers its `jti`.
package struct LoginTicket: JWTPayload, Equatable {
    package var sub: SubjectClaim
    package var role: AccessToken.Role
    package var locations: [String]
    package var exp: ExpirationClaim
    /// The ticket's id: what makes it single use.
    package var jti: IDClaim

    /// Expiry is checked by the exchange, which tells an expired link from a forged one.
    package func verify(using algorithm: some JWTAlgorithm) async throws {}

    package static func make(user: String, role: AccessToken.Role, locations: [String], lifetime seconds: Double) -> LoginTicket {
        let exp = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded(.down))
        let id = Data(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return LoginTicket(sub: .init(value: user), role: role, locations: locations, exp: .init(value: exp), jti: .init(value: id))
    }

    /// HMAC-SHA256 of a fixed label under the server secret, base64.
    static func derivedSecret(_ secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("livehub login link v1".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }
}

extension TokenAuthority {
    package func sign(_ ticket: LoginTicket) async throws -> String {
        try await ticketKeys.sign(ticket)
    }

    /// The ticket's claims when its signature holds (expired or not), else nil.
    package func verifyTicket(_ raw: String) async -> LoginTicket? {
        guard raw.utf8.count <= 4096 else { return nil }
        return try? await ticketKeys.verify(raw, as: LoginTicket.self)
    }
}
