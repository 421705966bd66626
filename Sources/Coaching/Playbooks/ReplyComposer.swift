import Foundation

/// Picks and fills 1…3 replies for a lead message from the playbook.
///
/// Objection templates come first (they answer what stands in the way), then templates for the
/// top intent, then for the runner-up when it is close. Nothing at all is suggested after an
/// opt-out, on any later message either.
public struct ReplyComposer: Sendable {
    public let playbooks: PlaybookSet
    /// Below this confidence a reply is offered to the agent but never auto-sent.
    public var autoSendThreshold = 0.6

    public init(playbooks: PlaybookSet) {
        self.playbooks = playbooks
    }

    public func replies(for analysis: MessageAnalysis, context: ReplyContext, optedOut: Bool = false, negotiating: Bool = false) -> [SuggestedReply] {
        guard !optedOut, !analysis.isOptOut, analysis.intent.intent != .optOut else { return [] }
        var chosen: [SuggestedReply] = []
        var used = Set<String>()
        func offer(_ templates: [ReplyTemplate], weight: Double) {
            for t in templates where chosen.count < 3 && !used.contains(t.id) {
                guard let text = fill(t, context) else { continue }
                used.insert(t.id)
                let confidence = ((t.confidence * weight) * 1000).rounded() / 1000
                let hold = holdReason(t, analysis, confidence: confidence, negotiating: negotiating)
                chosen.append(SuggestedReply(id: "\(t.id)#\(chosen.count + 1)", text: text, confidence: confidence, autoSendable: hold == nil, holdReason: hold, templateId: t.id))
            }
        }
        let language = analysis.language
        for o in analysis.objections {
            offer(templates(objection: o.objection, language: language), weight: 0.9)
        }
        offer(templates(intent: analysis.intent.intent, language: language), weight: analysis.intent.confidence)
        if chosen.count < 2, let second = analysis.runnerUp, second.confidence >= 0.2 {
            offer(templates(intent: second.intent, language: language), weight: second.confidence)
        }
        if chosen.isEmpty { offer(templates(intent: .other, language: language), weight: 0.5) }
        return chosen
    }

    func templates(intent: Intent, language: Language) -> [ReplyTemplate] {
        Self.inLanguage(playbooks.byIntent[intent] ?? [], language)
    }

    func templates(objection: Objection, language: Language) -> [ReplyTemplate] {
        Self.inLanguage(playbooks.byObjection[objection] ?? [], language)
    }

    /// The templates in the message's language, else the English ones.
    static func inLanguage(_ matching: [ReplyTemplate], _ language: Language) -> [ReplyTemplate] {
        if language == .english { return matching.filter { $0.language == .english } }
        let inLanguage = matching.filter { $0.language == language }
        return inLanguage.isEmpty ? matching.filter { $0.language == .english } : inLanguage
    }

    /// The filled text, or nil when a required slot is unknown or the result is too long.
    func fill(_ t: ReplyTemplate, _ context: ReplyContext) -> String? {
        for slot in t.requires where context.value(slot) == nil { return nil }
        guard let placeholders = playbooks.placeholders[t.id] else { return nil }
        var out = ""
        var cursor = t.text.startIndex
        var leftGap = false
        for p in placeholders {
            out += t.text[cursor..<p.range.lowerBound]
            guard let value = context.value(p.slot) ?? p.fallback else { return nil }
            if value.isEmpty { leftGap = true }
            out += value
            cursor = p.range.upperBound
        }
        out += t.text[cursor...]
        if leftGap { out = Self.tidy(out) }
        return out.count <= PlaybookValidator.maxReplyLength ? out : nil
    }

    /// Removes what an empty slot leaves behind: "Thanks, !" → "Thanks!", "Great, . I'll" →
    /// "Great. I'll", double spaces. On the UTF-8 bytes (every pattern is ASCII): Foundation's
    /// string search was a tenth of a coaching step.
    static func tidy(_ text: String) -> String {
        var bytes = Array(text.utf8)
        for (from, to) in tidyRules {
            while let at = find(from, in: bytes) { bytes.replaceSubrange(at..<at + from.count, with: to) }
        }
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let start = bytes.firstIndex { !blank($0) } ?? bytes.endIndex
        let end = bytes.lastIndex { !blank($0) }.map { $0 + 1 } ?? start
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    private static let tidyRules: [([UInt8], [UInt8])] = [
        (", !", "!"), (", .", "."), (", ?", "?"), (" ,", ","), ("  ", " "), (" !", "!"), (" ?", "?"), (" .", "."),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for i in 0...(bytes.count - pattern.count) where bytes[i] == pattern[0] {
            if bytes[i..<i + pattern.count].elementsEqual(pattern) { return i }
        }
        return nil
    }

    /// Nil when the reply may go out automatically; otherwise the reason it must wait for a human.
    func holdReason(_ t: ReplyTemplate, _ a: MessageAnalysis, confidence: Double, negotiating: Bool) -> String? {
        if !t.autoSendable { return "the playbook marks this reply for a human" }
        if a.has(.legalThreat) { return "legal threat: a human must answer" }
        if a.has(.abuse) { return "abusive message: a human must answer" }
        if a.intent.intent == .humanRequest || a.runnerUp?.intent == .humanRequest && (a.runnerUp?.confidence ?? 0) > 0.3 {
            return "the lead asked for a person"
        }
        if a.intent.intent == .offer || negotiating || !a.entities.money.isEmpty && a.entities.money.contains(where: { $0.amount >= 1_000 }) {
            return "offers and negotiation are handled by the agent"
        }
        if a.sentiment.label == .veryNegative { return "the lead is upset (complaint)" }
        if confidence < autoSendThreshold { return "confidence \(confidence) is below \(autoSendThreshold)" }
        return nil
    }
}
