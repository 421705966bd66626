/// 64-bit FNV-1a hashing of feature names, computed without building the name.
///
/// The intent model keys its weights by these hashes, so feature extraction at inference
/// allocates nothing per feature; the names are built only when training writes the model file.
public struct FeatureHash: Sendable {
    public private(set) var value: UInt64

    @inline(__always) public init(namespace: StaticString) {
        value = 0xcbf2_9ce4_8422_2325
        namespace.withUTF8Buffer { for b in $0 { mix(b) } }
        mix(0x3A)  // ":"
    }

    @inline(__always) public mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    @inline(__always) public mutating func mix(_ text: String) {
        for b in text.utf8 { mix(b) }
    }

    /// The hash of "namespace:text" — equal to hashing the full name in one go.
    public static func of(_ namespace: StaticString, _ text: String) -> UInt64 {
        var h = FeatureHash(namespace: namespace)
        h.mix(text)
        return h.value
    }

    /// Hashes a full feature name as written in the model file ("w:offer").
    public static func of(name: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return value
    }
}
