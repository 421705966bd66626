/// Summarises a call transcript in 3–5 lines. Deterministic and pure: lead turns go through
/// the analyzer (objections, intents, opt-out, money and dates in the listing's context),
/// agent turns through the entity extractor only, and the next step comes from phrase rules
/// (`CallNextStepRules`). A 30-minute call of ~400 sentences takes a few milliseconds.
public enum CallSummarizer {
    public static func summarize(_ sentences: [AttributedSentence], listing: Listing?, durationSeconds: Double?, analyzer: MessageAnalyzer) -> CallSummary {
        let turns = CallTurn.group(sentences)
        var reading = CallReading()
        var leadIntents: [Intent] = []
        for (index, turn) in turns.enumerated() {
            let text = MessageText(turn.text)
            let tokens = Tokenizer.tokenize(text)
            let entities: Entities
            if turn.speaker.coachingSpeaker == .lead {
                // Only the last few intents matter to the analyzer (a bare number after an offer).
                let context = AnalysisContext(speaker: .lead, previousIntents: Array(leadIntents.suffix(3)), listing: listing)
                let a = analyzer.analyze(text, context: context)
                leadIntents.append(a.intent.intent)
                reading.read(a)
                entities = a.entities
            } else {
                entities = EntityExtractor.extract(tokens, context: AnalysisContext(speaker: .agent, listing: listing))
            }
            reading.read(entities, speaker: turn.speaker, turn: index, listing: listing)
            for found in CallNextStepRules.steps(in: tokens) { reading.steps.append((index, found)) }
        }
        var steps: [CallNextStep] = []
        for (turn, found) in reading.steps {
            let when = reading.when(found, turn: turn)
            var kind = found.kind
            // "See you Tuesday" confirms the visit named before it: a showing or a listing appointment.
            if kind == .meeting, let visit = steps.last(where: { $0.kind == .showing || $0.kind == .listingAppointment }) { kind = visit.kind }
            steps.append(CallNextStep(kind: kind, evidence: found.evidence, object: found.object, when: when?.spokenWhen))
        }
        // The furthest-reaching step; of one kind, the last said (`max` keeps the first of equals).
        let next = reading.optOut == nil ? steps.reversed().max { $0.kind.rank < $1.kind.rank } : nil
        let dates = CallSummaryLines.distinctDates(reading.dates.map(\.mention))

        var lines = [CallSummaryLines.overview(sentences, durationSeconds: durationSeconds), CallSummaryLines.topics(reading, steps: steps)]
        if !reading.objections.isEmpty { lines.append(CallSummaryLines.objections(reading.objections)) }
        if !reading.prices.isEmpty { lines.append(CallSummaryLines.prices(reading.prices, listing: listing)) }
        lines.append(CallSummaryLines.nextStep(next, all: steps, optOut: reading.optOut, dates: dates))

        return CallSummary(
            lines: lines, objections: reading.objections.map(\.objection.rawValue), prices: reading.prices.map(\.amount).uniqued(),
            priceMentions: reading.prices, dates: dates, nextStep: next?.phrase, steps: steps, leadOptedOut: reading.optOut != nil,
            optOutEvidence: reading.optOut, unattributedSentences: sentences.count(where: { $0.speaker == .unknown }))
    }
}
