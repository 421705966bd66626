import Actors
import Coaching
import Foundation

/// Automatic drafts: when a lead message scores hot in a location whose `drafts` settings enable
/// `autoForHotLeads`, a draft is made at once for the agent the conversation is assigned to (or
/// taken over by) and streamed to `agent:{userId}` on every node, through the bus. Runs on the
/// node that committed the message (its owner), in a task of its own, off the commit path.
struct HotLeadDrafts: Sendable {
    let drafts: DraftService
    let settings: any AutoResponderSettingsSource
    let bus: any EventBus
    /// The advice of a negotiation session, for the prompt.
    let advice: @Sendable (String) async -> NegotiationAdvice?

    func committed(_ commit: ConversationCommit) {
        guard commit.events.contains(where: { $0.kind == .messageInbound }),
            let scored = commit.events.last(where: { $0.kind == .leadScored }), let score = try? scored.decode(LeadScore.self), score.tier == .hot
        else { return }
        let state = commit.state
        let draftSettings = settings.settings(for: state.locationId).drafts
        guard draftSettings.enabled, draftSettings.autoForHotLeads, let agent = state.takenOverBy ?? state.assignedTo, state.mayMessage(on: state.lastInboundChannel ?? "SMS") else { return }
        let bus = self.bus
        let drafts = self.drafts
        let advice = self.advice
        // The draft's frames go to the bus in the order they are made, from one task.
        let (frames, sink) = AsyncStream<ServerFrame>.makeStream()
        Task {
            for await frame in frames { await bus.publish(.toAgent(AgentFrame(user: agent, text: frame.text))) }
        }
        Task {
            let negotiation = if let id = state.negotiationId { await advice(id) } else { NegotiationAdvice?.none }
            await drafts.draft(state, settings: draftSettings, advice: negotiation, instruction: nil, now: scored.at, trigger: "hot_lead") { sink.yield($0) }
            sink.finish()
        }
    }
}
