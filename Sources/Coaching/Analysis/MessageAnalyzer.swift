/// The analysis pipeline: normalize → tokenize → extract → classify.
///
/// 1. `MessageText` folds case, accents and quotes and bounds the size.
/// 2. `Tokenizer` splits words, numbers, e-mails, emoji and sentence marks.
/// 3. Extractors read entities, the timeline, sentiment, objections and intent cues.
/// 4. Compliance rules decide opt-out, legal threats and abuse; the trained `IntentModel`
///    ranks intents from the tokens and everything found in step 3. A rule-detected opt-out
///    always wins, and the model can never call a message an opt-out on its own.
///
/// A value type with no mutable state: share one across tasks freely.
public struct MessageAnalyzer: Sendable {
    public let model: IntentModel

    public init(model: IntentModel) {
        self.model = model
    }

    public func analyze(_ message: String, context: AnalysisContext = AnalysisContext()) -> MessageAnalysis {
        analyze(MessageText(message), context: context)
    }

    public func analyze(_ text: MessageText, context: AnalysisContext = AnalysisContext()) -> MessageAnalysis {
        let input = Self.intentInput(text, context: context)
        var probabilities = model.probabilities(IntentFeatures.vector(input))
        // Opt-out is decided by rules only (precision); the model's opt-out mass is redistributed.
        if let k = model.labels.firstIndex(of: .optOut) { probabilities[k] = 0 }
        if context.speaker == .lead, context.previousIntents.last == .offer, !input.entities.money.isEmpty,
            let k = model.labels.firstIndex(of: .offer)
        {
            // In a running negotiation a bare number is a counter-offer more often than not.
            probabilities[k] += 0.25
        }
        let total = probabilities.reduce(0, +)
        if total > 0 { for i in probabilities.indices { probabilities[i] /= total } }
        let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        func score(_ k: Int) -> MessageAnalysis.IntentScore {
            let intent = model.labels[k]
            return .init(intent: intent, confidence: Double(probabilities[k]), evidence: evidence(for: k, input), source: .model)
        }
        let optOut = input.compliance.first { $0.kind == .optOut }
        let top: MessageAnalysis.IntentScore
        let runnerUp: MessageAnalysis.IntentScore?
        if !input.tokens.contains(where: { $0.kind != .symbol }) {
            // Nothing but punctuation or whitespace: there is no intent to guess.
            top = .init(intent: .other, confidence: 1, evidence: [], source: .rule)
            runnerUp = nil
        } else if let optOut {
            top = .init(intent: .optOut, confidence: 1, evidence: optOut.evidence, source: .rule)
            runnerUp = ranked.first.map(score)
        } else {
            top = ranked.first.map(score) ?? .init(intent: .other, confidence: 1, evidence: [], source: .model)
            runnerUp = ranked.count > 1 ? score(ranked[1]) : nil
        }
        return MessageAnalysis(
            intent: top, runnerUp: runnerUp, objections: input.objections, sentiment: input.sentiment,
            timeline: input.timeline, entities: input.entities, compliance: input.compliance,
            language: input.language, speaker: context.speaker)
    }

    /// Steps 1–3 of the pipeline; the trainer uses the same path so training and inference
    /// can never see different features.
    public static func intentInput(_ text: MessageText, context: AnalysisContext) -> IntentInput {
        let tokens = Tokenizer.tokenize(text)
        let language = LanguageDetector.detect(tokens)
        var compliance: [ComplianceFlag] = []
        // An agent writing "reply STOP to opt out" is not opting out.
        if context.speaker == .lead, let optOut = OptOutRules.evaluate(tokens, shouted: text.shouted) {
            compliance.append(optOut)
        }
        compliance += LegalAndAbuseRules.evaluate(tokens, language: language)
        return IntentInput(
            tokens: tokens,
            entities: EntityExtractor.extract(tokens, context: context),
            objections: ObjectionDetector.detect(tokens),
            compliance: compliance,
            sentiment: SentimentAnalyzer.analyze(tokens, shouted: text.shouted),
            timeline: TimelineExtractor.extract(tokens),
            language: language,
            cues: IntentCues.lexicon.matches(in: tokens))
    }

    /// The cue phrases for this intent, else the words the model weighs most for it.
    func evidence(for label: Int, _ input: IntentInput) -> [String] {
        let intent = model.labels[label]
        var phrases = input.cues.filter { $0.label == intent }.map { input.tokens.phrase($0.start, $0.end) }
        if phrases.isEmpty {
            var scored: [(String, Float)] = []
            for t in input.tokens where t.kind == .word || t.kind == .emoji {
                let w = model.weight(FeatureHash.of("w", t.text), for: label)
                if w > 0.2 { scored.append((t.text, w)) }
            }
            phrases = scored.sorted { $0.1 > $1.1 }.prefix(3).map(\.0)
        }
        return phrases.uniqued()
    }
}
