/// A message prepared for analysis: valid Unicode, folded for matching, bounded in size.
///
/// Folding lower-cases, strips diacritics ("envíen" → "envien"), turns typographic quotes
/// into ASCII and collapses runs of whitespace, so every later stage compares plain text.
public struct MessageText: Sendable, Hashable {
    /// Messages longer than this are analysed on their first `headLimit` and last `tailLimit`
    /// characters: SMS bodies are at most 1,600 characters, and a 100 KB paste must stay cheap
    /// while an opt-out keyword at its very end still counts.
    public static let headLimit = 4_000
    public static let tailLimit = 1_000

    /// The text as received (after invalid UTF-8 was replaced).
    public let original: String
    /// The folded text every extractor and classifier reads.
    public let folded: String
    /// Folded forms of words of three or more letters written in capitals inside a message that
    /// also has lower-case letters ("not interested. STOP" → ["stop"]): shouting, and the way
    /// carrier keywords are usually typed.
    public let shouted: Set<String>

    public init(_ text: String) {
        original = text
        let bounded = Self.bounded(text)
        folded = Self.fold(bounded)
        shouted = Self.shoutedWords(bounded)
    }

    /// Decodes raw bytes, replacing invalid UTF-8 sequences with U+FFFD.
    public init(bytes: some Collection<UInt8>) {
        self.init(String(decoding: bytes, as: UTF8.self))
    }

    static func bounded(_ text: String) -> Substring {
        // utf8.count is O(1) and bounds the character count from above.
        guard text.utf8.count > headLimit + tailLimit, text.count > headLimit + tailLimit else {
            return text[...]
        }
        let head = text.prefix(headLimit)
        let tail = text.suffix(tailLimit)
        return Substring(String(head) + "\n" + String(tail))
    }

    static func shoutedWords(_ text: Substring) -> Set<String> {
        var result = Set<String>()
        var hasLower = false
        var word = String.UnicodeScalarView()
        var allUpper = true
        func flush() {
            if word.count >= 3, allUpper { result.insert(fold(Substring(String(word)))) }
            word = String.UnicodeScalarView()
            allUpper = true
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            // ASCII first: Unicode property look-ups are the slow path and most SMS text is ASCII.
            let isUpper: Bool
            let isLetter: Bool
            if v < 0x80 {
                isUpper = v >= 0x41 && v <= 0x5A
                let isLower = v >= 0x61 && v <= 0x7A
                if isLower { hasLower = true }
                isLetter = isUpper || isLower
            } else {
                let p = scalar.properties
                if p.isLowercase { hasLower = true }
                isLetter = p.isAlphabetic
                isUpper = p.isUppercase
            }
            if isLetter {
                if word.isEmpty || allUpper { word.append(scalar) }
                if !isUpper { allUpper = false }
            } else if !word.isEmpty {
                flush()
            }
        }
        flush()
        return hasLower ? result : []
    }

    static func fold(_ text: Substring) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        func emit(_ mapped: Unicode.Scalar) {
            if mapped == " " {
                if !lastWasSpace { out.append(0x20) }
                lastWasSpace = true
            } else if mapped == "\n" {
                // Line breaks end sentences in SMS ("Ok\nSTOP"), so they are kept.
                if out.last == 0x20 { out.removeLast() }
                if out.last != 0x0A { out.append(0x0A) }
                lastWasSpace = true
            } else {
                if mapped.isASCII {
                    out.append(UInt8(mapped.value))
                } else {
                    out.append(contentsOf: UTF8.encode(mapped).map { Array($0) } ?? [])
                }
                lastWasSpace = false
            }
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            // ASCII letters, digits and punctuation map to themselves (upper case lowered).
            if v >= 0x21, v < 0x7F, v != 0x60 {
                out.append(UInt8(v >= 0x41 && v <= 0x5A ? v + 32 : v))
                lastWasSpace = false
            } else if let mapped = foldScalar(scalar) {
                emit(mapped)
            }
        }
        while out.last == 0x20 || out.last == 0x0A { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Maps one scalar to its folded form; nil drops it (control and zero-width characters).
    @inline(__always)
    static func foldScalar(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x41...0x5A: return Unicode.Scalar(s.value + 32)
        case 0x0A, 0x0D, 0x2028, 0x2029: return "\n"
        case 0x09, 0x0B, 0x0C, 0x20, 0xA0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return " "
        case 0x00...0x08, 0x0E...0x1F, 0x7F, 0x200B...0x200D, 0xFEFF: return nil
        case 0x2018, 0x2019, 0x201B, 0x2032, 0x60, 0xB4: return "'"
        case 0x201C, 0x201D, 0x201E, 0x2033: return "\""
        case 0x2013, 0x2014, 0x2212: return "-"
        case 0x2026: return "."
        case 0xC0...0x17F: return latinFold(s)
        default: return s
        }
    }

    /// Folds Latin-1 and Latin Extended-A letters to their ASCII base (Spanish needs á é í ó ú ü ñ).
    static func latinFold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0xC0...0xC5, 0xE0...0xE5: return "a"
        case 0xC7, 0xE7: return "c"
        case 0xC8...0xCB, 0xE8...0xEB: return "e"
        case 0xCC...0xCF, 0xEC...0xEF: return "i"
        case 0xD1, 0xF1: return "n"
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8: return "o"
        case 0xD9...0xDC, 0xF9...0xFC: return "u"
        case 0xDD, 0xFD, 0xFF: return "y"
        case 0xD7: return "x"
        case 0xF7: return "/"
        default:
            // Latin Extended-A: upper-case letters sit on even code points, lower-case on odd.
            if s.value >= 0x100, s.value <= 0x17F, s.value % 2 == 0, let lower = Unicode.Scalar(s.value + 1) {
                return lower
            }
            return s
        }
    }
}
