/// Numbers that are not money: room counts, sizes, percentages and durations.
/// They run before money so that "3 bed" or "2 percent" is never read as a price.
enum QuantityRecognizer {
    static let bedroomWords: WordSet = ["bed", "beds", "bedroom", "bedrooms", "br", "bd", "bdr", "bdrm", "bdrms", "bedrm", "bedrms", "bds", "brs", "recamaras", "habitaciones", "bedroomed"]
    static let bathroomWords: WordSet = ["bath", "baths", "bathroom", "bathrooms", "ba", "bth", "bths", "banos"]
    static let sizeWords: WordSet = ["sqft", "sq", "square", "sf", "acre", "acres", "ft", "feet", "car", "cars", "story", "stories", "floors", "units", "unit", "doors"]
    static let durationWords: WordSet = [
        "day", "days", "week", "weeks", "wk", "wks", "month", "months", "mo", "mos", "year", "years", "yr", "yrs",
        "hour", "hours", "hr", "hrs", "min", "mins", "minute", "minutes", "people", "kids", "dogs", "cats", "times", "offers",
    ]
    static let percentWords: WordSet = ["percent", "pct", "%", "por", "porciento"]

    static let homeWords: WordSet = ["with", "home", "house", "condo", "townhouse", "townhome", "ranch", "layout", "floorplan", "duplex", "unit", "apartment", "apt", "for", "under", "in"]

    /// "a 3/2 with a pool": bedrooms/bathrooms shorthand, told from a date by the words around it.
    static func isBedBathPair(_ t: [Token], at i: Int) -> Bool {
        guard i + 2 < t.count, t[i].kind == .number, t[i + 1].text == "/", t[i + 2].kind == .number,
            let beds = t[i].numericValue, let baths = t[i + 2].numericValue, (1...8).contains(beds), (1...6).contains(baths)
        else { return false }
        let before = i > 0 ? t[i - 1].text : ""
        let after = i + 3 < t.count ? t[i + 3] : nil
        return ["a", "the", "any", "another"].contains(before) || after.map { homeWords.contains($0) || bedroomWords.contains($0) } ?? false
    }

    static func run(_ state: inout ExtractionState) {
        let t = state.tokens
        var i = 0
        while i < t.count {
            if !state.claimed[i], isBedBathPair(t, at: i), let beds = t[i].numericValue, let baths = t[i + 2].numericValue {
                var rooms = state.entities.rooms ?? RoomCounts()
                rooms.bedrooms = rooms.bedrooms ?? beds
                rooms.bathrooms = rooms.bathrooms ?? baths
                rooms.evidence.append(t.phrase(i, i + 3))
                state.entities.rooms = rooms
                state.claim(i, i + 3)
                i += 3
                continue
            }
            guard !state.claimed[i], let reading = smallNumber(t, at: i) else {
                i += 1
                continue
            }
            var end = reading.end
            // "4+ bedrooms", "3-bed"
            if end < t.count, t[end].text == "+" { end += 1 }
            // "3-bed", "3 bed", "3bd", "3 bd/2 ba"
            if end < t.count, t[end].text == "-", end + 1 < t.count { end += 1 }
            let unit = end < t.count ? t[end].text : ""
            if bedroomWords.contains(unit) || bathroomWords.contains(unit) {
                var rooms = state.entities.rooms ?? RoomCounts()
                if bedroomWords.contains(unit) { rooms.bedrooms = rooms.bedrooms ?? reading.value } else { rooms.bathrooms = rooms.bathrooms ?? reading.value }
                rooms.evidence.append(t.phrase(i, end + 1))
                state.entities.rooms = rooms
                state.claim(i, end + 1)
                i = end + 1
                continue
            }
            if percentWords.contains(unit) {
                let relation = percentRelation(t, after: end + 1)
                let stop = relation?.end ?? end + 1
                state.entities.percentages.append(PercentMention(value: reading.value, text: t.phrase(i, stop), relation: relation?.relation))
                state.claim(i, end + 1)
                i = end + 1
                continue
            }
            if sizeWords.contains(unit) || durationWords.contains(unit) {
                state.claim(i, end + 1)
                i = end + 1
                continue
            }
            i = max(i + 1, reading.end)
        }
    }

    /// A number of up to five digits or a spelled one ("two", "2.5", "3,000").
    static func smallNumber(_ t: [Token], at i: Int) -> NumberWords.Reading? {
        guard t[i].kind == .number || NumberWords.units[t[i]] != nil || NumberWords.tens[t[i]] != nil else { return nil }
        guard let r = NumberWords.read(t, at: i), !r.scaled || t[i].kind == .number else {
            return nil
        }
        // "450k sqft" is nonsense, but "3,000 sq ft" is a size: only a scaled reading is refused.
        return r.scaled ? nil : r
    }

    static func percentRelation(_ t: [Token], after start: Int) -> (relation: PercentMention.Relation, end: Int)? {
        var j = start
        var direction: PercentMention.Relation?
        while j < min(t.count, start + 4) {
            switch t[j].text {
            case "under", "below", "off", "less", "beneath": direction = direction ?? .belowAsking
            case "over", "above", "more": direction = direction ?? .aboveAsking
            case "asking", "ask", "list", "listing", "listed", "price":
                if let d = direction { return (d, j + 1) }
            default: break
            }
            j += 1
        }
        return nil
    }
}
