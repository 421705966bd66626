import Foundation

/// Checks a playbook before it is used: ids unique and present, every template answers
/// something, placeholders name known slots and are well formed, required slots are used,
/// and a reply filled with the longest slot values still fits in one 320-character SMS.
enum PlaybookValidator {
    static let maxReplyLength = 320

    static func validate(replies: [ReplyTemplate], cards: [CardTemplate]) throws {
        var ids = Set<String>()
        for r in replies {
            try checkId(r.id, in: &ids)
            guard r.intent != nil || r.objection != nil else { throw PlaybookError(entry: r.id, problem: "names neither an intent nor an objection") }
            guard r.intent != .optOut else { throw PlaybookError(entry: r.id, problem: "no reply may be sent after an opt-out") }
            guard (0...1).contains(r.confidence) else { throw PlaybookError(entry: r.id, problem: "confidence \(r.confidence) is outside 0…1") }
            let slots = try placeholders(r.text, entry: r.id)
            for s in r.requires where !slots.contains(where: { $0.slot == s }) {
                throw PlaybookError(entry: r.id, problem: "requires {\(s.rawValue)} but its text never uses it")
            }
            let longest = fill(r.text, slots: slots)
            guard longest <= maxReplyLength else {
                throw PlaybookError(entry: r.id, problem: "can reach \(longest) characters with long slot values; an SMS reply must stay within \(maxReplyLength)")
            }
        }
        for c in cards {
            try checkId(c.id, in: &ids)
            guard c.intent != nil || c.objection != nil || c.compliance != nil else {
                throw PlaybookError(entry: c.id, problem: "names no intent, objection or compliance label")
            }
            guard !c.title.isEmpty, !c.body.isEmpty else { throw PlaybookError(entry: c.id, problem: "title and body must not be empty") }
        }
    }

    static func checkId(_ id: String, in ids: inout Set<String>) throws {
        guard !id.isEmpty else { throw PlaybookError(entry: nil, problem: "an entry has an empty id") }
        guard ids.insert(id).inserted else { throw PlaybookError(entry: id, problem: "id is used twice") }
    }

    struct Placeholder: Sendable {
        let slot: Slot
        let fallback: String?
        let range: Range<String.Index>
    }

    /// Parses `{slot}` and `{slot|fallback}`; an unknown slot or an unclosed brace is an error.
    static func placeholders(_ text: String, entry: String) throws -> [Placeholder] {
        var result: [Placeholder] = []
        var i = text.startIndex
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw PlaybookError(entry: entry, problem: "text is empty") }
        while let open = text[i...].firstIndex(of: "{") {
            guard let close = text[open...].firstIndex(of: "}") else { throw PlaybookError(entry: entry, problem: "unclosed \"{\" in text") }
            let inner = text[text.index(after: open)..<close]
            let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first, let slot = Slot(rawValue: String(name)) else {
                throw PlaybookError(entry: entry, problem: "unknown slot {\(inner)}; known: \(Slot.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            result.append(Placeholder(slot: slot, fallback: parts.count > 1 ? String(parts[1]) : nil, range: open..<text.index(after: close)))
            i = text.index(after: close)
        }
        return result
    }

    static func fill(_ text: String, slots: [Placeholder]) -> Int {
        var length = text.count
        for p in slots { length += p.slot.maxLength - text[p.range].count }
        return length
    }
}
