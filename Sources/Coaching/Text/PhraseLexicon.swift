/// A compiled list of token patterns, each tagged with a label, matched over a token array.
///
/// Pattern syntax (space-separated elements, every element matches one token):
/// - `word` — that exact token;  `a|b|c` — any of them;  `pre*` — any token with that prefix;
/// - `*` — any word;  `#` — any number;
/// - `[a|b]` — optional: the element may be absent.
///
/// This keeps each rule readable as the phrase it recognises ("take me off [your|the|this] list")
/// instead of a regular expression, and every match reports the exact tokens as evidence.
public struct PhraseLexicon<Label: Sendable & Hashable>: Sendable {
    public struct Match: Sendable, Hashable {
        public let label: Label
        /// Token range `[start, end)`.
        public let start: Int
        public let end: Int
        public let pattern: String
    }

    enum Element: Sendable {
        case words(WordSet)
        case prefix(String)
        case anyWord
        case anyNumber

        func matches(_ token: Token) -> Bool {
            switch self {
            case .words(let set): return set.contains(token.key)
            case .prefix(let p): return token.kind == .word && token.text.hasPrefix(p)
            case .anyWord: return token.kind == .word
            case .anyNumber: return token.kind == .number
            }
        }
    }

    struct Step: Sendable {
        let element: Element
        let optional: Bool
    }

    struct Pattern: Sendable {
        let label: Label
        let source: String
        let steps: [Step]
    }

    let patterns: [Pattern]
    /// Patterns by the literal words their first mandatory step accepts; others go to `unindexed`.
    let byFirstWord: WordMap<[Int]>
    let unindexed: [Int]

    public init(_ entries: [(String, Label)]) {
        var patterns: [Pattern] = []
        var index: [String: [Int]] = [:]
        var unindexed: [Int] = []
        for (source, label) in entries {
            let steps = source.split(separator: " ").map(Self.parse)
            let id = patterns.count
            patterns.append(Pattern(label: label, source: source, steps: steps))
            if let first = steps.first, !first.optional, let words = Self.literalWords(source) {
                for w in words { index[w, default: []].append(id) }
            } else {
                unindexed.append(id)
            }
        }
        self.patterns = patterns
        self.byFirstWord = WordMap(index)
        self.unindexed = unindexed
    }

    /// Convenience for one label per list of phrases.
    public init(_ groups: [Label: [String]]) {
        var entries: [(String, Label)] = []
        for (label, phrases) in groups {
            for p in phrases { entries.append((p, label)) }
        }
        entries.sort { $0.0 < $1.0 }
        self.init(entries)
    }

    /// The words a pattern's first element accepts, when it is a plain list of words.
    static func literalWords(_ source: String) -> [String]? {
        guard let first = source.split(separator: " ").first, !first.hasPrefix("["), first != "*", first != "#",
            !(first.hasSuffix("*") && !first.contains("|"))
        else { return nil }
        return first.split(separator: "|").map(String.init)
    }

    static func parse(_ raw: Substring) -> Step {
        var text = raw
        var optional = false
        if text.hasPrefix("["), text.hasSuffix("]") {
            optional = true
            text = text.dropFirst().dropLast()
        }
        let element: Element
        if text == "*" {
            element = .anyWord
        } else if text == "#" {
            element = .anyNumber
        } else if text.hasSuffix("*"), !text.contains("|") {
            element = .prefix(String(text.dropLast()))
        } else {
            element = .words(WordSet(text.split(separator: "|").map(String.init)))
        }
        return Step(element: element, optional: optional)
    }

    /// All matches, left to right; at one start position every pattern that matches is reported.
    public func matches(in tokens: [Token]) -> [Match] {
        var found: [Match] = []
        for start in tokens.indices {
            if let ids = byFirstWord[tokens[start].key] {
                for id in ids { record(id, at: start, in: tokens, into: &found) }
            }
            for id in unindexed { record(id, at: start, in: tokens, into: &found) }
        }
        return found
    }

    @inline(__always)
    private func record(_ id: Int, at start: Int, in tokens: [Token], into found: inout [Match]) {
        let p = patterns[id]
        if let end = Self.match(p.steps, 0, tokens, start), end > start {
            found.append(Match(label: p.label, start: start, end: end, pattern: p.source))
        }
    }

    /// Longest-first match of `steps[s...]` at `tokens[t...]`; returns the end token index.
    static func match(_ steps: [Step], _ s: Int, _ tokens: [Token], _ t: Int) -> Int? {
        if s == steps.count { return t }
        let step = steps[s]
        if t < tokens.count, step.element.matches(tokens[t]), let end = match(steps, s + 1, tokens, t + 1) {
            return end
        }
        if step.optional { return match(steps, s + 1, tokens, t) }
        return nil
    }
}

extension Array where Element == Token {
    /// The tokens `[start, end)` joined as evidence text.
    public func phrase(_ start: Int, _ end: Int) -> String {
        var out = ""
        for i in start..<Swift.min(end, count) {
            let t = self[i]
            if i > start, !(t.attached && (t.kind == .symbol || self[i - 1].kind == .symbol || t.kind == .word && self[i - 1].kind == .number)) {
                out.append(" ")
            }
            out.append(t.text)
        }
        return out
    }
}
