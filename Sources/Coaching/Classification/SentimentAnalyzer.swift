/// Sentiment in −1…1 with a label.
public struct Sentiment: Sendable, Hashable, Codable {
    public enum Label: String, Sendable, Codable, Hashable {
        case veryNegative = "very_negative", negative, neutral, positive, veryPositive = "very_positive"
    }

    public let score: Double
    public let label: Label
    /// The words that moved the score, with their signed contribution folded in ("not bad" +).
    public let evidence: [String]

    public static let neutral = Sentiment(score: 0, label: .neutral, evidence: [])
}

/// A valence lexicon with negation, intensifiers and diminishers.
///
/// Each sentiment word contributes its valence, scaled by intensifiers just before it
/// ("really happy" ×1.5) and flipped with damping by a negator up to three words before it
/// ("not bad" → mildly positive, "really not happy" → negative). The sum is squashed into −1…1.
public enum SentimentAnalyzer {
    static let valence: WordMap<Double> = [
        // positive
        "good": 1.5, "great": 2.2, "awesome": 2.5, "amazing": 2.6, "perfect": 2.6, "love": 2.4, "loved": 2.3,
        "like": 0.8, "liked": 1, "nice": 1.4, "beautiful": 2.2, "gorgeous": 2.4, "excellent": 2.5, "fantastic": 2.6,
        "wonderful": 2.5, "happy": 2, "glad": 1.8, "excited": 2.2, "exciting": 2, "thanks": 1.2, "thank": 1.2,
        "thx": 1, "ty": 1, "appreciate": 1.6, "appreciated": 1.6, "helpful": 1.6, "interested": 1, "cool": 1.2,
        "sweet": 1.3, "fine": 0.6, "ok": 0.3, "okay": 0.3, "yes": 0.6, "yay": 2, "wow": 1.5, "stunning": 2.4,
        "impressive": 2, "pleased": 1.8, "ideal": 2, "lovely": 2.1, "best": 1.8, "fair": 0.8, "reasonable": 1,
        "definitely": 0.8, "absolutely": 0.9, "sure": 0.6, "works": 0.8, "eager": 1.4, "ready": 0.8, "dream": 1.8,
        "gracias": 1.2, "bueno": 1.2, "excelente": 2.5, "perfecto": 2.5, "genial": 2.2, "bien": 1,
        "recommend": 1.5, "smooth": 1.2, "responsive": 1.3, "quick": 0.5, "fast": 0.5, "charming": 1.8, "spacious": 1.2,
        // negative
        "bad": -1.8, "terrible": -2.6, "awful": -2.6, "horrible": -2.7, "hate": -2.6, "hated": -2.5, "worst": -2.8,
        "annoyed": -2, "annoying": -2, "angry": -2.4, "mad": -2, "upset": -2, "frustrated": -2.2, "frustrating": -2.2,
        "disappointed": -2.1, "disappointing": -2.1, "unhappy": -2, "sad": -1.6, "poor": -1.5, "sucks": -2.2,
        "rude": -2.3, "unprofessional": -2.4, "scam": -2.6, "spam": -1.8, "ridiculous": -2, "outrageous": -2.2,
        "overpriced": -1.6, "expensive": -0.9, "problem": -1, "problems": -1.2, "issue": -0.8, "issues": -1,
        "wrong": -1, "worried": -1.4, "concerned": -1, "confused": -1, "ugly": -2, "dirty": -1.6, "small": -0.4,
        "tiny": -0.9, "noisy": -1.2, "broken": -1.5, "damage": -1.4, "damaged": -1.5, "mold": -1.6, "leak": -1.2,
        "waste": -2, "wasted": -2, "useless": -2.3, "stupid": -2.2, "idiot": -2.6, "no": -0.4, "nope": -0.8,
        "never": -0.6, "ignored": -1.8, "ghosted": -1.8, "late": -0.8, "slow": -1, "pushy": -2, "stressed": -1.6,
        "stressful": -1.6, "tired": -1, "sick": -1.2, "lost": -0.8, "fail": -1.6, "failed": -1.6, "lowball": -1.2,
        "insulting": -2.3, "harassment": -2.6, "harassing": -2.6, "unacceptable": -2.5, "hell": -1.6, "damn": -1.2,
        "fuck": -2.4, "fucking": -1.2, "shit": -1.8, "crap": -1.6, "wtf": -2, "ugh": -1.6, "smh": -1.5,
        "malo": -1.8, "terrible.": -2.6, "molesto": -2, "enojado": -2.2, "unfortunately": -1, "sorry": -0.5,
    ]
    static let negators: WordSet = [
        "not", "no", "never", "don't", "dont", "isn't", "isnt", "wasn't", "wasnt", "aren't", "arent",
        "didn't", "didnt", "doesn't", "doesnt", "won't", "wont", "can't", "cant", "cannot", "nothing",
        "neither", "nor", "hardly", "barely", "without", "ain't", "aint", "nunca", "ni",
    ]
    static let intensifiers: WordMap<Double> = [
        "really": 1.5, "very": 1.5, "so": 1.4, "super": 1.6, "extremely": 1.8, "totally": 1.5, "absolutely": 1.6,
        "incredibly": 1.8, "truly": 1.4, "completely": 1.5, "way": 1.3, "too": 1.3, "fucking": 1.6, "freaking": 1.5,
        "damn": 1.4, "highly": 1.5, "quite": 1.2, "muy": 1.5, "most": 1.3, "such": 1.3, "pretty": 1.1,
    ]
    static let diminishers: WordMap<Double> = [
        "kinda": 0.5, "kind": 0.6, "somewhat": 0.5, "slightly": 0.4, "bit": 0.6, "little": 0.7, "sorta": 0.5,
        "fairly": 0.8, "almost": 0.6, "mostly": 0.8,
    ]
    static let emoji: WordMap<Double> = [
        "😊": 1.6, "😀": 1.6, "😃": 1.6, "😄": 1.8, "😁": 1.6, "🙂": 1, "😍": 2.4, "🥰": 2.4, "❤": 2, "❤️": 2,
        "👍": 1.4, "🙏": 1.2, "🎉": 2, "🔥": 1.5, "💯": 1.6, "✅": 0.8, "😎": 1.2, "🤩": 2.2, "👌": 1.2, "🏡": 0.6, "🏠": 0.5,
        "😡": -2.6, "😠": -2.3, "🤬": -2.8, "👎": -1.8, "😤": -1.8, "🙄": -1.4, "😞": -1.6, "😢": -1.6, "😭": -1.8,
        "😒": -1.4, "😕": -1, "🤦": -1.4, "💩": -2, "😩": -1.6, "😫": -1.6,
    ]

    public static func analyze(_ tokens: [Token], shouted: Set<String> = []) -> Sentiment {
        var total = 0.0
        var count = 0
        var evidence: [String] = []
        for (i, token) in tokens.enumerated() {
            var base: Double
            if token.kind == .emoji {
                guard let v = emoji[token] else { continue }
                base = v
            } else {
                guard token.kind == .word, let v = valence[token] else { continue }
                // "like" as a preposition ("looks like", "something like") carries no feeling.
                if token.text == "like", i > 0, ["looks", "look", "something", "just", "seems", "feel", "would", "i'd", "id"].contains(tokens[i - 1].text) { continue }
                // "no" and "never" negate what follows; they score only when they stand alone.
                if negators.contains(token), i + 1 < tokens.count, tokens[i + 1].kind == .word { continue }
                base = v
            }
            var weight = 1.0
            var negated = false
            var start = i
            var j = i - 1
            while j >= 0, j >= i - 3, tokens[j].sentence == token.sentence, tokens[j].kind == .word {
                let w = tokens[j].text
                if let m = intensifiers[w], j == start - 1 { weight *= m; start = j } else if let m = diminishers[w], j >= i - 2 { weight *= m; start = j } else if negators.contains(w) {
                    negated.toggle()
                    start = j
                    if j > 0, let m = intensifiers[tokens[j - 1]] { weight *= m; start = j - 1 }
                }
                j -= 1
            }
            var contribution = base * weight
            // A negated positive turns negative; a negated negative softens to mildly positive.
            if negated { contribution = contribution > 0 ? -contribution * 0.8 : -contribution * 0.4 }
            if shouted.contains(token.text) { contribution *= 1.3 }
            total += contribution
            count += 1
            evidence.append(tokens.phrase(start, i + 1))
        }
        guard count > 0 else { return .neutral }
        let exclamations = tokens.reduce(0) { $0 + ($1.text == "!" ? 1 : 0) }
        if exclamations > 0 { total *= 1 + min(Double(exclamations), 3) * 0.08 }
        // Squash: one strong word gives about ±0.6, several push towards ±1.
        let score = max(-1, min(1, total / (abs(total) + 1.6)))
        return Sentiment(score: (score * 1000).rounded() / 1000, label: label(score), evidence: evidence)
    }

    static func label(_ score: Double) -> Sentiment.Label {
        switch score {
        case ..<(-0.6): return .veryNegative
        case ..<(-0.2): return .negative
        case ...0.2: return .neutral
        case ...0.6: return .positive
        default: return .veryPositive
        }
    }
}
