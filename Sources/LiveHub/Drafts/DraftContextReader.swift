import Actors
import Coaching
import Foundation

/// Builds what a draft may know from the conversation's stored stream: its recent messages,
/// the last analysis and lead score, the playbook's suggestions for the last lead message, the
/// listing, and the negotiation's advice — and nothing else.
struct DraftContextReader: Sendable {
    let conversations: any ConversationRepository
    /// Events read back from the head: enough for the prompt's 12 messages and the last analysis.
    static let window: UInt64 = 200

    struct Read: Sendable {
        let context: DraftContext
        /// The playbook's replies for the last lead message: what the agent gets if the model fails.
        let fallback: [SuggestedReply]
    }

    func read(_ state: ConversationState, advice: NegotiationAdvice?, instruction: String?) async throws -> Read {
        let events = try await conversations.events(conversationId: state.conversationId, after: state.head > Self.window ? state.head - Self.window : 0, limit: Int(Self.window))
        var messages: [DraftMessage] = []
        var analysis: MessageAnalysis?
        var score: LeadScore?
        var replies: [SuggestedReply] = []
        var cards: [CoachingCard] = []
        for e in events {
            switch e.kind {
            case .messageInbound, .messageOutbound:
                guard let m = try? e.decode(MessagePayload.self), !m.text.isEmpty else { continue }
                // A reply LiveHub sent shows as queued and then sent: keep it once.
                if e.kind == .messageOutbound, let d = m.delivery, d != DeliveryState.queued.rawValue { continue }
                messages.append(DraftMessage(speaker: e.kind == .messageInbound ? .lead : .agent, text: m.text, channel: m.channel, at: e.at))
                if e.kind == .messageInbound {
                    replies = []
                    cards = []
                }
            case .analysis: analysis = try? e.decode(MessageAnalysis.self)
            case .leadScored: score = try? e.decode(LeadScore.self)
            case .replySuggested: if let r = try? e.decode(SuggestedReply.self) { replies.append(r) }
            case .coachingCard: if let c = try? e.decode(CoachingCard.self), c.kind != .callSummary { cards.append(c) }
            default: continue
            }
        }
        let guidance = replies.map(\.text) + cards.prefix(3).map { $0.title + ": " + $0.body }
        let channel = OutboundRequest.replyChannel(requested: nil, lastInbound: state.lastInboundChannel)
        let context = DraftContext(
            // The prompt shows the last `DraftPromptBuilder.messageLimit`; the guardrails accept
            // as fact what any of the last 50 said.
            messages: Array(messages.suffix(50)), analysis: analysis, score: score, guidance: guidance,
            listing: state.listingPrice.map { Listing(price: $0) }, negotiation: advice, channel: channel,
            leadFirstName: state.contactName?.split(separator: " ").first.map(String.init), agentName: nil,
            optedOut: !state.mayMessage(on: channel), instruction: instruction)
        return Read(context: context, fallback: replies)
    }
}
