/// Prices and amounts of money.
///
/// Explicit money: "$450k", "450K", "450,000", "3.2k", "twenty five hundred", "1.2 million",
/// "500 dollars". Contextual money: a bare number the listing makes a price — "415" while
/// discussing a $430,000 listing means $415,000 — or one after a price cue ("I'd pay 2900").
enum MoneyRecognizer {
    /// Words after which a bare number is a price ("offer 2900", "budget is 450").
    static let priceCues: WordSet = [
        "offer", "offering", "pay", "paying", "do", "take", "budget", "asking", "ask", "price",
        "for", "at", "around", "under", "over", "max", "maximum", "approved", "accept", "counter",
        "is", "of", "than", "spend", "afford", "about", "to", "list", "listed", "priced", "go", "sell",
        "sold", "worth", "value", "upto", "up", "only", "$",
    ]
    static let currencyWords: WordSet = ["dollars", "dollar", "bucks", "usd", "dlls", "dolares"]

    static func run(_ state: inout ExtractionState) {
        let t = state.tokens
        var i = 0
        while i < t.count {
            guard !state.claimed[i] else {
                i += 1
                continue
            }
            let dollar = t[i].text == "$" || t[i].text == "usd"
            let start = dollar ? i + 1 : i
            if start < t.count, let range = priceRange(t, at: start) {
                for amount in range.amounts {
                    state.entities.money.append(MoneyMention(amount: amount, text: t.phrase(i, range.end), basis: .explicit))
                    state.moneyStarts.append(i)
                }
                state.claim(i, range.end)
                i = range.end
                continue
            }
            guard start < t.count, !state.claimed[start],
                t[start].kind == .number || NumberWords.units[t[start]] != nil || NumberWords.tens[t[start]] != nil
                    || t[start].text == "a" && start + 1 < t.count && NumberWords.scales[t[start + 1]] != nil,
                let r = NumberWords.read(t, at: start)
            else {
                i += 1
                continue
            }
            var end = r.end
            var explicit = dollar || r.scaled
            if end < t.count, currencyWords.contains(t[end]) {
                explicit = true
                end += 1
            }
            if !explicit, t[start].kind == .number, t[start].text.contains(","), r.value >= 1_000 { explicit = true }
            if let amount = resolve(r, explicit: explicit, tokens: t, at: start, context: state.context) {
                state.entities.money.append(MoneyMention(amount: amount.value, text: t.phrase(i, end), basis: amount.basis))
                state.moneyStarts.append(i)
                state.claim(i, end)
                i = end
                continue
            }
            i = max(i + 1, r.end)
        }
    }

    static func resolve(_ r: NumberWords.Reading, explicit: Bool, tokens t: [Token], at start: Int, context: AnalysisContext)
        -> (value: Double, basis: MoneyMention.Basis)?
    {
        let v = r.value
        guard v > 0, v < 1e10 else { return nil }
        if explicit {
            // "$415" on a $430,000 listing is shorthand for thousands.
            if let list = context.listingPrice, list >= 10_000, !r.scaled, v < 10_000, plausible(v * 1_000, list) {
                return (v * 1_000, .explicit)
            }
            return (v, .explicit)
        }
        // Spelled numbers ("twenty five hundred") are prices once they reach the hundreds.
        if r.spelled, v >= 100 { return (v, .explicit) }
        guard t[start].kind == .number else { return nil }
        let prev = start > 0 ? t[start - 1].text : ""
        // A year is not a price: "built in 1998", "since 2019".
        if v >= 1900, v <= 2100, v == v.rounded(), !t[start].text.contains(",") { return nil }
        if let list = context.listingPrice, list > 0 {
            if plausible(v, list) { return (v, .contextual) }
            if list >= 10_000, v < 10_000, plausible(v * 1_000, list) { return (v * 1_000, .contextual) }
            return nil
        }
        // Without a listing, "take 415" could be anything; "offer 2900" is a price.
        if priceCues.contains(prev), v >= 1_000 { return (v, .contextual) }
        if v >= 10_000, !t[start].text.contains(":"), t[start].text.count <= 9, prev != "zip", prev != "#" { return (v, .contextual) }
        return nil
    }

    /// "400-420k", "$1.2-1.5m": a range whose scale word applies to both ends.
    static func priceRange(_ t: [Token], at i: Int) -> (amounts: [Double], end: Int)? {
        guard t[i].kind == .number, t[i].text.contains("-"), i + 1 < t.count, t[i + 1].attached,
            let scale = NumberWords.scales[t[i + 1]], scale >= 1_000
        else { return nil }
        let parts = t[i].text.split(separator: "-")
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]), low > 0, low < high else { return nil }
        return ([low * scale, high * scale], i + 2)
    }

    /// Within the range a negotiation over this listing could plausibly name.
    static func plausible(_ v: Double, _ list: Double) -> Bool { v >= list * 0.3 && v <= list * 2.0 }
}
