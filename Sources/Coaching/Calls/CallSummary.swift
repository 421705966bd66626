/// What a call was about, in 3–5 lines for the agent and as fields for the timeline:
/// who talked how much, the topics, the lead's objections, the prices named and by whom, the
/// dates and times said, and the next step. Made by `CallSummarizer`; `card()` shows it beside
/// the conversation.
public struct CallSummary: Sendable, Hashable, Codable {
    /// The summary as the agent reads it, 3 to 5 lines: overview, topics, objections (when
    /// any), prices (when any), next step with the times mentioned.
    public var lines: [String]
    /// The lead's objections, as `Objection` raw values ("price_too_high"), in the order raised.
    public var objections: [String]
    /// Every distinct amount named on the call, in the order first named.
    public var prices: [Double]
    /// Each amount with who named it.
    public var priceMentions: [CallPrice]
    /// Days and times said on the call, as spoken ("Saturday at 3pm"), in order, without repeats.
    public var dates: [String]
    /// The step the call ended on ("Showing on Saturday at 3pm"); nil when none was agreed or
    /// the lead asked not to be contacted.
    public var nextStep: String?
    /// Every step named on the call, in the order said; `nextStep` is the furthest-reaching.
    public var steps: [CallNextStep]
    /// The lead asked on the call not to be contacted again (an opt-out rule fired).
    public var leadOptedOut: Bool
    /// The lead's words that made it an opt-out, when they did.
    public var optOutEvidence: String?
    /// Sentences whose speaker could not be told (mono recording): read as the lead's.
    public var unattributedSentences: Int

    /// The summary as a coaching card. An opt-out makes it a critical compliance card.
    public func card() -> CoachingCard {
        let evidence = steps.suffix(3).map(\.evidence) + objections
        if leadOptedOut {
            return CoachingCard(kind: .compliance, title: "Call: the lead asked not to be contacted", body: lines.joined(separator: "\n"), priority: .critical, evidence: evidence, templateId: Self.cardId)
        }
        let title = nextStep.map { "Call summary: \($0)" } ?? "Call summary"
        return CoachingCard(kind: .callSummary, title: title, body: lines.joined(separator: "\n"), priority: .medium, evidence: evidence, templateId: Self.cardId)
    }

    /// The `templateId` of call-summary cards.
    public static let cardId = "call.summary"
}

/// An amount named on a call and who named it.
public struct CallPrice: Sendable, Hashable, Codable {
    public let amount: Double
    public let speaker: CallSpeaker
}
