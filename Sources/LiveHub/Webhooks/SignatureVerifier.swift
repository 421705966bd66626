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

    /// GHL's published Ed25519 webhook key (raw 32 bytes), the default when none is configured.
    static let ghlPublishedKeyHex = "8b61d1d6cacbe28d7c3bc0516bb815258ec6edbba96cddc7f40c09ac708388e8"

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

    static func present(_ header: String?) -> String? {
        guard let h = header?.trimmingCharacters(in: .whitespaces), !h.isEmpty, h.uppercased() != "N/A" else { return nil }
        return h
    }

    /// Loads the configured keys; the published GHL key when no Ed25519 key file is configured.
    static func load(_ config: ServerConfiguration) throws -> SignatureVerifier {
        var ed: [Curve25519.Signing.PublicKey] = []
        if config.ghlPublicKeyFiles.isEmpty {
            ed.append(try Curve25519.Signing.PublicKey(rawRepresentation: Self.hex(ghlPublishedKeyHex)))
        }
        for file in config.ghlPublicKeyFiles {
            ed.append(try Ed25519PEM.publicKey(pem: try String(contentsOfFile: file, encoding: .utf8), source: file))
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

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(s.utf8)[...]
        while chars.count >= 2, let b = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) {
            out.append(b)
            chars = chars.dropFirst(2)
        }
        return out
    }
}

/// Ed25519 keys in PEM (SubjectPublicKeyInfo / PKCS#8). swift-crypto has no PEM initialiser for
/// them: the DER is a fixed prefix followed by the 32 raw key bytes.
enum Ed25519PEM {
    static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
    static let privatePrefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

    static func der(_ pem: String) -> [UInt8]? {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body).map(Array.init)
    }

    static func publicKey(pem: String, source: String) throws -> Curve25519.Signing.PublicKey {
        guard let der = der(pem), der.count == 44, Array(der.prefix(12)) == publicPrefix else {
            throw ConfigurationError("\(source): not an Ed25519 public key in PEM (SubjectPublicKeyInfo) form")
        }
        return try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
    }

    static func pem(public key: Curve25519.Signing.PublicKey) -> String {
        wrap(publicPrefix + Array(key.rawRepresentation), label: "PUBLIC KEY")
    }

    static func pem(private key: Curve25519.Signing.PrivateKey) -> String {
        wrap(privatePrefix + Array(key.rawRepresentation), label: "PRIVATE KEY")
    }

    static func privateKey(pem: String) -> Curve25519.Signing.PrivateKey? {
        guard let der = der(pem), der.count == 48, Array(der.prefix(16)) == privatePrefix else { return nil }
        return try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
    }

    static func wrap(_ der: [UInt8], label: String) -> String {
        "-----BEGIN \(label)-----\n\(Data(der).base64EncodedString())\n-----END \(label)-----\n"
    }
}

/// The locally generated key `livehub webhook send` signs with, trusted by `serve` only when
/// told to (`--trust-dev-webhook-key`).
enum DevWebhookKey {
    static func loadOrCreate(in directory: URL) throws -> Curve25519.Signing.PrivateKey {
        let url = directory.appendingPathComponent("dev-webhook-key.pem")
        if let pem = try? String(contentsOf: url, encoding: .utf8), let key = Ed25519PEM.privateKey(pem: pem) { return key }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        try SecretFile.write(Ed25519PEM.pem(private: key), to: url)
        try Data(Ed25519PEM.pem(public: key.publicKey).utf8).write(to: directory.appendingPathComponent("dev-webhook-key.pub.pem"))
        return key
    }
}
