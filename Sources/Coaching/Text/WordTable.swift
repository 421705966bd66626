/// A word's 64-bit FNV-1a key. Tokens carry theirs, computed once by the tokenizer, so every
/// rule table afterwards looks words up by an integer instead of rehashing the string.
/// With a few thousand distinct rule words a 64-bit collision is not a practical concern.
public typealias WordKey = UInt64

extension String {
    @inline(__always) public var wordKey: WordKey {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// An immutable map from words to values: open addressing with linear probing on `WordKey`s.
/// Built once from a dictionary literal; lookups cost a multiply, a shift and a compare or two.
public struct WordMap<Value: Sendable>: Sendable, ExpressibleByDictionaryLiteral {
    private let keys: [WordKey]
    private let values: [Value?]
    private let shift: UInt64
    private let mask: Int

    public init(_ entries: [String: Value]) {
        self.init(keyed: Dictionary(entries.map { ($0.key.wordKey, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Keyed directly by 64-bit keys (the intent model's hashed feature ids).
    public init(keyed entries: [WordKey: Value]) {
        var capacity = 8
        while capacity < entries.count * 2 + 1 { capacity *= 2 }
        var keys = [WordKey](repeating: 0, count: capacity)
        var values = [Value?](repeating: nil, count: capacity)
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        for (key, value) in entries {
            var i = Self.slot(key, shift)
            while values[i] != nil, keys[i] != key { i = (i + 1) & (capacity - 1) }
            keys[i] = key
            values[i] = value
        }
        self.keys = keys
        self.values = values
        self.shift = shift
        self.mask = capacity - 1
    }

    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { a, _ in a }))
    }

    @inline(__always) static func slot(_ key: WordKey, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always) public subscript(key: WordKey) -> Value? {
        var i = Self.slot(key, shift)
        while let v = values[i] {
            if keys[i] == key { return v }
            i = (i + 1) & mask
        }
        return nil
    }

    @inline(__always) public subscript(token: Token) -> Value? { self[token.key] }
    public subscript(word: String) -> Value? { self[word.wordKey] }
}

/// A set of words with the same lookup as `WordMap`.
public struct WordSet: Sendable, ExpressibleByArrayLiteral {
    private let map: WordMap<Bool>

    public init<S: Sequence>(_ words: S) where S.Element == String {
        map = WordMap(Dictionary(words.map { ($0, true) }, uniquingKeysWith: { a, _ in a }))
    }

    public init(arrayLiteral words: String...) { self.init(words) }

    @inline(__always) public func contains(_ key: WordKey) -> Bool { map[key] != nil }
    @inline(__always) public func contains(_ token: Token) -> Bool { map[token.key] != nil }
    public func contains(_ word: String) -> Bool { map[word.wordKey] != nil }
}
