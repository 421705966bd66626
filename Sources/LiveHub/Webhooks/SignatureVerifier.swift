import Crypto
import Foundation
import _CryptoExtras

/// Verifies GHL webhook signatures over the exact raw body.
///
/// `x-ghl-signature` (Ed25519) is checked against every configured key (several during a
/// rotation). Only when that header is absent — a literal `N/A` counts as absent — and an RSA key
/// is configured is the legacy `x-wh-signature` (RSA PKCS#1 v1.5, SHA-256) checked.
struct SignatureVerifier: Sendable {
    enum Scheme: String, Sendable { case ed25519, rsa, dev, unsigned }

    let ed25519Keys: [Curve25519.Signing.PublicKey]
    let rsaKeys: [_RSA.Signing.PublicKey]
    let devKey: Curve25519.Signing.PublicKey?

    /// GHL's published Ed25519 webhook key, the default when none is configured.
    static let ghlPublishedKeyPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=
        -----END PUBLIC KEY-----
        """

    /// The scheme that verified, or nil when the signature is missing or wrong.
    func verify(body: [UInt8], ed25519Header: String?, rsaHeader: String?) -> Scheme? {
        if let header = Self.present(ed25519Header) {
            guard let signature = Data(base64Encoded: header), signature.count == 64 else { return nil }
            if ed25519Keys.contains(where: { $0.isValidSignature(signature, for: body) }) { return .ed25519 }
            if let devKey, devKey.isValidSignature(signature, for: body) { return .dev }
            return nil
        }
        if let header = Self.present(rsaHeader), !rsaKeys.isEmpty {
            guard let bytes = Data(base64Encoded: header) else { return nil }
            let signature = _RSA.Signing.RSASignature(rawRepresentation: bytes)
            // Without `padding:` swift-crypto checks PSS; GHL's legacy signatures are PKCS#1 v1.5.
            if rsaKeys.contains(where: { $0.isValidSignature(signature, for: body, padding: .insecurePKCS1v1_5) }) { return .rsa }
        }
        return nil
    }

    /// Said with a 401: which keys were tried, so an operator can tell a wrong key from a bad body.
    var refusalHint: String {
        var keys = "\(ed25519Keys.count) configured Ed25519 key(s)"
        if devKey != nil { keys += " and the dev key" }
        if !rsaKeys.isEmpty { keys += "; legacy RSA without x-ghl-signature" }
        return "the signature does not verify against \(keys)"
    }

    static func present(_ header: String?) -> String? {
        guard let h = header?.trimmingCharacters(in: .whitespaces), !h.isEmpty, h.uppercased() != "N/A" else { return nil }
        return h
    }

    /// Loads the configured keys; the published GHL key when no Ed25519 key file is configured.
    static func load(_ config: ServerConfiguration) throws -> SignatureVerifier {
        var ed: [Curve25519.Signing.PublicKey] = []
        if config.ghlPublicKeyFiles.isEmpty {
            ed.append(try Curve25519.Signing.PublicKey(pemRepresentation: ghlPublishedKeyPEM))
        }
        for file in config.ghlPublicKeyFiles {
            let pem: String
            do {
                pem = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigurationError("\(file): cannot read it (LIVEHUB_GHL_PUBLIC_KEYS)")
            }
            do {
                ed.append(try Curve25519.Signing.PublicKey(pemRepresentation: pem))
            } catch {
                throw ConfigurationError("\(file): not an Ed25519 public key in PEM (SubjectPublicKeyInfo) form")
            }
        }
        var rsa: [_RSA.Signing.PublicKey] = []
        for file in config.ghlRSAKeyFiles {
            do {
                rsa.append(try _RSA.Signing.PublicKey(pemRepresentation: try String(contentsOfFile: file, encoding: .utf8)))
            } catch {
                throw ConfigurationError("\(file): not an RSA public key in PEM form (\(error))")
            }
        }
        var dev: Curve25519.Signing.PublicKey?
        if config.trustDevWebhookKey {
            dev = try DevWebhookKey.loadOrCreate(in: config.dataURL).publicKey
        }
        return SignatureVerifier(ed25519Keys: ed, rsaKeys: rsa, devKey: dev)
    }
}

/// The locally generated key `livehub webhook send` signs with, trusted by `serve` only when
/// told to (`--trust-dev-webhook-key`).
package enum DevWebhookKey {
    package static func loadOrCreate(in directory: URL) throws -> Curve25519.Signing.PrivateKey {
        let url = directory.appendingPathComponent("dev-webhook-key.pem")
        if let pem = try? String(contentsOf: url, encoding: .utf8), let key = try? Curve25519.Signing.PrivateKey(pemRepresentation: pem) { return key }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        try SecretFile.write(key.pemRepresentation, to: url)
        try Data(key.publicKey.pemRepresentation.utf8).write(to: directory.appendingPathComponent("dev-webhook-key.pub.pem"))
        return key
    }
}
