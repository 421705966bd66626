/// Dates and times as a summary line says them: "Saturday at 3pm", "tomorrow after 5pm",
/// "June 15", "Sunday morning". Built from the recognised fields, not the words heard, so the
/// same time said two ways reads the same.
extension DateMention {
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// The day part: "Saturday", "tomorrow", "June 15"; nil when only a time or a period was said.
    var spokenDay: String? {
        if let w = weekday, (1...7).contains(w) { return Self.weekdayNames[w - 1] }
        if let offset = dayOffset {
            switch offset {
            case 0: return period == "evening" ? "tonight" : "today"
            case 1: return "tomorrow"
            default: return "in \(offset) days"
            }
        }
        if let m = month, (1...12).contains(m) { return day.map { "\(Self.monthNames[m - 1]) \($0)" } ?? Self.monthNames[m - 1] }
        return nil
    }

    /// The clock part with its qualifier: "at 3pm", "after 5:30pm", "at noon"; nil without an hour.
    var spokenTime: String? {
        guard let h = hour, (0...23).contains(h) else { return nil }
        let m = minute ?? 0
        let clock: String
        if h == 12, m == 0 {
            clock = "noon"
        } else if h == 0, m == 0 {
            clock = "midnight"
        } else {
            let twelve = h % 12 == 0 ? 12 : h % 12
            let minutes = m == 0 ? "" : ":" + (m < 10 ? "0\(m)" : "\(m)")
            clock = "\(twelve)\(minutes)\(h < 12 ? "am" : "pm")"
        }
        return "\(qualifier ?? "at") \(clock)"
    }

    /// The whole mention: "Saturday at 3pm", "Sunday morning", "this weekend", "at 5pm".
    var spoken: String {
        var parts: [String] = []
        if let day = spokenDay { parts.append(day) }
        if let p = period, hour == nil, !(dayOffset == 0 && p == "evening") {
            if p == "weekend" {
                parts.append(parts.isEmpty ? "this weekend" : "weekend")
            } else {
                parts.append(parts.isEmpty ? "in the \(p)" : p)
            }
        }
        if let time = spokenTime { parts.append(time) }
        return parts.isEmpty ? text : parts.joined(separator: " ")
    }

    /// `spoken` as it follows a verb: "on Saturday at 3pm", "tomorrow at 10am", "at 5pm".
    var spokenWhen: String {
        (weekday != nil || month != nil) && dayOffset == nil ? "on " + spoken : spoken
    }

    /// Whether the mention names a day or a clock time (not only "morning" or "the weekend").
    var isSpecific: Bool { weekday != nil || dayOffset != nil || day != nil || hour != nil }
}
