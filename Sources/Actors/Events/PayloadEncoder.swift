import Foundation

/// Encodes payloads the same way everywhere: sorted keys, so stored bytes are stable.
public enum PayloadEncoder {
    /// JSONEncoder is Sendable and its options never change after this point: one is shared
    /// (the HTTP API encodes its answers with it too).
    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Throws when the value has no JSON form (a NaN or an infinity): a payload is never
    /// silently replaced by something else.
    public static func encode(_ value: some Encodable) throws -> Data {
        do {
            return try CompactJSONEncoder.encode(value)
        } catch is CompactJSONEncoder.Unsupported {
            return try encoder.encode(value)
        }
    }
}
