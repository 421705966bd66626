/// Phone numbers, e-mail addresses and street addresses.
enum ContactRecognizer {
    static let streetSuffixes: WordSet = [
        "st", "street", "ave", "avenue", "av", "rd", "road", "dr", "drive", "ln", "lane", "blvd",
        "boulevard", "ct", "court", "way", "pl", "place", "ter", "terrace", "cir", "circle",
        "pkwy", "parkway", "hwy", "highway", "trl", "trail", "loop", "sq", "square",
    ]
    static let phoneSymbols: WordSet = ["(", ")", "-", ".", "+"]

    static func run(_ state: inout ExtractionState) {
        let tokens = state.tokens
        var i = 0
        while i < tokens.count {
            if tokens[i].kind == .email {
                state.entities.emails.append(Mention(text: tokens[i].text, value: tokens[i].text))
                state.claim(i, i + 1)
            } else if let (end, digits) = phone(tokens, from: i) {
                state.entities.phones.append(Mention(text: tokens.phrase(i, end), value: digits))
                state.claim(i, end)
                i = end
                continue
            } else if let end = address(tokens, from: i) {
                state.entities.addresses.append(Mention(text: tokens.phrase(i, end), value: tokens.phrase(i, end)))
                state.claim(i, end)
                i = end
                continue
            }
            i += 1
        }
    }

    /// A run of digit groups and phone punctuation holding 10 digits, or 11 with a leading 1.
    static func phone(_ tokens: [Token], from start: Int) -> (Int, String)? {
        guard tokens[start].kind == .number || tokens[start].text == "(" || tokens[start].text == "+" else { return nil }
        var digits = ""
        var j = start
        var groups = 0
        while j < tokens.count, digits.count <= 11 {
            let t = tokens[j]
            if t.kind == .number {
                if j > start, !t.attached, tokens[j - 1].kind == .number, groups >= 3 { break }
                digits += t.text.filter(\.isNumber)
                groups += 1
            } else if t.kind == .symbol, phoneSymbols.contains(t), j + 1 < tokens.count, tokens[j + 1].kind == .number || tokens[j + 1].text == "(" || t.text == ")" {
                // punctuation inside the number
            } else {
                break
            }
            j += 1
        }
        if digits.count == 11, digits.first == "1" { digits.removeFirst() }
        guard digits.count == 10, j > start else { return nil }
        // A dotted run like "3.2" never has ten digits; a price "450,000,000" has commas only.
        if tokens[start..<j].contains(where: { $0.kind == .number && $0.text.contains(",") }) { return nil }
        return (j, digits)
    }

    /// "1234 Oak Ridge Dr": a house number, one to three words, a street suffix.
    static func address(_ tokens: [Token], from start: Int) -> Int? {
        guard tokens[start].kind == .number, tokens[start].text.allSatisfy(\.isNumber), (1...6).contains(tokens[start].text.count) else {
            return nil
        }
        var j = start + 1
        var words = 0
        while j < tokens.count, tokens[j].kind == .word || tokens[j].kind == .number && words == 0, words < 4 {
            // "1st" is an ordinal: an attached st/nd/rd/th belongs to its number, not the street.
            let ordinal = tokens[j].attached && tokens[j - 1].kind == .number && ["st", "nd", "rd", "th"].contains(tokens[j].text)
            if words > 0, !ordinal, streetSuffixes.contains(tokens[j]) {
                var end = j + 1
                // "apt 4", "unit 12b", "#3"
                if end + 1 < tokens.count, ["apt", "unit", "suite", "ste"].contains(tokens[end].text) { end += 2 }
                return end
            }
            // Room counts and prices are not street names: "3 bed 2 bath".
            if ["bed", "beds", "bedroom", "bedrooms", "bath", "baths", "br", "ba", "bd", "k", "dollars"].contains(tokens[j].text) { return nil }
            words += 1
            j += 1
        }
        return nil
    }
}
