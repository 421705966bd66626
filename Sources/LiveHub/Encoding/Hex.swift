import Crypto
import Foundation

/// Lower-case hexadecimal, as secrets, digests and MACs are written in headers and settings.
package enum Hex {
    package static func string(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 digest of `bytes`, in hex.
    package static func sha256(_ bytes: [UInt8]) -> String {
        string(SHA256.hash(data: bytes))
    }
}
