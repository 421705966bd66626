import Crypto
import Foundation
import Hummingbird
import JWTKit

/// Signs and verifies access tokens: HS256 with the server secret, and optionally EdDSA with a
/// configured public key (for tokens minted by another system).
package struct TokenAuthority: Sendable {
    let keys: JWTKeyCollection
    let canSign: Bool
    /// Login links are signed with a key derived from the secret, so a link is never an access
    /// token and an access token is never a link.
    let ticketKeys: JWTKeyCollection

    /// Builds the authority from configuration, generating `<data>/jwt-secret` (mode 0600) on
    /// first start when no secret is configured. `generated` tells the caller to print a token.
    package static func load(_ config: ServerConfiguration) async throws -> (TokenAuthority, generated: Bool) {
        let (secret, generated) = try secret(config)
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        if let file = config.jwtEdDSAPublicKeyFile {
            let pem = try String(contentsOfFile: file, encoding: .utf8)
            await keys.add(eddsa: try EdDSA.PublicKey(pem: pem), kid: "eddsa")
        }
        let ticketKeys = JWTKeyCollection()
        await ticketKeys.add(hmac: HMACKey(from: LoginTicket.derivedSecret(secret)), digestAlgorithm: .sha256)
        return (TokenAuthority(keys: keys, canSign: true, ticketKeys: ticketKeys), generated)
    }

    static func secret(_ config: ServerConfiguration) throws -> (String, Bool) {
        if let configured = config.jwtSecret {
            // jwt-kit traps on HS256 keys under 32 bytes in debug builds: refuse them clearly instead.
            guard configured.utf8.count >= 32 else { throw ConfigurationError("LIVEHUB_JWT_SECRET must be at least 32 bytes") }
            return (configured, false)
        }
        let url = config.dataURL.appendingPathComponent("jwt-secret")
        if let existing = try? String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), existing.utf8.count >= 32 {
            return (existing, false)
        }
        try FileManager.default.createDirectory(at: config.dataURL, withIntermediateDirectories: true)
        let fresh = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
        try SecretFile.write(fresh, to: url)
        return (fresh, true)
    }

    package func sign(_ token: AccessToken) async throws -> String {
        try await keys.sign(token)
    }

    /// The caller's verified claims from `Authorization: Bearer …`, or (WebSocket upgrades from
    /// browsers, which cannot set headers) from `?access_token=`.
    func authenticate(_ request: Request, allowQuery: Bool = false) async -> AccessToken? {
        await authenticate(authorization: request.headers[.authorization], query: allowQuery ? request.uri.queryParameters["access_token"].map(String.init) : nil)
    }

    /// The verified claims from an `Authorization: Bearer …` value, else from a query token.
    func authenticate(authorization: String?, query: String?) async -> AccessToken? {
        var raw: String?
        if let header = authorization, header.lowercased().hasPrefix("bearer ") {
            raw = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else {
            raw = query
        }
        guard let raw, !raw.isEmpty else { return nil }
        return await verify(raw)
    }

    /// The verified claims, or nil for a missing, malformed, badly signed or expired token.
    package func verify(_ raw: String) async -> AccessToken? {
        try? await keys.verify(raw, as: AccessToken.self, iteratingKeys: true)
    }
}

/// Writes secrets readable by the owner only.
enum SecretFile {
    static func write(_ contents: String, to url: URL) throws {
        let path = url.path
        // Created empty with 0600 first, so the secret never sits in a file others can read.
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("cannot create \(path)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try Data(contents.utf8).write(to: url)
    }
}
