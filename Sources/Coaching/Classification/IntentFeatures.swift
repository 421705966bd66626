/// What the intent model reads: the tokens plus everything the earlier pipeline stages found.
public struct IntentInput: Sendable {
    public let tokens: [Token]
    public let entities: Entities
    public let objections: [DetectedObjection]
    public let compliance: [ComplianceFlag]
    public let sentiment: Sentiment
    public let timeline: Timeline
    public let language: Language
    public let cues: [PhraseLexicon<Intent>.Match]
}

/// Turns an `IntentInput` into a sparse vector: words, adjacent word pairs, character trigrams
/// (typos: "apointment", "availble"), intent cues, objections, entities and message shape.
public enum IntentFeatures {
    public static func vector(_ input: IntentInput, recordNames: Bool = false) -> FeatureVector {
        var v = FeatureVector(recordNames: recordNames)
        var previous: Token?
        var wordCount = 0
        var hasQuestion = false
        for token in input.tokens {
            switch token.kind {
            case .word, .emoji:
                wordCount += 1
                v.add(FeatureHash.of("w", token.text), name: "w:" + token.text)
                // The hash must equal the hash of the recorded name: the model file is keyed by names.
                let before: String
                if let p = previous, p.sentence == token.sentence { before = p.kind == .number ? "#" : p.text } else { before = "^" }
                var pair = FeatureHash(namespace: "b")
                pair.mix(before)
                pair.mix(0x5F)
                pair.mix(token.text)
                v.add(pair.value, name: "b:" + before + "_" + token.text)
                if token.kind == .word { addTrigrams(token.text, to: &v) }
            case .number:
                v.add(FeatureHash.of("w", "#"), name: "w:#")
            case .symbol:
                if token.text == "?" { hasQuestion = true }
            case .email:
                break
            }
            if token.kind != .symbol { previous = token }
        }
        for cue in input.cues { v.add(FeatureHash.of("cue", cue.label.rawValue), 2.5, name: "cue:" + cue.label.rawValue) }
        for o in input.objections { v.add(FeatureHash.of("obj", o.objection.rawValue), 2.5, name: "obj:" + o.objection.rawValue) }
        for flag in input.compliance where flag.kind != .optOut { v.add(FeatureHash.of("comp", flag.kind.rawValue), name: "comp:" + flag.kind.rawValue) }
        let e = input.entities
        if !e.money.isEmpty { v.add(FeatureHash.of("ent", "money"), name: "ent:money") }
        if e.rooms != nil { v.add(FeatureHash.of("ent", "rooms"), name: "ent:rooms") }
        if !e.percentages.isEmpty { v.add(FeatureHash.of("ent", "percent"), name: "ent:percent") }
        if e.dates.contains(where: { $0.hour != nil }) { v.add(FeatureHash.of("ent", "time"), name: "ent:time") }
        if e.dates.contains(where: { $0.weekday != nil || $0.dayOffset != nil || $0.day != nil }) { v.add(FeatureHash.of("ent", "day"), name: "ent:day") }
        if e.loanType != nil { v.add(FeatureHash.of("ent", "loan"), name: "ent:loan") }
        if e.preApproval != nil { v.add(FeatureHash.of("ent", "preapproval"), name: "ent:preapproval") }
        if !e.phones.isEmpty { v.add(FeatureHash.of("ent", "phone"), name: "ent:phone") }
        if !e.addresses.isEmpty { v.add(FeatureHash.of("ent", "address"), name: "ent:address") }
        if hasQuestion { v.add(FeatureHash.of("shape", "question"), name: "shape:question") }
        let length = wordCount <= 1 ? "1" : wordCount <= 3 ? "2-3" : wordCount <= 10 ? "4-10" : "11+"
        v.add(FeatureHash.of("len", length), name: "len:" + length)
        v.add(FeatureHash.of("sent", input.sentiment.label.rawValue), name: "sent:" + input.sentiment.label.rawValue)
        if input.timeline.urgency != .none { v.add(FeatureHash.of("urg", input.timeline.urgency.rawValue), name: "urg:" + input.timeline.urgency.rawValue) }
        if input.language == .spanish { v.add(FeatureHash.of("lang", "es"), name: "lang:es") }
        v.add(FeatureHash.of("bias", "1"), name: "bias:1")
        v.normalize()
        return v
    }

    /// Character trigrams of "^word$", weighted low: they rescue misspellings without
    /// outvoting whole words.
    @inline(__always)
    static func addTrigrams(_ word: String, to v: inout FeatureVector) {
        let bytes = Array(word.utf8)
        // ASCII only, so that every trigram is a whole string and its recorded name hashes back.
        guard bytes.count >= 3, bytes.count <= 24, bytes.allSatisfy({ $0 < 0x80 }) else { return }
        let padded = [UInt8(ascii: "^")] + bytes + [UInt8(ascii: "$")]
        for i in 0..<(padded.count - 2) {
            var h = FeatureHash(namespace: "c")
            h.mix(padded[i])
            h.mix(padded[i + 1])
            h.mix(padded[i + 2])
            v.add(h.value, 0.35, name: "c:" + String(decoding: padded[i..<(i + 3)], as: UTF8.self))
        }
    }
}
