/// Reads spelled-out numbers from tokens: "twenty five hundred" → 2500,
/// "four hundred fifty thousand" → 450000, "1.2 million" → 1200000, "a million" → 1000000.
enum NumberWords {
    static let units: WordMap<Double> = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
        "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
        "nineteen": 19,
    ]
    static let tens: WordMap<Double> = [
        "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    static let scales: WordMap<Double> = [
        "hundred": 100, "thousand": 1_000, "grand": 1_000, "k": 1_000, "million": 1_000_000,
        "mil": 1_000_000, "m": 1_000_000, "mm": 1_000_000,
    ]

    struct Reading {
        let value: Double
        let end: Int
        /// True when a scale word or spelled number was involved (not a bare digit run).
        let spelled: Bool
        let scaled: Bool
    }

    /// Reads a number starting at `start`, which may be digits ("3.2" "k"), words, or a mix
    /// ("4.5 hundred thousand"). Returns nil when no number starts there.
    static func read(_ tokens: [Token], at start: Int) -> Reading? {
        var total: Double = 0
        var current: Double = 0
        var i = start
        var spelled = false
        var scaled = false
        var sawAny = false
        if tokens[i].kind == .number {
            guard let v = tokens[i].numericValue else { return nil }
            current = v
            sawAny = true
            i += 1
        } else if tokens[i].text == "a" || tokens[i].text == "an", i + 1 < tokens.count,
            let s = scales[tokens[i + 1]], s >= 100, tokens[i + 1].text.count > 1
        {
            current = 1
            sawAny = true
            i += 1
        }
        while i < tokens.count {
            let t = tokens[i]
            if t.kind == .word, let h = splitHyphenated(t.text), current.truncatingRemainder(dividingBy: 100) == 0 {
                current += h
                spelled = true
            } else if t.kind == .word, let u = units[t], !(sawAny && current.truncatingRemainder(dividingBy: 10) != 0) {
                current += u
                spelled = true
            } else if t.kind == .word, let u = tens[t], current.truncatingRemainder(dividingBy: 100) == 0 {
                current += u
                spelled = true
            } else if t.kind == .word, let s = scales[t], sawAny || spelled {
                // A lone letter scale ("k", "m") must touch its digits: "450k", not "450 m".
                if t.text.count <= 2, !t.attached { break }
                if s == 100 {
                    current = (current == 0 ? 1 : current) * 100
                } else {
                    total += (current == 0 ? 1 : current) * s
                    current = 0
                }
                scaled = true
            } else if t.text == "and", spelled, i + 1 < tokens.count, units[tokens[i + 1]] != nil || tens[tokens[i + 1]] != nil {
                // "five hundred and fifty"
            } else if t.kind == .symbol, t.text == "-", spelled, i + 1 < tokens.count, units[tokens[i + 1]] != nil {
                // "twenty-five" arrives as one word token; this only covers "twenty - five".
            } else {
                break
            }
            sawAny = true
            i += 1
        }
        guard sawAny, i > start else { return nil }
        return Reading(value: total + current, end: i, spelled: spelled, scaled: scaled)
    }

    /// Hyphenated words ("twenty-five") are one token; split them before reading.
    static func splitHyphenated(_ text: String) -> Double? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let t = tens[String(parts[0])], let u = units[String(parts[1])] else { return nil }
        return t + u
    }
}
