/// Days, dates and clock times, merged into one mention per expression:
/// "tomorrow after 5" → {dayOffset: 1, hour: 17, qualifier: "after"}.
enum DateRecognizer {
    static let weekdays: WordMap<Int> = [
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
        "mon": 2, "tue": 3, "tues": 3, "wed": 4, "thu": 5, "thur": 5, "thurs": 5, "fri": 6,
        "sundays": 1, "mondays": 2, "tuesdays": 3, "wednesdays": 4, "thursdays": 5, "fridays": 6, "saturdays": 7,
        "domingo": 1, "lunes": 2, "martes": 3, "miercoles": 4, "jueves": 5, "viernes": 6, "sabado": 7,
    ]
    /// "sat" and "sun" are ordinary English words; they count only next to a day cue.
    static let ambiguousWeekdays: WordMap<Int> = ["sat": 7, "sun": 1]
    static let relativeDays: WordMap<Int> = [
        "today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tomorow": 1, "tommorow": 1,
        "tommorrow": 1, "tomm": 1, "2morrow": 1, "manana": 1, "hoy": 0,
    ]
    static let months: WordMap<Int> = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9,
        "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]
    static let periods: WordMap<String> = [
        "morning": "morning", "mornings": "morning", "afternoon": "afternoon", "afternoons": "afternoon",
        "evening": "evening", "evenings": "evening", "tonight": "evening", "night": "evening",
        "weekend": "weekend", "weekends": "weekend", "noon": "afternoon", "lunch": "afternoon",
    ]
    static let qualifiers: WordSet = ["after", "before", "around", "by", "at", "between", "until", "till", "from", "about"]

    struct Piece {
        var start: Int
        var end: Int
        var mention: DateMention
    }

    static func run(_ state: inout ExtractionState) {
        let tokens = state.tokens
        var pieces: [Piece] = []
        var i = 0
        while i < tokens.count {
            guard !state.claimed[i], let piece = piece(tokens, at: i) else {
                i += 1
                continue
            }
            pieces.append(piece)
            i = piece.end
        }
        // Merge pieces of one expression: same sentence, at most two tokens apart.
        var merged: [Piece] = []
        for p in pieces {
            if var last = merged.last, tokens[last.start].sentence == tokens[p.start].sentence, p.start - last.end <= 2,
                compatible(last.mention, p.mention)
            {
                last.mention = combine(last.mention, p.mention)
                last.end = p.end
                merged[merged.count - 1] = last
            } else {
                merged.append(p)
            }
        }
        for var p in merged {
            var start = p.start
            if start > 0, qualifiers.contains(tokens[start - 1]), p.mention.hour != nil || p.mention.period != nil {
                start -= 1
                p.mention.qualifier = p.mention.qualifier ?? tokens[start].text
            }
            state.entities.dates.append(DateMention(
                text: tokens.phrase(start, p.end), weekday: p.mention.weekday, dayOffset: p.mention.dayOffset,
                month: p.mention.month, day: p.mention.day, hour: p.mention.hour, minute: p.mention.minute,
                qualifier: p.mention.qualifier, period: p.mention.period))
            state.claim(start, p.end)
        }
    }

    static func compatible(_ a: DateMention, _ b: DateMention) -> Bool {
        // Two different days ("saturday or sunday") stay two mentions.
        let aDay = a.weekday != nil || a.dayOffset != nil || a.day != nil
        let bDay = b.weekday != nil || b.dayOffset != nil || b.day != nil
        let aTime = a.hour != nil
        let bTime = b.hour != nil
        return !(aDay && bDay) && !(aTime && bTime)
    }

    static func combine(_ a: DateMention, _ b: DateMention) -> DateMention {
        var m = a
        m.weekday = a.weekday ?? b.weekday
        m.dayOffset = a.dayOffset ?? b.dayOffset
        m.month = a.month ?? b.month
        m.day = a.day ?? b.day
        m.hour = a.hour ?? b.hour
        m.minute = a.minute ?? b.minute
        m.qualifier = a.qualifier ?? b.qualifier
        m.period = a.period ?? b.period
        return m
    }

    static func empty(_ text: String) -> DateMention { DateMention(text: text) }

    /// One date or time element at `i`, if any.
    static func piece(_ t: [Token], at i: Int) -> Piece? {
        let w = t[i].text
        let prev = i > 0 ? t[i - 1].text : ""
        let next = i + 1 < t.count ? t[i + 1].text : ""
        if t[i].kind == .word {
            if let d = weekdays[w] ?? (["on", "this", "next", "til", "until", "by"].contains(prev) || next == "at" || next == "morning" || next == "afternoon" ? ambiguousWeekdays[w] : nil) {
                var m = empty(w)
                m.weekday = d
                return Piece(start: i, end: i + 1, mention: m)
            }
            if let d = relativeDays[w] {
                var m = empty(w)
                m.dayOffset = d
                if w == "tonight" { m.period = "evening" }
                return Piece(start: i, end: i + 1, mention: m)
            }
            if let month = months[w], w != "may" || t.indices.contains(i + 1) && t[i + 1].kind == .number,
                w != "march" || t.indices.contains(i + 1) && t[i + 1].kind == .number
            {
                var m = empty(w)
                m.month = month
                var end = i + 1
                if end < t.count, t[end].kind == .number, let d = t[end].numericValue, d >= 1, d <= 31, d == d.rounded() {
                    m.day = Int(d)
                    end += 1
                    if end < t.count, ["st", "nd", "rd", "th"].contains(t[end].text), t[end].attached { end += 1 }
                }
                return Piece(start: i, end: end, mention: m)
            }
            if let period = periods[w] {
                var m = empty(w)
                m.period = period
                if w == "noon" || w == "lunch" { m.hour = 12; m.minute = 0 }
                // "this weekend" / "next week" carry their determiner.
                let start = ["this", "next", "in", "the"].contains(prev) && i > 0 ? i - 1 : i
                if prev == "next" { m.dayOffset = nil }
                return Piece(start: start, end: i + 1, mention: m)
            }
            if w == "midnight" {
                var m = empty(w)
                m.hour = 0
                m.minute = 0
                return Piece(start: i, end: i + 1, mention: m)
            }
            return nil
        }
        guard t[i].kind == .number else { return nil }
        return time(t, at: i) ?? numericDate(t, at: i)
    }

    /// "5pm", "5:30", "5 30 pm", "after 5" (afternoon assumed for 1–7 without am/pm).
    static func time(_ t: [Token], at i: Int) -> Piece? {
        let raw = t[i].text
        var hour: Int
        var minute = 0
        if raw.contains(":") {
            let parts = raw.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let mm = Int(parts[1]), h <= 23, mm <= 59, parts[1].count == 2 else { return nil }
            hour = h
            minute = mm
        } else {
            guard let h = Int(raw), h >= 1, h <= 12 else { return nil }
            hour = h
        }
        var end = i + 1
        var meridiem: String?
        if end < t.count, ["am", "pm", "a", "p"].contains(t[end].text) {
            meridiem = t[end].text
            end += 1
            if (meridiem == "a" || meridiem == "p"), end + 1 < t.count, t[end].text == ".", t[end + 1].text == "m" { end += 2 }
        } else if end < t.count, t[end].text == "o'clock" || t[end].text == "oclock" {
            end += 1
        }
        let prev = i > 0 ? t[i - 1].text : ""
        let cuedByWord = qualifiers.contains(prev) && prev != "about" || raw.contains(":")
        guard meridiem != nil || cuedByWord || end > i + 1 else { return nil }
        // "at 5" without a day or clock word nearby could be anything ("at 5 percent").
        if meridiem == nil, !raw.contains(":"), end < t.count, ["percent", "%", "k", "bed", "beds", "bedrooms", "bath", "baths", "min", "mins", "minutes", "days", "weeks", "months", "years", "offers", "people"].contains(t[end].text) {
            return nil
        }
        switch meridiem {
        case "pm", "p": if hour < 12 { hour += 12 }
        case "am", "a": if hour == 12 { hour = 0 }
        default: if hour >= 1 && hour <= 7 { hour += 12 }
        }
        var m = empty(raw)
        m.hour = hour
        m.minute = minute
        if qualifiers.contains(prev), prev != "at" { m.qualifier = prev }
        return Piece(start: i, end: end, mention: m)
    }

    /// "6/15", "6/15/2026".
    static func numericDate(_ t: [Token], at i: Int) -> Piece? {
        guard i + 2 < t.count, t[i + 1].text == "/", t[i + 1].attached, t[i + 2].attached,
            let mo = Int(t[i].text), let d = Int(t[i + 2].text), (1...12).contains(mo), (1...31).contains(d),
            !QuantityRecognizer.isBedBathPair(t, at: i)
        else { return nil }
        var end = i + 3
        if end + 1 < t.count, t[end].text == "/", t[end].attached, t[end + 1].kind == .number { end += 2 }
        var m = empty(t.phrase(i, end))
        m.month = mo
        m.day = d
        return Piece(start: i, end: end, mention: m)
    }
}
