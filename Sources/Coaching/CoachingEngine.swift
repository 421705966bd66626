/// The whole coaching step for one message: analysis, lead score, cards, replies and the
/// negotiation update. Stateless and Sendable; the conversation's memory is a `CoachingSession`
/// value that the caller owns (the conversation actor) and passes in.
public struct CoachingEngine: Sendable {
    public let analyzer: MessageAnalyzer
    public let composer: ReplyComposer
    public let cards: CardBuilder
    public let advisor: NegotiationAdvisor

    public init(model: IntentModel, playbooks: PlaybookSet, negotiation: NegotiationModel) {
        analyzer = MessageAnalyzer(model: model)
        composer = ReplyComposer(playbooks: playbooks)
        cards = CardBuilder(playbooks: playbooks)
        advisor = NegotiationAdvisor(model: negotiation)
    }

    /// The engine with the model, playbooks and negotiation model shipped in the package.
    public static func bundled() throws -> CoachingEngine {
        try CoachingEngine(model: BundledResources.intentModel(), playbooks: BundledResources.playbooks(), negotiation: BundledResources.negotiationModel())
    }

    /// Processes one message of the conversation and returns what to show for it.
    /// Agent messages are analysed and recorded (they feed engagement and negotiation) but
    /// produce no cards or replies.
    public func step(_ session: inout CoachingSession, text: String, speaker: AnalysisContext.Speaker, at: Double, offer: Double? = nil) -> CoachingStep {
        let context = AnalysisContext(speaker: speaker, previousIntents: session.leadIntents, listing: session.reply.listing, representedSide: session.represented)
        let analysis = analyzer.analyze(text, context: context)
        session.record(ScoredMessage(analysis: analysis, at: at))
        let score = LeadScorer.score(session.messages)

        // Prices discussed with a known listing feed the negotiation.
        var advice: NegotiationAdvice?
        // Any price plausible for the listing belongs to the negotiation, whatever the top intent
        // ("would they take 415? it's too expensive" is an objection and an offer at once).
        let list = session.reply.listing?.price
        // A pre-approval amount is a budget ceiling, not a price on the table.
        let prices = analysis.entities.money.filter { $0 != analysis.entities.preApproval }
        let namesPrice = list.map { l in prices.contains { MoneyRecognizer.plausible($0.amount, l) } } ?? false
        let talksPrice = offer != nil || analysis.intent.intent == .offer || namesPrice
        if talksPrice, let list, let side = session.represented {
            var state = session.negotiation ?? NegotiationState(listingPrice: list, represented: side)
            // The lead is the other side from the one the agent represents; the agent speaks for it.
            let party = speaker == .lead ? side.other : side
            state.apply(NegotiationTurn(party: party, text: text, offer: offer, at: at))
            session.negotiation = state
            advice = advisor.advise(state)
        }
        guard speaker == .lead else {
            return CoachingStep(analysis: analysis, score: score, cards: [], replies: [], negotiation: advice)
        }
        let replies = composer.replies(for: analysis, context: session.reply, optedOut: session.optedOut, negotiating: session.negotiation != nil && advice != nil)
        let cardList = cards.cards(for: analysis, score: score, advice: advice)
        return CoachingStep(analysis: analysis, score: score, cards: cardList, replies: replies, negotiation: advice)
    }
}

/// What the conversation remembers between steps.
public struct CoachingSession: Sendable {
    public private(set) var messages: [ScoredMessage] = []
    public var reply: ReplyContext
    public var represented: Side?
    public var negotiation: NegotiationState?
    /// Once the lead opts out, no reply is ever suggested again in this conversation.
    public private(set) var optedOut = false

    /// The scorer reads the whole history; older messages beyond this count matter too little
    /// to keep (intents decay by half every three messages).
    public static let historyLimit = 60

    public init(reply: ReplyContext = ReplyContext(), represented: Side? = nil) {
        self.reply = reply
        self.represented = represented
    }

    /// The intents of the lead's messages, oldest first. Read field by field: copying whole
    /// messages (analyses with their arrays and strings) to filter them cost more than the rest.
    public var leadIntents: [Intent] {
        var out: [Intent] = []
        out.reserveCapacity(messages.count)
        for i in messages.indices where messages[i].fromLead { out.append(messages[i].analysis.intent.intent) }
        return out
    }

    mutating func record(_ m: ScoredMessage) {
        messages.append(m)
        if messages.count > Self.historyLimit { messages.removeFirst(messages.count - Self.historyLimit) }
        if m.fromLead, m.analysis.isOptOut { optedOut = true }
    }
}

/// The output of one coaching step.
public struct CoachingStep: Sendable, Hashable, Codable {
    public let analysis: MessageAnalysis
    public let score: LeadScore
    public let cards: [CoachingCard]
    public let replies: [SuggestedReply]
    public let negotiation: NegotiationAdvice?
}
