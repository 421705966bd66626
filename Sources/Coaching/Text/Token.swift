/// One token of a folded message.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Letters, possibly with inner apostrophes or hyphens ("don't", "pre-approved").
        case word
        /// Digits with inner separators kept verbatim ("450,000", "3.2", "5:30", "555.123.4567").
        case number
        /// An e-mail address, kept whole.
        case email
        /// A pictograph or other emoji scalar.
        case emoji
        /// One punctuation or symbol character ("$", "%", "?", "/").
        case symbol
    }

    public let text: String
    /// `text.wordKey`, computed once: every rule table looks the token up by it.
    public let key: WordKey
    public let kind: Kind
    /// Index of the sentence (split on . ! ? ; and line breaks) the token belongs to.
    public let sentence: Int
    /// True when no whitespace separates this token from the previous one ("450" "k" in "450k").
    public let attached: Bool

    public init(text: String, kind: Kind, sentence: Int, attached: Bool) {
        self.text = text
        self.key = text.wordKey
        self.kind = kind
        self.sentence = sentence
        self.attached = attached
    }

    /// The numeric value of a plain number token ("450,000" → 450000, "3.2" → 3.2); nil for
    /// times, phone-like runs and anything else that is not one number.
    public var numericValue: Double? {
        guard kind == .number else { return nil }
        var digits = ""
        var seenDot = false
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        // Thousands separators must group by three: "1,5" is not 15.
        if parts.count > 1, !parts.dropFirst().allSatisfy({ $0.count == 3 || ($0.count > 3 && $0.dropFirst(3).first == ".") }) {
            return nil
        }
        for ch in text where ch != "," {
            if ch == "." {
                if seenDot { return nil }
                seenDot = true
                digits.append(ch)
            } else if ch.isASCII, ch.isNumber {
                digits.append(ch)
            } else {
                return nil
            }
        }
        return Double(digits)
    }
}
