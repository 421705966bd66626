import Crypto
import Foundation
import _CryptoExtras

@testable import LiveHub

extension GHLUserContext {
    /// A payload for `secret`, made the way GHL makes it: CryptoJS's passphrase format.
    static func encrypt(json: Data, secret: String) throws -> String {
        let salt = (0 ..< 8).map { _ in UInt8.random(in: 0 ... 255) }
        let material = bytesToKey(secret: Data(secret.utf8), salt: Data(salt))
        let sealed = try AES._CBC.encrypt(json, using: SymmetricKey(data: material[0 ..< 32]), iv: try AES._CBC.IV(ivBytes: material[32 ..< 48]))
        return (Data("Salted__".utf8) + Data(salt) + sealed).base64EncodedString()
    }
}
