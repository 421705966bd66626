/// Splits folded text into tokens with sentence indices.
///
/// One pass over the UTF-8 bytes, ASCII on the fast path; no regular expressions. Numbers keep
/// their inner separators so that extractors can tell "450,000" from "5:30" from "555-123-4567".
public enum Tokenizer {
    public static func tokenize(_ text: MessageText) -> [Token] {
        tokenize(folded: text.folded)
    }

    public static func tokenize(folded: String) -> [Token] {
        var text = folded
        return text.withUTF8 { tokenize(bytes: $0) }
    }

    static func tokenize(bytes b: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(b.count / 4 + 1)
        var sentence = 0
        var i = 0
        var attached = false
        func make(_ start: Int, _ end: Int, _ kind: Token.Kind) -> Token {
            Token(text: String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self), kind: kind, sentence: sentence, attached: attached)
        }
        while i < b.count {
            let c = b[i]
            if c == 0x20 {
                attached = false
                i += 1
                continue
            }
            if isSentenceEnd(c) {
                // "3.2" and "555.123" never reach here: digits absorb their inner dots.
                tokens.append(make(i, i + 1, .symbol))
                while i + 1 < b.count, isSentenceEnd(b[i + 1]) || b[i + 1] == 0x20 { i += 1 }
                sentence += 1
                attached = false
                i += 1
                continue
            }
            if let end = emailEnd(b, from: i) {
                tokens.append(make(i, end, .email))
                i = end
                attached = true
                continue
            }
            if isDigit(c) {
                var j = i + 1
                while j < b.count {
                    if isDigit(b[j]) {
                        j += 1
                    } else if isNumberJoiner(b[j]), j + 1 < b.count, isDigit(b[j + 1]) {
                        j += 2
                    } else {
                        break
                    }
                }
                tokens.append(make(i, j, .number))
                i = j
                attached = true
                continue
            }
            if let first = letterLength(b, at: i) {
                var j = i + first
                while j < b.count {
                    if let n = letterLength(b, at: j) {
                        j += n
                    } else if b[j] == 0x27 || b[j] == 0x2D, j + 1 < b.count, let n = letterLength(b, at: j + 1) {
                        j += 1 + n
                    } else {
                        break
                    }
                }
                tokens.append(make(i, j, .word))
                i = j
                attached = true
                continue
            }
            if c < 0x80 {
                tokens.append(make(i, i + 1, .symbol))
                i += 1
            } else {
                let (scalar, length) = decode(b, at: i)
                if isEmoji(scalar) {
                    tokens.append(make(i, i + length, .emoji))
                } else if scalar.value != 0xFE0F, !scalar.properties.isJoinControl, !(0x1F3FB...0x1F3FF).contains(scalar.value) {
                    // Variation selectors and skin-tone modifiers carry no meaning for analysis.
                    tokens.append(make(i, i + length, .symbol))
                }
                i += length
            }
            attached = true
        }
        return tokens
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isASCIILetter(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    @inline(__always) static func isNumberJoiner(_ c: UInt8) -> Bool { c == 0x2C || c == 0x2E || c == 0x3A || c == 0x2D }
    @inline(__always) static func isSentenceEnd(_ c: UInt8) -> Bool { c == 0x2E || c == 0x21 || c == 0x3F || c == 0x3B || c == 0x0A }

    /// Byte length of the letter starting at `i`, or nil when no letter starts there.
    @inline(__always) static func letterLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let c = b[i]
        if c < 0x80 { return isASCIILetter(c) ? 1 : nil }
        let (scalar, length) = decode(b, at: i)
        return scalar.properties.isAlphabetic ? length : nil
    }

    static func isEmoji(_ s: Unicode.Scalar) -> Bool {
        s.properties.isEmojiPresentation || (s.value >= 0x2600 && s.value <= 0x27BF) || (s.properties.isEmoji && s.value > 0xFF)
    }

    /// Decodes the scalar at `i` of valid UTF-8 (the folded text is a Swift String, so it is valid).
    @inline(__always) static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let c = UInt32(b[i])
        let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1
        guard i + length <= b.count, length > 1 else { return (Unicode.Scalar(UInt8(c)), 1) }
        var v = c & (0xFF >> UInt32(length + 1))
        for k in 1..<length { v = (v << 6) | (UInt32(b[i + k]) & 0x3F) }
        return (Unicode.Scalar(v) ?? "\u{FFFD}", length)
    }

    /// Recognises `local@domain.tld` starting at `start`; returns the end index.
    static func emailEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        @inline(__always) func isAlnum(_ c: UInt8) -> Bool { isASCIILetter(c) || isDigit(c) }
        @inline(__always) func isLocal(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x2B || c == 0x2D || c == 0x25 }
        guard isAlnum(s[start]) else { return nil }
        var j = start
        while j < s.count, isLocal(s[j]) { j += 1 }
        guard j < s.count, s[j] == 0x40, j > start else { return nil }
        var k = j + 1
        while k < s.count, isAlnum(s[k]) || s[k] == 0x2D || s[k] == 0x2E { k += 1 }
        // Trailing dots end the sentence, not the address.
        while k > j + 1, s[k - 1] == 0x2E { k -= 1 }
        var lastDot = -1
        for m in (j + 1)..<k where s[m] == 0x2E { lastDot = m }
        guard lastDot > j + 1, k - lastDot > 2 else { return nil }
        return k
    }
}
