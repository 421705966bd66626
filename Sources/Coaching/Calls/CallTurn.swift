/// Consecutive sentences of one speaker, analysed as one message: an objection often spans
/// sentences ("It's a lot. Way over what we wanted."), and one analysis per turn instead of
/// per sentence keeps a long call cheap.
struct CallTurn {
    let speaker: CallSpeaker
    var text: String

    /// A turn stays under this many characters (a long monologue becomes several turns), well
    /// below the size at which `MessageText` starts cutting a message's middle out.
    static let maxCharacters = 600

    /// The sentences grouped into turns, in order. Sentences are joined by line breaks, which
    /// the tokenizer treats as sentence ends even when the transcript has no punctuation.
    static func group(_ sentences: [AttributedSentence]) -> [CallTurn] {
        var turns: [CallTurn] = []
        for s in sentences {
            // Trimmed by hand: Foundation's trimming cost a tenth of a whole summary.
            guard let first = s.text.firstIndex(where: { !$0.isWhitespace }), let last = s.text.lastIndex(where: { !$0.isWhitespace }) else { continue }
            let text = String(s.text[first...last])
            if let previous = turns.last, previous.speaker == s.speaker, previous.text.utf8.count + text.utf8.count < maxCharacters {
                // In place: a copy of the turn would copy its text on every append.
                turns[turns.count - 1].text += "\n" + text
            } else {
                turns.append(CallTurn(speaker: s.speaker, text: text))
            }
        }
        return turns
    }
}
