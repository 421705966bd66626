import Crypto
import Foundation
import _CryptoExtras

/// Who opened LiveHub inside GHL: the user context a Custom Page gets from its parent window
/// (`REQUEST_USER_DATA`), once decrypted with the marketplace app's Shared Secret.
package struct GHLUserContext: Decodable, Sendable, Equatable {
    package var userId: String
    package var companyId: String?
    /// GHL's role: `admin` or `user`.
    package var role: String?
    /// `location` (a sub-account) or `agency`.
    package var type: String?
    package var activeLocation: String?
    package var userName: String?
    package var email: String?

    /// Why a payload was refused.
    package enum Failure: Error, Equatable {
        /// Not base64, not OpenSSL's `Salted__` format, or cut short.
        case malformed
        /// Wrong secret or tampered: the padding or the JSON does not come out.
        case rejected
    }

    /// Decrypts GHL's payload: CryptoJS's passphrase mode, which is OpenSSL's `enc` format —
    /// base64 of `Salted__` ‖ salt (8 bytes) ‖ AES-256-CBC ciphertext, with the key and IV from
    /// `EVP_BytesToKey` (MD5, one iteration) over the secret and the salt.
    package static func decrypt(_ payload: String, secret: String) throws(Failure) -> GHLUserContext {
        guard payload.utf8.count <= 64 * 1024,
            let raw = Data(base64Encoded: payload.trimmingCharacters(in: .whitespacesAndNewlines)),
            raw.count >= 32, (raw.count - 16) % 16 == 0, raw.prefix(8).elementsEqual("Salted__".utf8)
        else { throw .malformed }
        let salt = raw[raw.startIndex + 8 ..< raw.startIndex + 16]
        let material = bytesToKey(secret: Data(secret.utf8), salt: salt)
        let plain: Data
        do {
            let iv = try AES._CBC.IV(ivBytes: material[32 ..< 48])
            plain = try AES._CBC.decrypt(raw[(raw.startIndex + 16)...], using: SymmetricKey(data: material[0 ..< 32]), iv: iv)
        } catch {
            throw .rejected
        }
        guard let context = try? JSONDecoder().decode(GHLUserContext.self, from: plain), !context.userId.isEmpty else { throw .rejected }
        return context
    }

    /// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration: 48 bytes, the key then the IV.
    static func bytesToKey(secret: Data, salt: Data) -> [UInt8] {
        var out: [UInt8] = []
        var previous: [UInt8] = []
        while out.count < 48 {
            var md5 = Insecure.MD5()
            md5.update(data: previous)
            md5.update(data: secret)
            md5.update(data: salt)
            previous = Array(md5.finalize())
            out += previous
        }
        return Array(out.prefix(48))
    }
}
